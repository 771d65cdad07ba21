package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// NotRegularError reports a file that skysh refused to open because it is not
// a regular file: a named pipe would block the read for ever, a device or a
// socket is not data, and a symbolic link would lead out of the directory
// that is locked.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

// Error reads like "cannot load data/data.bin: it is a named pipe (FIFO),
// not a regular file; skysh leaves it as it is".
func (e *NotRegularError) Error() string {
	return fmt.Sprintf("cannot load %s: it is %s, not a regular file; skysh leaves it as it is", e.Path, KindOf(e.Mode))
}

// KindOf names, for a person, the type of a file that is not a regular
// file: "a named pipe (FIFO)", "a directory", ...
func KindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// OpenRegular opens name inside root for reading, refusing anything that is
// not a regular file before it is opened (an open of a named pipe would
// block), and again after (in case it was swapped in between: the open does
// not block on one and the check sees it). shown is the path for messages.
func OpenRegular(root *os.Root, name, shown string) (*os.File, FileID, error) {
	fi, err := root.Lstat(name)
	if err != nil {
		return nil, FileID{}, fmt.Errorf("cannot load %s: %w", shown, pathless(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, FileID{}, &NotRegularError{Path: shown, Mode: fi.Mode()}
	}
	f, err := root.OpenFile(name, os.O_RDONLY|openNoWait, 0)
	if err != nil {
		return nil, FileID{}, fmt.Errorf("cannot load %s: %w", shown, pathless(err))
	}
	opened, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, FileID{}, fmt.Errorf("cannot load %s: %w", shown, err)
	}
	if !opened.Mode().IsRegular() {
		f.Close()
		return nil, FileID{}, &NotRegularError{Path: shown, Mode: opened.Mode()}
	}
	return f, IDOf(opened), nil
}

// pathless drops the root-relative name from an *fs.PathError, which the
// message already names by its full path.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// FileID identifies one version of a file: which file it is (device and
// inode), its size, and when it last changed. A file that skysh wrote and
// that still has the same FileID still holds what skysh wrote: replacing it
// changes its inode, rewriting it in place changes its change time, which
// nobody can set back.
type FileID struct {
	info    os.FileInfo
	changed time.Time
}

// IDOf is the FileID of a file as stat saw it.
func IDOf(fi os.FileInfo) FileID {
	return FileID{info: fi, changed: changeTime(fi)}
}

// Same reports whether a and b are the same version of the same regular
// file. The zero FileID is the same as nothing.
func (a FileID) Same(b FileID) bool {
	return a.info != nil && b.info != nil &&
		a.info.Mode().IsRegular() && b.info.Mode().IsRegular() &&
		os.SameFile(a.info, b.info) && a.info.Size() == b.info.Size() &&
		a.info.ModTime().Equal(b.info.ModTime()) && a.changed.Equal(b.changed)
}

// Identify returns the FileID of name in the data directory, without
// following a symbolic link.
func (d *Dir) Identify(name string) (FileID, error) {
	fi, err := d.Root().Lstat(name)
	if err != nil {
		return FileID{}, err
	}
	return IDOf(fi), nil
}

// OpenRegular is the package's OpenRegular on name in the data directory.
func (d *Dir) OpenRegular(name string) (*os.File, FileID, error) {
	return OpenRegular(d.Root(), name, d.path+string(os.PathSeparator)+name)
}
