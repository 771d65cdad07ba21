package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"skysh/data"
)

// A data directory that skyd 0.6 wrote is opened as it is: its data.bin is
// loaded (data.DecodeAnyFileRaw tells the formats apart), the original is
// kept under skytable06Kept before anything can replace it, and the store
// is saved in skysh's format at once, so that from then on data.bin, the
// journal and every later start are skysh's own.

// skytable06Kept is the name the original of a Skytable 0.6 data.bin is
// kept under, byte for byte; "-2", "-3", … follow when it is taken.
const skytable06Kept = data.DataFileName + ".skytable-0.6"

// linkFile makes a hard link; tests replace it to take the path of a file
// system without hard links.
var linkFile = func(root *os.Root, oldname, newname string) error {
	return root.Link(oldname, newname)
}

// adoptSkytable06 makes the store just loaded from a Skytable 0.6 data.bin
// skysh's: it keeps the original, saves data.bin in skysh's format and
// says so. The store's journal sequence is 0, so the journal opened next
// starts afresh. Journal files already there were written on top of
// another store (skysh made data.bin in its own format before its first
// journal record), and hold acknowledged writes: skysh refuses to start
// rather than drop them or replay them onto the wrong store.
func (e *Engine) adoptSkytable06() error {
	segs, err := e.listSegments()
	if err != nil {
		return err
	}
	if len(segs) > 0 {
		return &fileError{ErrJournalFile, fmt.Errorf("%s is a Skytable 0.6 file, but the directory also holds skysh's journal %s, "+
			"whose writes were made on another store: they cannot be replayed onto this one", e.dir.DataFile(), e.dir.Shown(segs[0].name))}
	}
	kept, err := e.keepSkytable06()
	if err != nil {
		return &fileError{ErrDataFile, fmt.Errorf("cannot keep the Skytable 0.6 file %s before replacing it: %w", e.dir.DataFile(), err)}
	}
	e.mu.Lock()
	e.changes++ // data.bin is not in skysh's format yet
	e.mu.Unlock()
	if _, err := e.Save(); err != nil {
		return fmt.Errorf("cannot save the store loaded from Skytable 0.6 as %s (the original is kept as %s): %w", e.dir.DataFile(), e.dir.Shown(kept), err)
	}
	fmt.Fprintf(e.opts.Log, "skysh: loaded %s from a Skytable 0.6 data.bin; it is kept as %s\n", data.KeyCount(e.Len()), e.dir.Shown(kept))
	return nil
}

// keepSkytable06 keeps data.bin, as it is now, under skytable06Kept, and
// returns the name it is kept under. A hard link keeps it atomically and
// with no copy; on a file system without hard links, a copy is written to
// a temp file, fsynced, and renamed in. Whatever is at that name already is
// never replaced: if it holds the same bytes (this file, kept by a start
// that stopped before its save), the original is kept already; otherwise
// the next free name is used. The directory is fsynced before it returns.
func (e *Engine) keepSkytable06() (string, error) {
	links := true
	for i := 1; ; i++ {
		name := skytable06Kept
		if i > 1 {
			name = fmt.Sprintf("%s-%d", skytable06Kept, i)
		}
		var err error
		if links {
			err = linkFile(e.dir.Root(), data.DataFileName, name)
			if err != nil && !errors.Is(err, fs.ErrExist) {
				links = false // no hard links here: copy
			}
		}
		if !links {
			err = e.copyDataFile(name)
		}
		switch {
		case err == nil:
			return name, e.dir.SyncDir(".")
		case !errors.Is(err, fs.ErrExist):
			return "", err
		}
		same, err := e.holdsDataFile(name)
		if err != nil {
			return "", err
		}
		if same {
			return name, e.dir.SyncDir(".")
		}
	}
}

// copyDataFile copies data.bin to a new file, name, and fails with an
// error that matches fs.ErrExist when something is at name already.
func (e *Engine) copyDataFile(name string) error {
	if _, err := e.dir.Root().Lstat(name); err == nil {
		return &fs.PathError{Op: "copy", Path: e.dir.Shown(name), Err: fs.ErrExist}
	}
	src, _, err := e.dir.OpenRegular(data.DataFileName)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := e.dir.WriteNewFile(data.TempPrefix, "-"+name, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
	if err != nil {
		return err
	}
	// Nothing but skysh renames in this locked directory, and skysh has
	// just seen that nothing is at name.
	if err := e.dir.Root().Rename(tmp, name); err != nil {
		e.dir.Remove(tmp)
		return err
	}
	return nil
}

// holdsDataFile reports whether name is a regular file that holds exactly
// what data.bin holds: the same file, or a copy of it.
func (e *Engine) holdsDataFile(name string) (bool, error) {
	root := e.dir.Root()
	fi, err := root.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return false, nil
	}
	orig, err := root.Lstat(data.DataFileName)
	if err != nil {
		return false, err
	}
	if os.SameFile(fi, orig) {
		return true, nil
	}
	if fi.Size() != orig.Size() {
		return false, nil
	}
	a, _, err := e.dir.OpenRegular(name)
	if err != nil {
		return false, nil
	}
	defer a.Close()
	b, _, err := e.dir.OpenRegular(data.DataFileName)
	if err != nil {
		return false, err
	}
	defer b.Close()
	return sameContent(a, b)
}

// sameContent reports whether a and b hold the same bytes.
func sameContent(a, b io.Reader) (bool, error) {
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errA := io.ReadFull(a, bufA)
		m, errB := io.ReadFull(b, bufB)
		if !bytes.Equal(bufA[:n], bufB[:m]) {
			return false, nil
		}
		endA := errA == io.EOF || errA == io.ErrUnexpectedEOF
		endB := errB == io.EOF || errB == io.ErrUnexpectedEOF
		switch {
		case endA && endB:
			return true, nil
		case endA != endB:
			return false, nil
		case errA != nil:
			return false, errA
		case errB != nil:
			return false, errB
		}
	}
}
