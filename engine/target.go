package engine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"skysh/data"
)

// Target is a data directory opened to have its whole store replaced by
// one from elsewhere (skysh copy). It is locked as an open engine locks it,
// so no skysh runs on it meanwhile. Its store is loaded only to be counted
// and then let go: the store that replaces it is never in memory beside it.
type Target struct {
	e    *Engine
	keys int
	// skytable06: data.bin is Skytable 0.6's, to be kept before it is
	// replaced, as a start keeps it.
	skytable06 bool
}

// OpenTarget creates the data directory at path if it is missing, locks it
// and counts the keys of the store it holds (data.bin and the journal, as a
// start loads them). A directory that exists must be empty or a skysh data
// directory: skysh writes no store among files it did not make. A store
// that cannot be loaded is refused, and left as it is. log receives what
// the user should know on the way; nil discards it.
func OpenTarget(path string, log io.Writer) (*Target, error) {
	if err := checkTargetDir(path); err != nil {
		return nil, err
	}
	dir, err := data.Open(path)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	e := &Engine{dir: dir, opts: Options{Log: log}}
	_, format, err := e.loadDataFile()
	if err == nil {
		_, err = e.replayJournal()
	}
	if err != nil {
		dir.Close()
		return nil, err
	}
	t := &Target{e: e, keys: e.store.count, skytable06: format == data.FormatSkytable06}
	// Let go of the store, and its memory at once: the store that
	// replaces it is loaded next.
	e.store = newStore()
	if t.keys > 0 {
		debug.FreeOSMemory()
	}
	return t, nil
}

// checkTargetDir refuses a path that is neither missing, nor an empty
// directory, nor a skysh data directory (one with data.bin, skysh.lock or
// a journal segment).
func checkTargetDir(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	for _, n := range names {
		if n == data.DataFileName || isStoreFile(n) {
			return nil
		}
	}
	if len(names) > 0 {
		return fmt.Errorf("%s holds files but no %s: it is not a skysh data directory, and skysh writes no store among files it did not make; give a new or empty directory",
			filepath.Clean(path), data.DataFileName)
	}
	return nil
}

// Len is the number of keys the directory held when it was opened.
func (t *Target) Len() int { return t.keys }

// Replace writes count pairs, which fill adds in any order, as the
// directory's whole store: a new data.bin (temp file, fsync, rename, fsync
// of the directory), after which the journal, whose writes belong to the
// store replaced, is removed. The new data.bin carries a journal sequence
// at or past every record of the old journal, so that should a crash come
// between the rename and the removal, a start skips those records rather
// than apply them to the new store. A failure before the rename leaves the
// directory as it was. A Skytable 0.6 data.bin is kept first, as a start
// keeps it, and the log says where.
func (t *Target) Replace(count uint64, fill func(add func(key, value string) error) error) error {
	e := t.e
	if t.skytable06 {
		kept, err := e.keepSkytable06()
		if err != nil {
			return fmt.Errorf("cannot keep the Skytable 0.6 file %s before replacing it: %w", e.dir.DataFile(), err)
		}
		t.skytable06 = false
		fmt.Fprintf(e.opts.Log, "skysh: %s was a Skytable 0.6 file; it is kept as %s\n", e.dir.DataFile(), e.dir.Shown(kept))
	}
	err := e.dir.WriteFile(data.DataFileName, func(w io.Writer) error {
		enc, err := data.NewEncoderSeq(w, count, e.seq)
		if err != nil {
			return err
		}
		if err := fill(enc.Add); err != nil {
			return err
		}
		return enc.Close()
	})
	if err != nil {
		return err
	}
	return e.removeAllSegments()
}

// RangeSorted calls fn with every key and value of the store that the
// directory holds now, in key order: after Replace, what it wrote, read
// back from the disk. The store is in memory only for the call.
func (t *Target) RangeSorted(fn func(key, value string) error) error {
	e := t.e
	e.store = nil
	defer func() { e.store = newStore() }()
	if _, _, err := e.loadDataFile(); err != nil {
		return err
	}
	if _, err := e.replayJournal(); err != nil {
		return err
	}
	return e.RangeSorted(fn)
}

// Close releases the directory's lock.
func (t *Target) Close() error { return t.e.dir.Close() }
