package engine

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"skysh/data"
)

// ErrDataFile wraps a data.bin that cannot be loaded. skysh refuses to start
// rather than overwrite it: the file may be all the user has.
var ErrDataFile = errors.New("data file cannot be loaded")

// ErrSnapshotFile wraps a snapshot given to Options.Restore that is missing
// or cannot be loaded.
var ErrSnapshotFile = errors.New("snapshot cannot be restored")

// fileError is a failure to load a file, of a kind (ErrDataFile or
// ErrSnapshotFile) that errors.Is can test, reading as its cause alone: the
// cause already says which file and why.
type fileError struct{ kind, cause error }

func (e *fileError) Error() string   { return e.cause.Error() }
func (e *fileError) Unwrap() []error { return []error{e.kind, e.cause} }

// Open locks the data directory at path (creating it and its snapshots
// folders), loads data.bin or creates an empty one, and starts BGSAVE.
func Open(path string, opts Options) (*Engine, error) {
	dir, err := data.Open(path)
	if err != nil {
		return nil, err
	}
	e := New()
	e.dir = dir
	e.opts = opts
	if e.opts.RetryEvery <= 0 {
		e.opts.RetryEvery = DefaultRetryEvery
	}
	if e.opts.Log == nil {
		e.opts.Log = io.Discard
	}
	if removed := dir.RemovedTempFiles(); len(removed) > 0 {
		fmt.Fprintf(e.opts.Log, "skysh: removed temp files that an interrupted save left behind: %s\n",
			strings.Join(removed, ", "))
	}
	if err := e.load(); err != nil {
		dir.Close()
		return nil, err
	}
	if _, foreign := e.autoSnapshots(); len(foreign) > 0 {
		fmt.Fprintf(e.opts.Log, "skysh: ignoring files in %s that are not skysh snapshots: %s\n",
			dir.SnapshotDir(), strings.Join(foreign, ", "))
	}
	e.startBGSave()
	e.startSnapshots()
	return e, nil
}

// load fills the store from data.bin, or creates it when there is none yet.
// With Options.Restore it loads that snapshot instead and saves it as
// data.bin at once, so that the restored state is what a crash would come
// back to. Only a regular file is opened: a named pipe at data.bin would
// block start-up, and a symbolic link would lead out of the locked
// directory.
func (e *Engine) load() error {
	if e.opts.Restore != "" {
		return e.restore(e.opts.Restore)
	}
	f, id, err := e.dir.OpenRegular(data.DataFileName)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// A new data directory: write the empty store now, so that a
		// directory that cannot hold data.bin fails at start, not at exit.
		e.mu.Lock()
		e.changes++ // an empty store not yet on disk is unsaved
		e.mu.Unlock()
		if _, err := e.Save(); err != nil {
			return fmt.Errorf("cannot create %s: %w", e.dir.DataFile(), err)
		}
		return nil
	case err != nil:
		return &fileError{ErrDataFile, err}
	}
	defer f.Close()
	if err := e.loadFile(f, e.dir.DataFile()); err != nil {
		return &fileError{ErrDataFile, err}
	}
	// The file is the last save, even if an earlier run made it, as long as
	// it stays the file that was loaded.
	fi, _ := f.Stat()
	e.mu.Lock()
	e.lastSave = fi.ModTime()
	e.onDisk = id
	e.mu.Unlock()
	return nil
}

// restore starts from a snapshot file. A relative name is resolved inside
// the snapshots directory and may not leave it, by ".." or by a symbolic
// link; an absolute path names a snapshot file anywhere, deliberately (a
// backup, a rescue copy). Either way only a regular file is read, and a file
// that is not a skysh snapshot is refused without quoting its bytes.
func (e *Engine) restore(name string) error {
	fail := func(err error) error {
		return &fileError{ErrSnapshotFile, fmt.Errorf("cannot restore: %w", err)}
	}
	var root *os.Root
	var err error
	shown := name
	if filepath.IsAbs(name) {
		root, err = os.OpenRoot(filepath.Dir(name))
		name = filepath.Base(name)
	} else {
		shown = filepath.Join(e.dir.SnapshotDir(), name)
		root, err = e.dir.Root().OpenRoot(data.SnapshotDirName)
	}
	if err != nil {
		return fail(err)
	}
	defer root.Close()
	f, _, err := data.OpenRegular(root, name, shown)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if err := e.loadFile(f, shown); err != nil {
		return fail(err)
	}
	e.mu.Lock()
	e.changes++ // the restored store is not data.bin yet
	e.mu.Unlock()
	if _, err := e.Save(); err != nil {
		return fmt.Errorf("cannot save the restored snapshot as data.bin: %w", err)
	}
	return nil
}

// loadFile replaces the store with the contents of an open data file; path
// names it in errors. On error the store is left empty: entries arrive
// before the checksum is verified.
func (e *Engine) loadFile(f *os.File, path string) error {
	st, err := loadStore(f, path)
	if err != nil {
		return err
	}
	// Loading leaves the decoder's buffers behind, as large as the file. The
	// store itself holds no pointers per key, so a collection now is quick;
	// returning that memory at once keeps skysh's footprint its store's.
	debug.FreeOSMemory()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.store = st
	return nil
}
