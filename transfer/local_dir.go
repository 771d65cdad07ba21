package transfer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"skysh/data"
	"skysh/engine"
)

// dirSource reads a data directory as skysh would open it (data.bin, then
// the journal's writes), locked and changing nothing.
type dirSource struct{ e *engine.Engine }

func openDirSource(s side, o Options) (Source, error) {
	e, err := engine.Open(s.path, engine.Options{ReadOnly: true, Log: o.Log})
	if err != nil {
		return nil, err
	}
	return &dirSource{e}, nil
}

func (d *dirSource) Count() int64                                 { return int64(d.e.Len()) }
func (d *dirSource) Range(fn func(key, value string) error) error { return d.e.RangeSorted(fn) }

// Close releases the lock and lets the store go, for the collector.
func (d *dirSource) Close() error {
	if d.e == nil {
		return nil
	}
	err := d.e.Close(nil)
	d.e = nil
	return err
}

// dirSink replaces the store of a data directory with a new data.bin,
// written as skysh saves one, so that skysh -d DIR opens the copy.
type dirSink struct {
	s side
	t *engine.Target
	// made is the first directory on the way to the destination that
	// opening it created, or "": Abort removes what it made.
	made string
}

func openDirSink(s side, o Options) (Sink, error) {
	made := firstMissing(s.path)
	t, err := engine.OpenTarget(s.path, o.Log)
	if err != nil {
		removeMade(s.path, made)
		return nil, err
	}
	return &dirSink{s: s, t: t, made: made}, nil
}

func (d *dirSink) Holds() (string, error) {
	if n := d.t.Len(); n > 0 {
		return "holds " + data.KeyCount(n), nil
	}
	return "", nil
}

func (d *dirSink) Write(count int64, pairs Pairs) error {
	n, pairs, done, err := countFirst(count, pairs, d.s.path)
	if err != nil {
		return err
	}
	defer done()
	return d.t.Replace(uint64(n), func(add func(key, value string) error) error { return pairs(add) })
}

func (d *dirSink) Range(fn func(key, value string) error) error { return d.t.RangeSorted(fn) }

func (d *dirSink) Abort() {
	d.t.Close()
	removeMade(d.s.path, d.made)
}

func (d *dirSink) Close() error { return d.t.Close() }

// firstMissing returns the first directory on the way to path (path
// itself, or one of its parents) that does not exist, or "" when path
// exists.
func firstMissing(path string) string {
	path = filepath.Clean(path)
	missing := ""
	for p := path; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			return missing
		}
		missing = p
		if filepath.Dir(p) == p {
			return missing
		}
	}
}

// removeMade removes a data directory at path that a copy created and
// never wrote a store into, and the parents it created up to made. Only
// what a new data directory holds is removed, and only empty directories:
// anything else found there stays.
func removeMade(path, made string) {
	if made == "" {
		return
	}
	if _, err := os.Lstat(filepath.Join(path, data.DataFileName)); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	for _, name := range []string{data.LockFileName, data.RemoteSnapshotDirName, data.SnapshotDirName} {
		os.Remove(filepath.Join(path, name))
	}
	for p := filepath.Clean(path); ; p = filepath.Dir(p) {
		if os.Remove(p) != nil || p == made {
			return
		}
	}
}
