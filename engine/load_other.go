//go:build !unix

package engine

import "os"

// reserveBytes bounds the arena memory reserved before a load where a
// sparse file cannot be told from a full one.
const reserveBytes = 64 << 20

// storedSize is how many bytes of fi's file to believe are there: a sparse
// file's size vouches for nothing, so at most reserveBytes.
func storedSize(fi os.FileInfo) int64 {
	return min(fi.Size(), reserveBytes)
}
