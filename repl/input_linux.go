//go:build linux

package repl

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// readable returns how many bytes r can give without waiting (FIONREAD,
// which Linux names TIOCINQ), when r is a
// file the system can tell that of (a pipe, a socket, a terminal, a
// regular file).
func readable(r io.Reader) (int, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return 0, false
	}
	conn, err := f.SyscallConn()
	if err != nil {
		return 0, false
	}
	n, ierr := 0, error(nil)
	if err := conn.Control(func(fd uintptr) { n, ierr = unix.IoctlGetInt(int(fd), unix.TIOCINQ) }); err != nil || ierr != nil {
		return 0, false
	}
	return n, true
}
