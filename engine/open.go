package engine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

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
// folders), loads data.bin or creates an empty one, replays the journal,
// and starts BGSAVE.
func Open(path string, opts Options) (*Engine, error) {
	if opts.ReadOnly {
		return openReadOnly(path, opts)
	}
	dir, err := data.Open(path)
	if err != nil {
		return nil, err
	}
	// The store is data.bin's, or a new empty one when there is none (see
	// loadDataFile): one made here would be thrown away by the load.
	e := &Engine{dir: dir, opts: opts}
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
		e.abandon()
		return nil, err
	}
	_, skytable06, foreign := e.autoSnapshots()
	if len(skytable06) > 0 {
		fmt.Fprintf(e.opts.Log, "skysh: keeping the Skytable 0.6 snapshots in %s as they are (--restore reads them): %s\n",
			dir.SnapshotDir(), strings.Join(skytable06, ", "))
	}
	if len(foreign) > 0 {
		fmt.Fprintf(e.opts.Log, "skysh: ignoring files in %s that are not skysh snapshots: %s\n",
			dir.SnapshotDir(), strings.Join(foreign, ", "))
	}
	e.startBGSave()
	e.startSnapshots()
	return e, nil
}

// openReadOnly is Open with Options.ReadOnly: the store as a start would
// find it, with nothing in the directory changed.
func openReadOnly(path string, opts Options) (*Engine, error) {
	if opts.Restore != "" {
		return nil, errors.New("engine: a restore writes data.bin, which a read-only open never does")
	}
	dir, err := data.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	e := &Engine{dir: dir, opts: opts}
	if e.opts.Log == nil {
		e.opts.Log = io.Discard
	}
	if err := e.loadReadOnly(); err != nil {
		dir.Close()
		return nil, err
	}
	return e, nil
}

// loadReadOnly fills the store from data.bin and the journal, as a start
// does, changing nothing. A directory with neither holds no store at all:
// it is refused rather than read as an empty one, since it is most likely
// not the directory that was meant.
func (e *Engine) loadReadOnly() error {
	created, _, err := e.loadDataFile()
	if err != nil {
		return err
	}
	segs, err := e.replayJournal()
	if err != nil {
		return err
	}
	if created && len(segs) == 0 {
		return &fileError{ErrDataFile, fmt.Errorf("%s has no data.bin: it is not a skysh data directory", e.dir.Path())}
	}
	return nil
}

// abandon lets go of an engine that failed to open: nothing was
// acknowledged, so nothing is saved.
func (e *Engine) abandon() {
	if e.jr != nil {
		e.stopJournalSync()
		if e.jr.cur != nil {
			e.jr.cur.f.Close()
		}
	}
	e.dir.Close()
}

// load fills the store from data.bin and the journal, or creates data.bin
// when there is none yet. With Options.Restore it loads that snapshot
// instead and saves it as data.bin at once, so that the restored state is
// what a crash would come back to.
func (e *Engine) load() error {
	if e.opts.Restore != "" {
		return e.restore(e.opts.Restore)
	}
	created, format, err := e.loadDataFile()
	if err != nil {
		return err
	}
	if format == data.FormatSkytable06 {
		if err := e.adoptSkytable06(); err != nil {
			return err
		}
	}
	if err := e.openJournal(); err != nil {
		return err
	}
	if created {
		// A new data directory: write the empty store now, so that a
		// directory that cannot hold data.bin fails at start, not at exit.
		e.mu.Lock()
		e.changes++ // an empty store not yet on disk is unsaved
		e.mu.Unlock()
		if _, err := e.Save(); err != nil {
			return fmt.Errorf("cannot create %s: %w", e.dir.DataFile(), err)
		}
	}
	return nil
}

// loadDataFile fills the store from data.bin; created says there was none,
// and the store is empty. format is the format data.bin was in: skysh's,
// or Skytable 0.6's, which the caller must keep before any save replaces
// it. Only a regular file is opened: a named pipe at data.bin would block
// start-up, and a symbolic link would lead out of the locked directory.
func (e *Engine) loadDataFile() (created bool, format data.Format, err error) {
	f, id, err := e.dir.OpenRegular(data.DataFileName)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if e.store == nil {
			e.store = newStore()
		}
		return true, data.FormatUnknown, nil
	case err != nil:
		return false, data.FormatUnknown, &fileError{ErrDataFile, err}
	}
	defer f.Close()
	st, seq, format, err := loadStore(f, e.dir.DataFile())
	if err != nil {
		return false, format, &fileError{ErrDataFile, err}
	}
	fi, err := f.Stat()
	if err != nil {
		return false, format, &fileError{ErrDataFile, err}
	}
	freeAfterLoad(fi.Size())
	e.install(st, seq)
	// The file is the last save, even if an earlier run made it, as long as
	// it stays the file that was loaded.
	e.mu.Lock()
	e.lastSave = fi.ModTime()
	e.savedSeq = e.seq
	e.onDisk = id
	e.mu.Unlock()
	return false, format, nil
}

// restore starts from a snapshot file. A relative name is resolved inside
// the snapshots directory and may not leave it, by ".." or by a symbolic
// link; an absolute path names a snapshot file anywhere, deliberately (a
// backup, a rescue copy). Either way only a regular file is read, and a file
// that is not a skysh snapshot is refused without quoting its bytes.
//
// The store it replaces is kept first, whole (data.bin and the journal's
// writes), as data.bin.before-restore-TIME: a restore over the wrong store
// must be undoable.
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
	restored, _, format, err := loadStore(f, shown)
	if err != nil {
		return fail(err)
	}
	if format == data.FormatSkytable06 {
		shown += " (a Skytable 0.6 snapshot)"
	}
	if fi, err := f.Stat(); err == nil {
		freeAfterLoad(fi.Size())
	}
	if err := e.keepBeforeRestore(); err != nil {
		return err
	}
	e.mu.Lock()
	e.store = restored
	e.changes++ // the restored store is not data.bin yet
	e.mu.Unlock()
	if _, err := e.Save(); err != nil {
		return fmt.Errorf("cannot save the restored snapshot as data.bin: %w", err)
	}
	fmt.Fprintf(e.opts.Log, "skysh: restored %s from %s into %s\n", data.KeyCount(restored.count), shown, e.dir.DataFile())
	// data.bin now holds a sequence past every old journal record: the old
	// segments can never be replayed onto it, and go.
	if err := e.removeAllSegments(); err != nil {
		return err
	}
	if e.opts.NoJournal {
		return nil
	}
	return e.openJournal()
}

// keepBeforeRestore saves the store a restore is about to replace as
// data.bin.before-restore-TIME and says so. The old store is loaded as a
// start would (data.bin, then the journal); if it cannot be, its files are
// kept as they are under that suffix instead. e.seq is left past every old
// journal record.
func (e *Engine) keepBeforeRestore() error {
	root := e.dir.Root()
	file := e.dir.DataFile()
	stamp := time.Now().UTC().Format("20060102-150405")
	suffix := ".before-restore-" + stamp
	// Two restores in one second must not overwrite the first one's copy.
	for i := 2; ; i++ {
		if _, err := root.Lstat(data.DataFileName + suffix); errors.Is(err, fs.ErrNotExist) {
			break
		}
		suffix = fmt.Sprintf(".before-restore-%s-%d", stamp, i)
	}
	created, format, err := e.loadDataFile()
	if err == nil && format == data.FormatSkytable06 {
		// The restore's save replaces data.bin: keep the original first.
		kept, err := e.keepSkytable06()
		if err != nil {
			return fmt.Errorf("cannot keep the Skytable 0.6 file %s before restoring: %w", file, err)
		}
		fmt.Fprintf(e.opts.Log, "skysh: %s is a Skytable 0.6 file; it is kept as %s\n", file, e.dir.Shown(kept))
	}
	if err == nil {
		// Even with no data.bin, a journal may hold acknowledged writes.
		_, err = e.replayJournal()
	}
	if err == nil && created && e.Len() == 0 {
		return nil // nothing to keep
	}
	if err == nil {
		sn := e.Snapshot()
		defer e.Release(sn)
		if err := e.writeSnapshot(sn, e.dir.Path(), data.DataFileName+suffix, foreground); err != nil {
			return fmt.Errorf("cannot keep the current store before restoring: %w", err)
		}
		fmt.Fprintf(e.opts.Log, "skysh: the store before the restore (%s) is kept as %s\n", data.KeyCount(sn.Len()), file+suffix)
		return nil
	}
	// The old store does not load: keep its files untouched, renamed, so
	// that no start ever replays its journal onto the restored store.
	fmt.Fprintf(e.opts.Log, "skysh: the current store cannot be loaded (%v); its files are kept with the suffix %s\n", err, suffix)
	segs, lerr := e.listSegments()
	if lerr != nil {
		return lerr
	}
	for _, s := range segs {
		if err := root.Rename(s.name, s.name+suffix); err != nil {
			return fmt.Errorf("cannot keep the old journal: %w", err)
		}
	}
	if err := root.Link(data.DataFileName, data.DataFileName+suffix); err != nil && !created {
		return fmt.Errorf("cannot keep the current data.bin: %w", err)
	}
	return e.dir.SyncDir(".")
}

// freeLoadedAbove is the size of a loaded file from which the memory its
// load left behind is returned to the OS at once: below it, that memory is
// within the few megabytes the Go runtime keeps anyway (its smallest heap
// goal is 4 MiB), while a forced collection would cost every short run
// milliseconds at start.
const freeLoadedAbove = 4 << 20

// freeAfterLoad returns to the OS the memory that loading a file of size
// bytes left behind, when there is enough of it to matter. Loading leaves
// the decoder's buffers behind, as large as the file. The store itself
// holds no pointers per key, so a collection now is quick; returning that
// memory at once keeps skysh's footprint its store's.
func freeAfterLoad(size int64) {
	if size >= freeLoadedAbove {
		debug.FreeOSMemory()
	}
}

// install replaces the store with st, which holds every write up to seq.
func (e *Engine) install(st *store, seq uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.store, e.seq = st, seq
}
