package engine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"skysh/data"
)

// ErrNoDataDir is returned by saves of an engine made by New, which has no
// data directory.
var ErrNoDataDir = errors.New("no data directory")

// ErrReadOnly is returned by writes and saves of an engine opened with
// Options.ReadOnly.
var ErrReadOnly = errors.New("the store is open read-only")

// Save writes the store to data.bin now, unless nothing changed since the
// last successful save. It reports whether it wrote. The file is a
// point-in-time copy: exactly the store between two queries. Queries go on
// while it is written.
func (e *Engine) Save() (bool, error) {
	return e.save(foreground)
}

// saveMode says who waits for a save, which decides how many CPUs it takes.
type saveMode bool

const (
	foreground saveMode = false // someone waits: use every CPU
	background saveMode = true  // the shell goes on: leave it a CPU
)

// workers is how many goroutines encode a save in this mode.
func (m saveMode) workers() int {
	n := runtime.GOMAXPROCS(0)
	if m == background {
		n--
	}
	return max(n, 1)
}

// save is Save in a mode.
func (e *Engine) save(mode saveMode) (bool, error) {
	if e.dir == nil {
		return false, ErrNoDataDir
	}
	if e.opts.ReadOnly {
		return false, ErrReadOnly
	}
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	if !e.dirty() && e.diskProblem() == "" {
		// data.bin holds every write: a journal that could not start
		// again after a failure may now, without a write.
		if seq, failed := e.journalFailed(); failed {
			e.afterSave(seq)
		}
		return false, nil
	}
	sn := e.snapshotForSave()
	defer e.Release(sn)
	if err := e.writeDataFile(sn, mode); err != nil {
		// In words wherever it goes: a poison reason, the final save's
		// retries, !save.
		return false, data.Explained(err)
	}
	// What was just renamed in; a later save may skip only while data.bin
	// is still this file.
	id, _ := e.dir.Identify(data.DataFileName)
	e.mu.Lock()
	e.saved, e.savedSeq = sn.Changes, sn.Seq
	e.onDisk = id
	e.lastSave = time.Now()
	e.mu.Unlock()
	e.afterSave(sn.Seq)
	return true, nil
}

// dirty reports whether the store has changes data.bin does not hold.
func (e *Engine) dirty() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.changes != e.saved
}

// diskProblem says, for a person, why data.bin on disk no longer holds what
// skysh last saved or loaded (deleted, replaced, rewritten, or the whole
// directory removed), or returns "" when it still does. Nothing of it is
// skipped as "nothing changed": the next save writes the store again.
func (e *Engine) diskProblem() string {
	if err := e.dir.Check(); err != nil {
		return err.Error()
	}
	e.mu.Lock()
	want := e.onDisk
	e.mu.Unlock()
	got, err := e.dir.Identify(data.DataFileName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return e.dir.DataFile() + " is missing"
	case err != nil:
		return err.Error()
	case !got.Same(want):
		return e.dir.DataFile() + " was changed or replaced by something other than this skysh"
	}
	return ""
}

// writeDataFile writes sn as data.bin. A data directory removed before or
// during the write is made again first (see recreateDir) and the write
// tried once more, so that a removal is reported one way, whenever it
// happened.
func (e *Engine) writeDataFile(sn *Snapshot, mode saveMode) error {
	for try := 0; ; try++ {
		if err := e.recreateDir(); err != nil {
			return err
		}
		err := e.dir.WriteFile(data.DataFileName, e.encoder(sn, mode))
		if err == nil || !errors.Is(err, data.ErrDirRemoved) || try > 0 {
			return err
		}
	}
}

// recreateDir makes the data directory again when it was removed while
// skysh ran, and says so: the store in memory is then the only copy, and
// the path the user gave is where they will look for it. When that is not
// possible (something else is at that path now), the save fails with the
// reason, which poisons the store.
func (e *Engine) recreateDir() error {
	made, err := e.dir.Recreate()
	if made {
		fmt.Fprintf(e.opts.Log, "skysh: the data directory %s was removed while skysh ran; created it again and saving the store there\n", e.dir.Path())
	}
	return err
}

// writeSnapshot writes sn to dir/name atomically. Each attempt encodes the
// snapshot afresh into a new temp file: a file that failed once is never
// fsynced again and trusted. A dir inside the data directory is reached
// through the directory skysh opened, so that a renamed data directory is
// followed; any other dir (a rescue copy) by its path.
func (e *Engine) writeSnapshot(sn *Snapshot, dir, name string, mode saveMode) error {
	if rel, ok := e.dir.Rel(dir); ok {
		return e.dir.WriteFile(filepath.Join(rel, name), e.encoder(sn, mode))
	}
	return data.WriteFileAtomic(dir, name, e.encoder(sn, mode))
}

// encoder returns the writer of sn in data.bin's format.
func (e *Engine) encoder(sn *Snapshot, mode saveMode) func(w io.Writer) error {
	return func(w io.Writer) error {
		return e.encodeStore(w, sn, mode)
	}
}

// SaveNow is a save the user asked for (`!save`). It is Save, and since a
// success proves data.bin can be written again, it also lifts the poison of
// a failing BGSAVE at once rather than at its next round.
func (e *Engine) SaveNow() (bool, error) {
	wrote, err := e.Save()
	if err == nil {
		e.ClearPoison(SourceBGSave)
	}
	return wrote, err
}

// WriteFile replaces the file at path with what write produces, with the
// same care as data.bin: temp file, fsync, rename, fsync of the directory.
// It is for the shell's exports, such as `!dump FILE`.
func WriteFile(path string, write func(io.Writer) error) error {
	return data.WriteFileAtomic(filepath.Dir(path), filepath.Base(path), write)
}

// RangeSorted calls fn for every key and value of a point-in-time view of
// the store, in byte order of the keys, so that exports are stable and
// diffable. It holds no lock while fn runs.
func (e *Engine) RangeSorted(fn func(key, value string) error) error {
	sn := e.Snapshot()
	defer e.Release(sn)
	pairs := make([][2]string, 0, sn.Len())
	sn.Range(func(k, v string) error {
		pairs = append(pairs, [2]string{k, v})
		return nil
	})
	slices.SortFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	for _, kv := range pairs {
		if err := fn(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
