package engine_test

import (
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"skysh/data"
	"skysh/engine"
)

// journalCounters counts, through the test hooks, the fsyncs of journal
// files and the saves of data.bin an engine makes.
type journalCounters struct {
	fsyncs atomic.Int64
	saves  atomic.Int64
}

// options returns engine options whose hooks count into c.
func (c *journalCounters) options() engine.Options {
	return engine.Options{
		SyncJournal: func(f *os.File) error {
			c.fsyncs.Add(1)
			return f.Sync()
		},
		WrapWriter: func(w io.Writer) io.Writer {
			c.saves.Add(1)
			return w
		},
	}
}

// TestJournalReadsMakeNoFsync: a run that only reads fsyncs no journal file
// and saves nothing, from open to close, whether data.bin is new or was
// there (with or without keys), and leaves no journal file behind.
func TestJournalReadsMakeNoFsync(t *testing.T) {
	t.Parallel()
	for _, start := range []string{"new directory", "empty data.bin", "data.bin with keys"} {
		t.Run(start, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "data")
			want := map[string]string{}
			saves := int64(0)
			switch start {
			case "new directory":
				saves = 1 // the empty data.bin, written at start
			case "data.bin with keys":
				want = map[string]string{"a": "1", "b": "2"}
				fallthrough
			default:
				e := persistOpen(t, dir, engine.Options{})
				persistFill(t, e, want)
				persistCloseNow(t, e)
			}
			var c journalCounters
			e := persistOpen(t, dir, c.options())
			for _, query := range [][]string{q("HEYA"), q("GET", "a"), q("EXISTS", "a", "b"), q("DBSIZE"), q("LSKEYS")} {
				run(t, e, query...)
			}
			// Deletes and updates that change nothing are reads too.
			mustRun(t, e, engine.Int(0), "DEL", "missing")
			mustRun(t, e, nilCode, "UPDATE", "missing", "x")
			mustCommit(t, e)
			if st := e.State(); !st.LastFsync.IsZero() {
				t.Errorf("State after reads: last fsync %v, want never", st.LastFsync)
			}
			persistCloseNow(t, e)
			if segs := journalSegments(t, dir); len(segs) != 0 {
				t.Errorf("journal files after a clean exit: %q", segs)
			}
			if got := c.fsyncs.Load(); got != 0 {
				t.Errorf("%d fsyncs of the journal in a run that only read, want 0", got)
			}
			if got := c.saves.Load(); got != saves {
				t.Errorf("%d saves of data.bin in a run that only read, want %d", got, saves)
			}
			persistSame(t, "data.bin", persistFile(t, filepath.Join(dir, data.DataFileName)), want)
		})
	}
}

// TestJournalFsyncedByFirstWrite: the journal file started at open, and the
// one a save starts, is fsynced by the commit of the first write into it,
// not before; a save fsyncs the segment it seals only when that holds
// records not fsynced yet. Every write committed survives a crash.
func TestJournalFsyncedByFirstWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var c journalCounters
	e := persistOpen(t, dir, c.options())
	fsyncs := func(want int64, when string) {
		t.Helper()
		if got := c.fsyncs.Load(); got != want {
			t.Fatalf("%s: %d fsyncs of the journal in all, want %d", when, got, want)
		}
	}
	mustRun(t, e, okay, "SET", "a", "1")
	fsyncs(0, "a write not committed yet")
	mustCommit(t, e)
	fsyncs(1, "the commit of the first write")
	if _, err := e.Save(); err != nil {
		t.Fatal(err)
	}
	fsyncs(1, "a save after every write was committed")
	mustRun(t, e, okay, "SET", "b", "2")
	if _, err := e.Save(); err != nil {
		t.Fatal(err)
	}
	fsyncs(2, "a save that seals a write not committed")
	if _, err := e.Save(); err != nil {
		t.Fatal(err)
	}
	fsyncs(2, "a save with nothing changed")
	mustRun(t, e, okay, "SET", "c", "3")
	mustCommit(t, e)
	fsyncs(3, "the commit of the first write after a save")
	journalCrash(t, e)
	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after a crash", persistStore(t, e), map[string]string{"a": "1", "b": "2", "c": "3"})
}
