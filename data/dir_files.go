package data

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// The files of the data directory by their names inside it ("snapshots",
// "snapshots/remote/x.snapshot"), reached through the directory that was
// opened, so that a renamed directory is followed and whatever is now at its
// old path, perhaps another skysh's directory, is never touched. Errors name
// the files by the path the directory was opened at, as the user knows it.

// Shown is the path of name for messages: under the path the data
// directory was opened at.
func (d *Dir) Shown(name string) string { return filepath.Join(d.path, name) }

// ReadDir lists the directory name inside the data directory, sorted by
// file name as os.ReadDir does.
func (d *Dir) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := d.Root().Open(name)
	if err != nil {
		return nil, d.shownError(name, err)
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, d.shownError(name, err)
}

// Remove removes the file name from the data directory (a symbolic link
// itself, not what it leads to).
func (d *Dir) Remove(name string) error {
	return d.shownError(name, d.Root().Remove(name))
}

// shownError names name by its Shown path in err, an error of an
// operation on the root, which names it relative to the root.
func (d *Dir) shownError(name string, err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return &fs.PathError{Op: pe.Op, Path: d.Shown(name), Err: pe.Err}
	}
	return err
}
