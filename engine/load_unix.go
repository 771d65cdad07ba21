//go:build unix

package engine

import (
	"os"
	"syscall"
)

// storedSize is how many bytes of fi's file are really on disk: its size,
// unless it is sparse. A sparse file can be terabytes long on a few blocks,
// and its size vouches for nothing: memory reserved before a load follows
// the bytes that can actually arrive.
func storedSize(fi os.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return min(fi.Size(), int64(st.Blocks)*512)
	}
	return 0
}
