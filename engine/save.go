package engine

import (
	"errors"
	"io"
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
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	if !e.dirty() {
		return false, nil
	}
	sn := e.snapshotForSave()
	defer e.Release(sn)
	if err := e.writeSnapshot(sn, e.dir.Path(), data.DataFileName, mode); err != nil {
		return false, err
	}
	e.mu.Lock()
	e.saved, e.savedSeq = sn.Changes, sn.Seq
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

// writeSnapshot writes sn to dir/name atomically. Each attempt encodes the
// snapshot afresh into a new temp file: a file that failed once is never
// fsynced again and trusted.
func (e *Engine) writeSnapshot(sn *Snapshot, dir, name string, mode saveMode) error {
	return data.WriteFileAtomic(dir, name, func(w io.Writer) error {
		return e.encodeStore(w, sn, mode)
	})
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
