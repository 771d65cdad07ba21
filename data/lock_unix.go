//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package data

import (
	"os"
	"syscall"
)

// lockFile opens (creating it if needed) and exclusively flocks the file at
// path, without waiting: a second skysh must fail at once, not hang. It
// returns ErrLocked when another open file holds the lock, which includes one
// opened by this same process: flock locks belong to open files, not to
// processes. os.OpenFile sets close-on-exec, so children never inherit it.
func lockFile(path string) (*os.File, error) {
	// No O_TRUNC: the current holder's pid must survive our failed attempt.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	var lockErr error
	err = rc.Control(func(fd uintptr) {
		for {
			lockErr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
			if lockErr != syscall.EINTR {
				return
			}
		}
	})
	if err == nil {
		err = lockErr
	}
	if err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, ErrLocked
		}
		return nil, &os.PathError{Op: "flock", Path: path, Err: err}
	}
	return f, nil
}
