//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd)

package data

import (
	"fmt"
	"os"
	"runtime"
)

// lockFile refuses on systems without flock: running two processes on one
// data directory unprotected would lose data silently, which is worse than
// not starting.
func lockFile(path string) (*os.File, error) {
	return nil, fmt.Errorf("locking %s is not supported on %s", path, runtime.GOOS)
}
