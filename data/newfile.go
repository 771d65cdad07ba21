package data

import (
	"io"
	"os"
	"path/filepath"
)

// WriteNewFile writes what write produces to a new file in dir, named
// prefix, a random part and suffix, and returns its name. Unlike
// WriteFileAtomic it replaces nothing: the file is created exclusively
// (O_EXCL, mode 0600), so a name planted in advance, or a symlink, can be
// neither guessed nor replaced nor followed. It is for copies that must
// not take the place of anything, such as rescue copies; a copy cut short
// by a crash fails its checksum when loaded.
//
// The file and dir are fsynced before it returns. On failure the error is
// a *SaveError and the file has been removed: nothing half-written is left
// to be mistaken for the copy.
func WriteNewFile(dir, prefix, suffix string, write func(w io.Writer) error) (string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", &SaveError{Op: "create", Path: filepath.Join(dir, prefix+"*"+suffix), Err: err}
	}
	defer root.Close()
	return writeNew(root, prefix, suffix, dir, write)
}

// WriteNewFile is the package's WriteNewFile in the data directory that
// was opened. Writing into a directory that has been removed is a failure:
// nobody could find the file there.
func (d *Dir) WriteNewFile(prefix, suffix string, write func(w io.Writer) error) (string, error) {
	d.mu.Lock()
	root, err := d.root, d.check()
	d.mu.Unlock()
	if err != nil {
		return "", &SaveError{Op: "create", Path: filepath.Join(d.path, prefix+"*"+suffix), Err: err}
	}
	name, err := writeNew(root, prefix, suffix, d.path, write)
	if err != nil {
		return "", err
	}
	if err := d.Check(); err != nil {
		return "", &SaveError{Op: "sync directory", Path: filepath.Join(d.path, name), Err: err}
	}
	return name, nil
}

// writeNew is WriteNewFile in the directory root; shownDir is the path
// errors name it by.
func writeNew(root *os.Root, prefix, suffix, shownDir string, write func(w io.Writer) error) (string, error) {
	f, name, err := createNew(root, ".", prefix, suffix)
	if err != nil {
		return "", &SaveError{Op: "create", Path: filepath.Join(shownDir, prefix+"*"+suffix), Err: err}
	}
	done := false
	defer func() {
		// Deferred so that a panic in write removes the file too. A
		// second Close, after fill closed it, fails harmlessly.
		if !done {
			f.Close()
			root.Remove(name)
		}
	}()
	shown := filepath.Join(shownDir, name)
	if op, err := fill(f, write); err != nil {
		return "", &SaveError{Op: op, Path: shown, Err: err}
	}
	if err := syncIn(root, "."); err != nil {
		return "", &SaveError{Op: "sync directory", Path: shown, Err: err}
	}
	done = true
	return name, nil
}
