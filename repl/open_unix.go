//go:build unix

package repl

import (
	"errors"
	"os"
	"syscall"
)

// openRegular opens a file without following a symbolic link and
// without blocking on a FIFO, and refuses anything but a regular file.
func openRegular(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	// ELOOP: the last component is a symbolic link. ENXIO: a FIFO opened
	// for writing with no reader.
	if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENXIO) {
		return nil, errNotRegular
	}
	if err != nil {
		return nil, err
	}
	return regularOnly(f)
}
