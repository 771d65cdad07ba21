package engine_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"skysh/data"
	"skysh/engine"
)

// journalCrash stops e as kill -9 would, after the test has committed what
// it means to be acknowledged.
func journalCrash(t *testing.T, e *engine.Engine) {
	t.Helper()
	persistClosed.Store(e, true)
	e.Crash()
}

// crashAndReopen kills e as kill -9 would, opens dir again and checks that
// the store came back as want; it returns the engine it opened.
func crashAndReopen(t *testing.T, e *engine.Engine, dir string, want map[string]string) *engine.Engine {
	t.Helper()
	journalCrash(t, e)
	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after a crash", persistStore(t, e), want)
	return e
}

// journalSegments lists the journal files in dir.
func journalSegments(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "journal-*.log"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// journalWrites runs every kind of write on e and on a model engine, so that
// a replay can be compared with what the queries did.
func journalWrites(t *testing.T, e *engine.Engine) map[string]string {
	t.Helper()
	model := engine.New()
	queries := [][]string{
		q("SET", "a", "1"), q("SET", "b", "2"), q("UPDATE", "a", "one"),
		q("MSET", "c", "3", "d", "4", "a", "ignored"), q("MUPDATE", "c", "three", "zz", "x"),
		q("SSET", "e", "5", "f", "6"), q("SUPDATE", "e", "five", "f", "six"),
		q("USET", "g", "7", "b", "two"), q("DEL", "d", "nope"), q("POP", "f"),
		q("FLUSHDB"), q("SET", "after flush", "x"),
	}
	for k, v := range persistBinary {
		queries = append(queries, q("USET", k, v))
	}
	queries = append(queries, q("SDEL", "after flush"), q("SET", "", "empty key again"))
	for _, query := range queries {
		want := model.Exec(query)
		mustRun(t, e, want, query...)
	}
	return persistStore(t, model)
}

// TestJournalReplayAfterCrash: every acknowledged write, of every action,
// survives a crash with no save at all, through the journal alone.
func TestJournalReplayAfterCrash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	want := journalWrites(t, e)
	mustCommit(t, e)
	journalCrash(t, e)
	if got := persistFile(t, filepath.Join(dir, data.DataFileName)); len(got) != 0 {
		t.Fatalf("data.bin holds %d keys: the test needs the journal to be all there is", len(got))
	}
	var log syncBuffer
	e = persistOpen(t, dir, engine.Options{Log: &log})
	persistSame(t, "store after the crash", persistStore(t, e), want)
	if !strings.Contains(log.String(), "replayed") {
		t.Errorf("log %q does not say the journal was replayed", log.String())
	}
	// The replayed writes are saved like any others, and a clean exit
	// leaves no journal behind.
	persistCloseNow(t, e)
	persistSame(t, "data.bin after a clean exit", persistFile(t, filepath.Join(dir, data.DataFileName)), want)
	if segs := journalSegments(t, dir); len(segs) != 0 {
		t.Errorf("journal files after a clean exit: %q", segs)
	}
}

// TestJournalRotation: a save starts a new segment and removes the old one;
// writes after the save survive a crash on top of the saved data.bin.
func TestJournalRotation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	mustRun(t, e, okay, "SET", "before", "save")
	e.Commit()
	before := journalSegments(t, dir)
	if _, err := e.Save(); err != nil {
		t.Fatal(err)
	}
	after := journalSegments(t, dir)
	if len(before) != 1 || len(after) != 1 || before[0] == after[0] {
		t.Fatalf("segments before the save %q, after %q: want one, replaced", before, after)
	}
	mustRun(t, e, okay, "SET", "after", "save")
	e.Commit()
	st := e.State()
	if st.Journal != "always" || st.JournalRecords != 1 {
		t.Errorf("State: journal %q with %d writes since the save, want always and 1", st.Journal, st.JournalRecords)
	}
	journalCrash(t, e)
	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store", persistStore(t, e), map[string]string{"before": "save", "after": "save"})
}

// journalTornSetup writes k0…k(n-1), one committed record each, crashes,
// and returns the segment and where its last record starts.
func journalTornSetup(t *testing.T, dir string, n int) (segment string, last int64) {
	t.Helper()
	e := persistOpen(t, dir, engine.Options{})
	for i := range n {
		mustRun(t, e, okay, "SET", fmt.Sprint("k", i), fmt.Sprint("v", i))
		mustCommit(t, e)
	}
	journalCrash(t, e)
	segs := journalSegments(t, dir)
	if len(segs) != 1 {
		t.Fatalf("segments %q, want 1", segs)
	}
	fi, err := os.Stat(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	lastRecord := data.AppendRecord(nil, uint64(n), data.AppendPut(nil, fmt.Sprint("k", n-1), fmt.Sprint("v", n-1)))
	return segs[0], fi.Size() - int64(len(lastRecord))
}

// journalCopy copies the files of a data directory (not its
// subdirectories) into a new one.
func journalCopy(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		if !ent.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, ent.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// TestJournalTornTail cuts the journal at every byte offset of its last
// record, as a crash in the middle of an append would: each start warns how
// many bytes it cut and has every earlier write.
func TestJournalTornTail(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 5
	segment, last := journalTornSetup(t, dir, n)
	full, err := os.ReadFile(segment)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for i := range n - 1 {
		want[fmt.Sprint("k", i)] = fmt.Sprint("v", i)
	}
	for cut := last; cut < int64(len(full)); cut++ {
		d := journalCopy(t, dir)
		if err := os.Truncate(filepath.Join(d, filepath.Base(segment)), cut); err != nil {
			t.Fatal(err)
		}
		var log syncBuffer
		e := persistOpen(t, d, engine.Options{Log: &log})
		persistSame(t, fmt.Sprintf("store with the journal cut at %d", cut), persistStore(t, e), want)
		if cut > last && !strings.Contains(log.String(), fmt.Sprintf("cut %d bytes at offset %d", cut-last, last)) {
			t.Errorf("cut at %d: log %q does not say what was cut", cut, log.String())
		}
		persistCloseNow(t, e)
	}
}

// TestJournalDamageRefused flips a byte in the middle of the journal: start
// is refused with the path and the offset, and no file is changed.
func TestJournalDamageRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	segment, last := journalTornSetup(t, dir, 5)
	b, err := os.ReadFile(segment)
	if err != nil {
		t.Fatal(err)
	}
	b[last-5] ^= 0x40 // inside the value of the record before the last
	if err := os.WriteFile(segment, b, 0o600); err != nil {
		t.Fatal(err)
	}
	dataBefore, _ := os.ReadFile(filepath.Join(dir, data.DataFileName))
	_, err = engine.Open(dir, engine.Options{})
	if !errors.Is(err, engine.ErrJournalFile) || !strings.Contains(err.Error(), segment) || !strings.Contains(err.Error(), "offset") {
		t.Fatalf("Open = %v, want ErrJournalFile naming %s and the offset", err, segment)
	}
	after, _ := os.ReadFile(segment)
	dataAfter, _ := os.ReadFile(filepath.Join(dir, data.DataFileName))
	if !bytes.Equal(after, b) || !bytes.Equal(dataAfter, dataBefore) {
		t.Fatal("a refused start changed the journal or data.bin")
	}
	if segs := journalSegments(t, dir); len(segs) != 1 {
		t.Fatalf("segments after a refused start: %q", segs)
	}
}

// TestJournalGap: a journal that does not continue data.bin (data.bin
// replaced by an older copy while writes were only journaled) is refused:
// replaying it would skip writes silently.
func TestJournalGap(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	old, err := os.ReadFile(filepath.Join(dir, data.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, e, okay, "SET", "a", "1")
	e.Save() // data.bin holds write 1; the next segment starts at 2
	mustRun(t, e, okay, "SET", "b", "2")
	e.Commit()
	journalCrash(t, e)
	if err := os.WriteFile(filepath.Join(dir, data.DataFileName), old, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = engine.Open(dir, engine.Options{})
	if !errors.Is(err, engine.ErrJournalFile) || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("Open = %v, want ErrJournalFile saying writes are missing", err)
	}
}

// TestJournalFault: a journal write that fails (a full disk) poisons the
// store: reads go on, writes answer code 5 with the cause; once the disk has
// room a BGSAVE lifts it, and after a crash nothing acknowledged is lost.
func TestJournalFault(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	disk := &persistDiskFull{}
	e := persistOpen(t, dir, engine.Options{WrapWriter: disk.wrap, WrapJournal: disk.wrap, SaveEvery: 50 * time.Millisecond})
	mustRun(t, e, okay, "SET", "a", "1")
	mustCommit(t, e)
	persistWait(t, "a BGSAVE of a", func() bool { return e.State().Unsaved == 0 })
	disk.full.Store(true)
	mustRun(t, e, okay, "SET", "b", "2") // answered only once Commit returns
	if err := e.Commit(); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Fatalf("Commit on a full disk = %v, want the journal's ENOSPC", err)
	}
	reason, poisoned := e.Poisoned()
	if !poisoned || !strings.Contains(reason, "journal") {
		t.Fatalf("Poisoned() = %q, %v; want the journal's failure", reason, poisoned)
	}
	mustRun(t, e, engine.String("1"), "GET", "a")
	if r := run(t, e, "SET", "c", "3"); !engine.Failed(r) || !strings.Contains(fmt.Sprint(r), "journal") {
		t.Fatalf("SET while the journal failed = %s, want code 5 naming the journal", fmtResponse(r))
	}
	disk.full.Store(false)
	persistWait(t, "a BGSAVE to lift the poison", func() bool { _, p := e.Poisoned(); return !p })
	mustRun(t, e, okay, "SET", "c", "3")
	if err := e.Commit(); err != nil {
		t.Fatalf("Commit after recovery: %v", err)
	}
	journalCrash(t, e)
	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after the crash", persistStore(t, e), map[string]string{"a": "1", "b": "2", "c": "3"})
}

// TestJournalOff: with the journal off no journal file is written, and a
// journal an earlier run left is still replayed and saved into data.bin.
func TestJournalOff(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	mustRun(t, e, okay, "SET", "journaled", "yes")
	e.Commit()
	journalCrash(t, e)
	e = persistOpen(t, dir, engine.Options{NoJournal: true})
	persistSame(t, "store", persistStore(t, e), map[string]string{"journaled": "yes"})
	if segs := journalSegments(t, dir); len(segs) != 0 {
		t.Fatalf("journal files with the journal off: %q", segs)
	}
	persistSame(t, "data.bin", persistFile(t, filepath.Join(dir, data.DataFileName)), map[string]string{"journaled": "yes"})
	if st := e.State(); st.Journal != "off" {
		t.Errorf("State().Journal = %q, want off", st.Journal)
	}
	mustRun(t, e, okay, "SET", "not journaled", "x")
	mustCommit(t, e)
	if segs := journalSegments(t, dir); len(segs) != 0 {
		t.Fatalf("journal files with the journal off: %q", segs)
	}
}

// TestRestoreKeepsReplaced: --restore keeps the store it replaces, journal
// included, as data.bin.before-restore-TIME, and the old journal is never
// replayed onto the restored store.
func TestRestoreKeepsReplaced(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	mustRun(t, e, okay, "SET", "snap", "shot")
	mustRun(t, e, okay, "MKSNAP", "one")
	old := map[string]string{"snap": "shot"}
	for i := range 14 {
		k := fmt.Sprint("old", i)
		mustRun(t, e, okay, "SET", k, "v")
		old[k] = "v"
	}
	e.Commit()
	journalCrash(t, e) // the 14 keys are in the journal only

	var log syncBuffer
	e = persistOpen(t, dir, engine.Options{Restore: "remote/one.snapshot", Log: &log})
	persistSame(t, "restored store", persistStore(t, e), map[string]string{"snap": "shot"})
	kept, _ := filepath.Glob(filepath.Join(dir, data.DataFileName+".before-restore-*"))
	if len(kept) != 1 {
		t.Fatalf("kept copies %q, want 1", kept)
	}
	persistSame(t, "the kept store", persistFile(t, kept[0]), old)
	if !strings.Contains(log.String(), kept[0]) || !strings.Contains(log.String(), "restored 1 key from") {
		t.Errorf("log %q does not say what was restored and where the old store went", log.String())
	}
	mustRun(t, e, okay, "SET", "after", "restore")
	e.Commit()
	crashAndReopen(t, e, dir, map[string]string{"snap": "shot", "after": "restore"})
}

// TestJournalPolicies: nothing is fsynced before the first write; with
// always, Commit fsyncs before it returns; with everysec and no, Commit
// hands the records to the kernel (a kill -9 loses nothing) without
// fsyncing them; everysec fsyncs them in the background within about a
// second, no never does.
func TestJournalPolicies(t *testing.T) {
	t.Parallel()
	for _, policy := range []engine.FsyncPolicy{engine.FsyncAlways, engine.FsyncEverySec, engine.FsyncNo} {
		t.Run(policy.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			e := persistOpen(t, dir, engine.Options{Fsync: policy})
			started := e.State().LastFsync
			if !started.IsZero() {
				t.Fatalf("the journal was fsynced at %v, before any write", started)
			}
			mustRun(t, e, okay, "SET", "k", "v")
			mustCommit(t, e)
			if st := e.State(); st.Journal != policy.String() || st.JournalRecords != 1 {
				t.Fatalf("State: journal %q, %d writes; want %s, 1", st.Journal, st.JournalRecords, policy)
			}
			switch {
			case policy == engine.FsyncAlways:
				if !e.State().LastFsync.After(started) {
					t.Fatal("Commit with --fsync always returned before an fsync")
				}
			case policy == engine.FsyncEverySec:
				persistWait(t, "the background fsync", func() bool { return e.State().LastFsync.After(started) })
			case !e.State().LastFsync.Equal(started):
				t.Fatal("--fsync no fsynced the journal")
			}
			journalCrash(t, e)
			e = persistOpen(t, dir, engine.Options{Fsync: policy})
			persistSame(t, "store after a crash", persistStore(t, e), map[string]string{"k": "v"})
		})
	}
}

// TestParseFsyncPolicy: the names round-trip, and anything else is refused
// with the choices.
func TestParseFsyncPolicy(t *testing.T) {
	for _, p := range []engine.FsyncPolicy{engine.FsyncAlways, engine.FsyncEverySec, engine.FsyncNo} {
		if got, err := engine.ParseFsyncPolicy(p.String()); err != nil || got != p {
			t.Errorf("ParseFsyncPolicy(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := engine.ParseFsyncPolicy("sometimes"); err == nil || !strings.Contains(err.Error(), "always, everysec or no") {
		t.Errorf("ParseFsyncPolicy(sometimes) = %v", err)
	}
}

// TestJournalDirectoryRemoved: the data directory is removed while skysh
// runs. The next commit must not acknowledge writes into the journal file
// left in the removed directory: the store is saved into the directory made
// again, a new journal starts there, and a crash after that loses nothing.
func TestJournalDirectoryRemoved(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	var log syncBuffer
	e := persistOpen(t, dir, engine.Options{Log: &log})
	mustRun(t, e, okay, "SET", "a", "1")
	mustCommit(t, e)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	mustRun(t, e, okay, "SET", "b", "2")
	if err := e.Commit(); err != nil {
		t.Fatalf("Commit after the directory was removed: %v", err)
	}
	if _, poisoned := e.Poisoned(); poisoned {
		t.Fatalf("still poisoned after the save into the directory made again; log:\n%s", log.String())
	}
	persistSame(t, "data.bin in the directory made again", persistFile(t, filepath.Join(dir, data.DataFileName)), map[string]string{"a": "1", "b": "2"})
	mustRun(t, e, okay, "SET", "c", "3")
	mustCommit(t, e)
	if segs := journalSegments(t, dir); len(segs) != 1 {
		t.Fatalf("journal files in the directory made again: %q", segs)
	}
	crashAndReopen(t, e, dir, map[string]string{"a": "1", "b": "2", "c": "3"})
}

// TestJournalFileRemoved: the journal file is removed (or replaced) while
// skysh runs. Writes must not be acknowledged into a file no start will
// read: the next commit finds it gone, saves data.bin instead and starts a
// new journal, and a crash after that loses nothing.
func TestJournalFileRemoved(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"removed", "replaced"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			e := persistOpen(t, dir, engine.Options{})
			mustRun(t, e, okay, "SET", "a", "1")
			mustCommit(t, e)
			segs := journalSegments(t, dir)
			if len(segs) != 1 {
				t.Fatalf("segments %q", segs)
			}
			b, err := os.ReadFile(segs[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(segs[0]); err != nil {
				t.Fatal(err)
			}
			if how == "replaced" {
				if err := os.WriteFile(segs[0], b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			mustRun(t, e, okay, "SET", "b", "2")
			if err := e.Commit(); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			mustRun(t, e, okay, "SET", "c", "3")
			mustCommit(t, e)
			crashAndReopen(t, e, dir, map[string]string{"a": "1", "b": "2", "c": "3"})
		})
	}
}

// TestJournalProvesDataFileLost: data.bin is removed while the store is
// idle and saved, and skysh is killed before it notices. The journal left
// behind starts after writes that data.bin held: start is refused with the
// reason, not begun on an empty store as if nothing had been written. The
// journal file proves it even when no write came after the save, or after
// a start on that data.bin: it is created at once, only its fsync waits for
// a write.
func TestJournalProvesDataFileLost(t *testing.T) {
	t.Parallel()
	for _, idle := range []string{"after a save", "after a start"} {
		t.Run(idle, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			e := persistOpen(t, dir, engine.Options{})
			mustRun(t, e, okay, "SET", "a", "1")
			if _, err := e.Save(); err != nil { // data.bin holds write 1; the journal starts at 2
				t.Fatal(err)
			}
			if idle == "after a start" {
				persistCloseNow(t, e)
				e = persistOpen(t, dir, engine.Options{})
				mustRun(t, e, engine.String("1"), "GET", "a")
			}
			journalCrash(t, e)
			if err := os.Remove(filepath.Join(dir, data.DataFileName)); err != nil {
				t.Fatal(err)
			}
			_, err := engine.Open(dir, engine.Options{})
			if !errors.Is(err, engine.ErrJournalFile) || !strings.Contains(err.Error(), "write 1 is missing") {
				t.Fatalf("Open = %v, want ErrJournalFile saying write 1 is missing", err)
			}
			if _, err := os.Stat(filepath.Join(dir, data.DataFileName)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a refused start wrote data.bin: %v", err)
			}
		})
	}
}

// TestJournalNameTaken: something that is not skysh's (a named pipe, a
// directory, a symbolic link) at the name of a journal file is refused with
// a clear error, and left exactly where it is.
func TestJournalNameTaken(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"fifo", "dir", "symlink"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			name := filepath.Join(dir, "journal-00000000000000000001.log")
			var err error
			switch kind {
			case "fifo":
				err = syscall.Mkfifo(name, 0o600)
			case "dir":
				err = os.Mkdir(name, 0o700)
			case "symlink":
				err = os.Symlink(filepath.Join(t.TempDir(), "elsewhere"), name)
			}
			if err != nil {
				t.Fatal(err)
			}
			before, _ := os.Lstat(name)
			_, err = engine.Open(dir, engine.Options{})
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Fatalf("Open = %v, want a refusal naming the %s", err, kind)
			}
			after, err := os.Lstat(name)
			if err != nil || !os.SameFile(before, after) {
				t.Fatalf("the %s at the journal's name was touched: %v", kind, err)
			}
		})
	}
}

// TestRestoreKeepsJournalWithoutDataFile: --restore with data.bin missing
// but a journal of acknowledged writes: the writes are kept, not deleted
// with the journal.
func TestRestoreKeepsJournalWithoutDataFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	mustRun(t, e, okay, "MKSNAP", "snap")
	os.Remove(filepath.Join(dir, data.DataFileName)) // data.bin holds nothing yet: the journal has every write
	mustRun(t, e, okay, "SET", "journaled", "yes")
	e.Commit()
	journalCrash(t, e)

	e = persistOpen(t, dir, engine.Options{Restore: "remote/snap.snapshot"})
	persistSame(t, "restored store", persistStore(t, e), map[string]string{})
	kept, _ := filepath.Glob(filepath.Join(dir, data.DataFileName+".before-restore-*"))
	if len(kept) != 1 {
		t.Fatalf("kept copies %q, want 1", kept)
	}
	persistSame(t, "the kept store", persistFile(t, kept[0]), map[string]string{"journaled": "yes"})
}

// TestJournalFsyncFault: an fsync of the journal that fails poisons the
// store; the segment it failed on is never fsynced again and trusted; the
// commit saves data.bin instead, so nothing answered is lost; and once
// fsyncs work again a BGSAVE starts a new journal and lifts the poison.
func TestJournalFsyncFault(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var failing atomic.Bool
	var mu sync.Mutex
	synced := map[string]int{} // fsyncs per journal file, after the fault
	e := persistOpen(t, dir, engine.Options{SaveEvery: 50 * time.Millisecond, SyncJournal: func(f *os.File) error {
		if failing.Load() {
			mu.Lock()
			synced[f.Name()]++
			mu.Unlock()
			return syscall.EIO
		}
		return f.Sync()
	}})
	mustRun(t, e, okay, "SET", "a", "1")
	mustCommit(t, e)
	failing.Store(true)
	mustRun(t, e, okay, "SET", "b", "2")
	if err := e.Commit(); err != nil {
		t.Fatalf("Commit: %v; want data.bin saved in the journal's stead", err)
	}
	if reason, poisoned := e.Poisoned(); !poisoned || !strings.Contains(reason, "input/output error") || !strings.Contains(reason, "the disk reported an I/O error") {
		t.Fatalf("Poisoned() = %q, %v; want the journal's failed fsync", reason, poisoned)
	}
	persistSame(t, "data.bin after the failed fsync", persistFile(t, filepath.Join(dir, data.DataFileName)), map[string]string{"a": "1", "b": "2"})
	mustRun(t, e, engine.String("2"), "GET", "b")
	if r := run(t, e, "SET", "c", "3"); !engine.Failed(r) {
		t.Fatalf("SET while the journal is failed = %s, want code 5", fmtResponse(r))
	}
	failing.Store(false)
	persistWait(t, "a BGSAVE to start a new journal", func() bool { _, p := e.Poisoned(); return !p })
	mu.Lock()
	for name, n := range synced {
		if strings.Contains(name, "journal-00000000000000000001.log") && n != 1 {
			t.Errorf("the segment whose fsync failed was fsynced %d times after the fault, want 1 (never again)", n)
		}
	}
	mu.Unlock()
	mustRun(t, e, okay, "SET", "c", "3")
	mustCommit(t, e)
	crashAndReopen(t, e, dir, map[string]string{"a": "1", "b": "2", "c": "3"})
}

// TestCommitOfNothingNewDoesNotWaitForRotation: while a save holds the
// journal to fsync the segments it rotates, a commit with nothing new to
// make durable (the answer to a read) returns at once, and a commit of a
// new write still waits until the rotation's fsyncs are done. With --fsync
// no (or everysec) the segment a save seals still needs its fsync after
// a commit; with always the commit made it durable, and the save fsyncs
// nothing (TestJournalFsyncedByFirstWrite).
func TestCommitOfNothingNewDoesNotWaitForRotation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var hold atomic.Bool
	held, release := make(chan struct{}), make(chan struct{})
	e := persistOpen(t, dir, engine.Options{Fsync: engine.FsyncNo, SyncJournal: func(f *os.File) error {
		if hold.CompareAndSwap(true, false) {
			close(held)
			<-release
		}
		return f.Sync()
	}})
	mustRun(t, e, okay, "SET", "a", "1")
	mustCommit(t, e)
	hold.Store(true)
	saved := make(chan error, 1)
	go func() { _, err := e.Save(); saved <- err }()
	<-held // the save is fsyncing the sealed segment, holding the journal
	committed := make(chan error, 1)
	go func() { committed <- e.Commit() }()
	select {
	case err := <-committed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("a commit with nothing new waited for the rotation's fsyncs")
	}
	mustRun(t, e, okay, "SET", "b", "2")
	go func() { committed <- e.Commit() }()
	select {
	case err := <-committed:
		t.Fatalf("a commit of a new write returned (%v) before the rotation's fsyncs", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
}
