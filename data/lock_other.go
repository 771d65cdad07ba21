//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd)

package data

import (
	"fmt"
	"os"
	"runtime"
)

// flock refuses on systems without flock: running two processes on one data
// directory unprotected would lose data silently, which is worse than not
// starting.
func flock(f *os.File) error {
	return fmt.Errorf("locking %s is not supported on %s", f.Name(), runtime.GOOS)
}

func linked(os.FileInfo) bool { return true }
