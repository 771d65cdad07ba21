package transfer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"skysh/data"
)

// openFileSource reads a snapshot file (or any file in skysh's format)
// whole and sorts it.
func openFileSource(s side) (Source, error) {
	if err := notDataFile(s); err != nil {
		return nil, err
	}
	return loadSkysh(s.path)
}

// notDataFile refuses the data.bin of a data directory as a file to read:
// alone it lacks the writes in the journal beside it.
func notDataFile(s side) error {
	if dir, ok := dataDirOf(s.path); ok && filepath.Base(s.path) == data.DataFileName {
		return usagef("%s is the data file of the data directory %s: copy the directory itself, which adds the writes in its journal", s, dir)
	}
	return nil
}

// fileSink writes a file in skysh's format the way skysh saves data.bin.
type fileSink struct {
	s side
	// write encodes count pairs into a file's bytes.
	write func(w io.Writer, count int64, pairs Pairs) error
	// read loads what a file holds, sorted.
	read func(path string) (*loaded, error)
}

func openFileSink(s side) (Sink, error) {
	return newFileSink(s, writeSkysh, loadSkysh)
}

// newFileSink checks that s can be written as a file: not the top level
// of a data directory, not a link or a special file, in a directory that
// exists.
func newFileSink(s side, write func(io.Writer, int64, Pairs) error, read func(string) (*loaded, error)) (Sink, error) {
	if dir, ok := dataDirOf(s.path); ok && s.kind == skytable06Side {
		return nil, usagef("%s is inside the data directory %s, beside skysh's data.bin and journal: write the file elsewhere, and move it into place once no skysh uses %s", s, dir, dir)
	}
	if dir, ok := dataDirOf(s.path); ok {
		return nil, usagef("%s is inside the data directory %s, beside its data.bin and journal: copy into the directory itself, or to a file elsewhere", s, dir)
	}
	fi, err := os.Lstat(s.path)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		return nil, usagef("%s is a symbolic link: give the path of the file itself", s)
	case err == nil && !fi.Mode().IsRegular():
		return nil, usagef("%s is %s, not a file to write", s, data.KindOf(fi.Mode()))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if fi, err := os.Stat(filepath.Dir(s.path)); err != nil || !fi.IsDir() {
		return nil, usagef("%s: the directory %s does not exist", s, filepath.Dir(s.path))
	}
	return &fileSink{s: s, write: write, read: read}, nil
}

func (f *fileSink) Holds() (string, error) {
	fi, err := os.Lstat(f.s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", err
	}
	return fmt.Sprintf("already exists (%d bytes)", fi.Size()), nil
}

// Write replaces the file: temp file, fsync, rename, fsync of the
// directory. An interrupted write leaves the file as it was.
func (f *fileSink) Write(count int64, pairs Pairs) error {
	dir := filepath.Dir(f.s.path)
	n, pairs, done, err := countFirst(count, pairs, dir)
	if err != nil {
		return err
	}
	defer done()
	return data.WriteFileAtomic(dir, filepath.Base(f.s.path), func(w io.Writer) error {
		return f.write(w, n, pairs)
	})
}

func (f *fileSink) Range(fn func(key, value string) error) error {
	l, err := f.read(f.s.path)
	if err != nil {
		return err
	}
	defer l.Close()
	return l.Range(fn)
}

func (f *fileSink) Abort()       {}
func (f *fileSink) Close() error { return nil }

// writeSkysh encodes count pairs in skysh's format.
func writeSkysh(w io.Writer, count int64, pairs Pairs) error {
	enc, err := data.NewEncoder(w, uint64(count))
	if err != nil {
		return err
	}
	if err := pairs(enc.Add); err != nil {
		return err
	}
	return enc.Close()
}
