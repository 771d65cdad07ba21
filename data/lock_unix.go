//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package data

import (
	"os"
	"syscall"
)

// openNoWait makes an open that is checked for a regular file afterwards
// neither block on a named pipe nor follow a symbolic link swapped in.
const openNoWait = syscall.O_NONBLOCK | syscall.O_NOFOLLOW

// flock takes an exclusive flock on f without waiting: a second skysh must
// fail at once, not hang. It returns ErrLocked when another open file holds
// the lock, which includes one opened by this same process: flock locks
// belong to open files, not to processes. The kernel releases it when f is
// closed or the process ends, however it ends. f is the data directory
// itself: nobody can remove or replace it from under the lock the way they
// can a lock file, and a renamed directory keeps its lock.
func flock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
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
	if err == syscall.EWOULDBLOCK {
		return ErrLocked
	}
	if err != nil {
		return &os.PathError{Op: "flock", Path: f.Name(), Err: err}
	}
	return nil
}

// linked reports whether a directory, as fstat saw it, still has a name: a
// removed directory has no links left, even while it is open.
func linked(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || st.Nlink > 0
}
