package repl

import (
	"errors"
	"os"
)

// errNotRegular is returned by openRegular for a path that is a symbolic
// link, a FIFO, a directory or a device: the files skysh reads and writes
// for the user (history, dumps) are plain files, so that a link cannot
// make it change or fill another file.
var errNotRegular = errors.New("not a regular file (a symbolic link, FIFO or device is never followed)")

// regularOnly returns f if it is a regular file, else closes it.
func regularOnly(f *os.File) (*os.File, error) {
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errNotRegular
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
