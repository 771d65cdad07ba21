package data

import (
	"os"
	"syscall"
	"time"
)

// changeTime is when the file's content or metadata last changed, which no
// one can set back: a file rewritten in place with old bytes and an old
// mtime still gets a new one.
func changeTime(fi os.FileInfo) time.Time {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return time.Time{}
	}
	return time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
}
