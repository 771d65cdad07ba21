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
	if err := e.load(dir.DataFile()); err != nil {
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

// load fills the store from file, or creates file when there is none yet. With
// Options.Restore it loads that snapshot instead and saves it as data.bin at
// once, so that the restored state is what a crash would come back to.
func (e *Engine) load(file string) error {
	if e.opts.Restore != "" {
		return e.restore(filepath.Join(e.dir.SnapshotDir(), e.opts.Restore))
	}
	fi, err := os.Stat(file)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// A new data directory: write the empty store now, so that a
		// directory that cannot hold data.bin fails at start, not at exit.
		e.mu.Lock()
		e.changes++ // an empty store not yet on disk is unsaved
		e.mu.Unlock()
		if _, err := e.Save(); err != nil {
			return fmt.Errorf("cannot create %s: %w", file, err)
		}
		return nil
	case err != nil:
		return &fileError{ErrDataFile, fmt.Errorf("cannot load %s: %w", file, err)}
	case fi.IsDir():
		return &fileError{ErrDataFile, fmt.Errorf("cannot load %s: it is a directory", file)}
	}
	if err := e.loadFile(file); err != nil {
		return &fileError{ErrDataFile, err}
	}
	// The file is the last save, even if an earlier run made it.
	e.mu.Lock()
	e.lastSave = fi.ModTime()
	e.mu.Unlock()
	return nil
}

// restore starts from a snapshot file.
func (e *Engine) restore(snapshot string) error {
	fi, err := os.Stat(snapshot)
	switch {
	case err != nil:
		return &fileError{ErrSnapshotFile, fmt.Errorf("cannot restore: %w", err)}
	case fi.IsDir():
		return &fileError{ErrSnapshotFile, fmt.Errorf("cannot restore from %s: it is a directory", snapshot)}
	}
	if err := e.loadFile(snapshot); err != nil {
		return &fileError{ErrSnapshotFile, fmt.Errorf("cannot restore: %w", err)}
	}
	e.mu.Lock()
	e.changes++ // the restored store is not data.bin yet
	e.mu.Unlock()
	if _, err := e.Save(); err != nil {
		return fmt.Errorf("cannot save the restored snapshot as data.bin: %w", err)
	}
	return nil
}

// loadFile replaces the store with the contents of a data file. On error the
// store is left empty: entries arrive before the checksum is verified.
func (e *Engine) loadFile(file string) error {
	st, err := loadStore(file)
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
