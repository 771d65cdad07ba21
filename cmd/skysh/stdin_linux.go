package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// stdinHasQueries reports whether stdin holds input that -e would leave
// unread: a regular file with bytes left, or a pipe with bytes waiting.
func stdinHasQueries() bool {
	fi, err := os.Stdin.Stat()
	if err != nil {
		return false
	}
	switch {
	case fi.Mode().IsRegular():
		return fi.Size() > 0
	case fi.Mode()&os.ModeNamedPipe != 0:
		n, err := unix.IoctlGetInt(int(os.Stdin.Fd()), unix.TIOCINQ)
		return err == nil && n > 0
	}
	return false
}
