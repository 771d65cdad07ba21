//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd)

package data

import (
	"fmt"
	"os"
	"runtime"
)

// openNoWait adds nothing where the flags are not portable; skysh does not
// lock, so it does not open, a data directory there.
const openNoWait = 0

// flock refuses on systems without flock: running two processes on one data
// directory unprotected would lose data silently, which is worse than not
// starting.
func flock(f *os.File) error {
	return fmt.Errorf("locking %s is not supported on %s", f.Name(), runtime.GOOS)
}

func linked(os.FileInfo) bool { return true }
