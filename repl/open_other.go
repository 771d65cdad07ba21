//go:build !unix

package repl

import (
	"os"
)

// openRegular opens a file, refusing anything but a regular file.
// Without O_NOFOLLOW a link swapped in between the check and the open is
// not caught; on Unix it is.
func openRegular(path string, flag int) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	f, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return nil, err
	}
	return regularOnly(f)
}
