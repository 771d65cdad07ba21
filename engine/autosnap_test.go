package engine_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skysh/data"
	"skysh/engine"
)

// These tests open engines on real directories and check snapshots by
// decoding the files with package data. Nothing asserts how long anything
// takes: a wait polls for a state and fails only if it never comes within
// autosnapDeadline. MKSNAP is synchronous, so most tests drive snapshots with
// it and a SnapEvery of an hour, which never ticks during a test.

// autosnapDeadline bounds every wait for a background snapshot or save.
const autosnapDeadline = 30 * time.Second

// autosnapHour is a SnapEvery that turns automatic snapshots (and MKSNAP)
// on without the timer ever firing in a test.
const autosnapHour = time.Hour

// autosnapAutoName is the name of an automatic snapshot, as the contract
// spells it: YYYYMMDD-HHMMSS.snapshot.
var autosnapAutoName = regexp.MustCompile(`^\d{8}-\d{6}\.snapshot$`)

// autosnapExec runs one query and fails the test unless it answers want.
func autosnapExec(t *testing.T, e *engine.Engine, want engine.Response, args ...string) {
	t.Helper()
	if got := autosnapRun(t, e, args...); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s = %s, want %s", fmtQuery(args), fmtResponse(got), fmtResponse(want))
	}
}

// autosnapRun runs one query, failing the test if it does not return
// within autosnapDeadline: a snapshot that waits for ever must fail the
// test, not hang it.
func autosnapRun(t *testing.T, e *engine.Engine, args ...string) engine.Response {
	t.Helper()
	return autosnapAnswer(t, autosnapStart(e, args...), fmtQuery(args))
}

// autosnapServerError fails the test unless r is code 5 whose detail
// mentions each of parts.
func autosnapServerError(t *testing.T, query []string, r engine.Response, parts ...string) {
	t.Helper()
	st, ok := r.(engine.Status)
	if !ok || st.Code != engine.ServerError {
		t.Fatalf("%s = %s, want code 5 (Server Error)", fmtQuery(query), fmtResponse(r))
	}
	for _, p := range parts {
		if !strings.Contains(st.Detail, p) {
			t.Errorf("%s = %s, want the detail to mention %q", fmtQuery(query), fmtResponse(r), p)
		}
	}
}

// autosnapAuto lists the automatic snapshots in dir/snapshots, by name.
func autosnapAuto(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, data.SnapshotDirName))
	if err != nil {
		t.Fatalf("listing snapshots: %v", err)
	}
	var names []string
	for _, ent := range entries {
		if ent.Type().IsRegular() && autosnapAutoName.MatchString(ent.Name()) {
			names = append(names, ent.Name())
		}
	}
	slices.Sort(names)
	return names
}

// autosnapHolds fails the test unless the snapshot at path holds want.
func autosnapHolds(t *testing.T, path string, want map[string]string) {
	t.Helper()
	if got := persistFile(t, path); !maps.Equal(got, want) {
		t.Errorf("%s holds %q, want %q", filepath.Base(path), got, want)
	}
}

// autosnapSeed returns the bytes of a real snapshot holding {"old": "1"},
// written by an engine: the files that earlier runs left behind.
func autosnapSeed(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	autosnapExec(t, e, okay, "SET", "old", "1")
	autosnapExec(t, e, okay, "MKSNAP", "seed")
	persistCloseNow(t, e)
	b, err := os.ReadFile(filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName, "seed.snapshot"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// autosnapBlockSnapshots puts a regular file where the snapshot directory
// was: every snapshot then fails to create its temp file. Unlike taking
// away write permission, this works as root too.
func autosnapBlockSnapshots(t *testing.T, dir string) {
	t.Helper()
	snaps := filepath.Join(dir, data.SnapshotDirName)
	// A snapshot creating its temp file meanwhile can make RemoveAll fail
	// with ENOTEMPTY: try again.
	persistWait(t, "the snapshot directory to be removed", func() bool {
		os.RemoveAll(snaps)
		_, err := os.Lstat(snaps)
		return os.IsNotExist(err)
	})
	if err := os.WriteFile(snaps, []byte("in the way\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// autosnapUnblockSnapshots undoes autosnapBlockSnapshots.
func autosnapUnblockSnapshots(t *testing.T, dir string) {
	t.Helper()
	snaps := filepath.Join(dir, data.SnapshotDirName)
	if err := os.Remove(snaps); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(snaps, data.RemoteDirName), 0o755); err != nil {
		t.Fatal(err)
	}
}

// autosnapPoisoned fails the test unless the store's poison state is want,
// with a reason that mentions each of parts and none of absent.
func autosnapPoisoned(t *testing.T, e *engine.Engine, want bool, parts, absent []string) {
	t.Helper()
	reason, poisoned := e.Poisoned()
	if poisoned != want {
		t.Fatalf("Poisoned() = %v (%q), want %v", poisoned, reason, want)
	}
	for _, p := range parts {
		if !strings.Contains(reason, p) {
			t.Errorf("poison reason %q does not mention %q", reason, p)
		}
	}
	for _, a := range absent {
		if strings.Contains(reason, a) {
			t.Errorf("poison reason %q still mentions %q", reason, a)
		}
	}
}

// autosnapOldFiles writes seed under each automatic-snapshot name, in the
// order given, which is not time order, and gives each a modification time
// that runs the other way from the time in its name: neither directory
// order nor mtime can stand in for the name.
func autosnapOldFiles(t *testing.T, dir string, seed []byte, names ...string) {
	t.Helper()
	snaps := filepath.Join(dir, data.SnapshotDirName)
	if err := os.MkdirAll(filepath.Join(snaps, data.RemoteDirName), 0o755); err != nil {
		t.Fatal(err)
	}
	byTime := slices.Sorted(slices.Values(names))
	newest := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range names {
		path := filepath.Join(snaps, name)
		if err := os.WriteFile(path, seed, 0o600); err != nil {
			t.Fatal(err)
		}
		// The oldest name gets the newest mtime.
		mtime := newest.Add(-time.Duration(slices.Index(byTime, name)) * 24 * time.Hour)
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAutosnapRotationAcrossRestarts keeps at most SnapKeep automatic
// snapshots, counting the ones earlier runs left, and deletes the oldest by
// the time in the name. Files that are not automatic snapshots (a note, a
// name that only looks like one, a directory, remote snapshots) are never
// counted nor deleted, and the start names them in a warning.
func TestAutosnapRotationAcrossRestarts(t *testing.T) {
	t.Parallel()
	seed := autosnapSeed(t)
	dir := t.TempDir()
	snaps := filepath.Join(dir, data.SnapshotDirName)
	autosnapOldFiles(t, dir, seed,
		"20200103-000000.snapshot",
		"20200101-000000.snapshot",
		"20211231-235959.snapshot",
		"20200102-120000.snapshot",
	)
	foreign := []string{"notes.txt", "2020-bad.snapshot", "20190101-000000.snapshot.bak", "20190101-000000.snapshot"}
	for _, name := range foreign[:3] {
		if err := os.WriteFile(filepath.Join(snaps, name), []byte("not ours\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A directory with the name of an old snapshot: os.Remove would delete
	// it if it were counted, for it is empty.
	if err := os.Mkdir(filepath.Join(snaps, foreign[3]), 0o755); err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(snaps, data.RemoteDirName, "keep.snapshot")
	if err := os.WriteFile(remote, seed, 0o600); err != nil {
		t.Fatal(err)
	}

	// First run: four old snapshots, at most two kept. One new snapshot
	// leaves it and the newest old one.
	var log syncBuffer
	e := persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, SnapKeep: 2, Log: &log})
	for _, name := range foreign {
		// Whole names: one is a prefix of another.
		if !regexp.MustCompile(`[ ,]` + regexp.QuoteMeta(name) + `(,|\n)`).MatchString(log.String()) {
			t.Errorf("the log at start does not name the foreign file %q:\n%s", name, log.String())
		}
	}
	autosnapExec(t, e, okay, "SET", "a", "1")
	autosnapExec(t, e, okay, "MKSNAP")
	got := autosnapAuto(t, dir)
	if len(got) != 2 || got[0] != "20211231-235959.snapshot" || got[1] <= got[0] {
		t.Fatalf("after one snapshot with atmost 2: %q, want [20211231-235959.snapshot NEW]", got)
	}
	first := got[1]
	autosnapHolds(t, filepath.Join(snaps, first), map[string]string{"a": "1"})
	persistCloseNow(t, e)

	// Second run: the snapshot of the first run counts.
	e = persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, SnapKeep: 2})
	autosnapExec(t, e, okay, "SET", "b", "2")
	autosnapExec(t, e, okay, "MKSNAP")
	got = autosnapAuto(t, dir)
	if len(got) != 2 || got[0] != first {
		t.Fatalf("after a restart and one more snapshot with atmost 2: %q, want [%s NEW]", got, first)
	}
	second := got[1]
	autosnapHolds(t, filepath.Join(snaps, first), map[string]string{"a": "1"})
	autosnapHolds(t, filepath.Join(snaps, second), map[string]string{"a": "1", "b": "2"})
	persistCloseNow(t, e)

	// Third run: atmost 0 keeps them all.
	e = persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour})
	autosnapExec(t, e, okay, "MKSNAP")
	got = autosnapAuto(t, dir)
	if len(got) != 3 || got[0] != first || got[1] != second {
		t.Fatalf("after a snapshot with atmost 0: %q, want [%s %s NEW]", got, first, second)
	}
	third := got[2]
	persistCloseNow(t, e)

	// Fourth run: atmost 1 deletes all but the new one at once.
	e = persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, SnapKeep: 1})
	autosnapExec(t, e, okay, "MKSNAP")
	got = autosnapAuto(t, dir)
	if len(got) != 1 || got[0] <= third {
		t.Fatalf("after a snapshot with atmost 1: %q, want one newer than %s", got, third)
	}
	persistCloseNow(t, e)

	for _, name := range foreign {
		if _, err := os.Lstat(filepath.Join(snaps, name)); err != nil {
			t.Errorf("foreign file %s: %v", name, err)
		}
	}
	if b, err := os.ReadFile(remote); err != nil || !bytes.Equal(b, seed) {
		t.Errorf("remote snapshot changed by rotation (err %v)", err)
	}
}

// TestAutosnapRotationByTimer lets the timer write the snapshots. Whenever
// an old snapshot is still there, it must be the newest old one, and once
// the timer has written two, exactly two remain, both new.
func TestAutosnapRotationByTimer(t *testing.T) {
	t.Parallel()
	seed := autosnapSeed(t)
	dir := t.TempDir()
	old := []string{"20200102-000000.snapshot", "20211231-235959.snapshot", "20200101-000000.snapshot"}
	autosnapOldFiles(t, dir, seed, old...)
	e := persistOpen(t, dir, engine.Options{SnapEvery: 10 * time.Millisecond, SnapKeep: 2})
	autosnapExec(t, e, okay, "SET", "k", "v")

	// check looks at one listing. Between the rename of a new snapshot and
	// its rotation, the listing may hold one more than atmost.
	check := func(names []string) (fresh int) {
		t.Helper()
		for _, n := range names {
			if !slices.Contains(old, n) {
				fresh++
			}
		}
		switch {
		case len(names) > len(old)+1, fresh >= 2 && len(names) > 3:
			t.Fatalf("%d automatic snapshots with atmost 2: %q", len(names), names)
		case fresh == 1 && len(names) == 2:
			// The first rotation is done: the old one left is the newest.
			for _, n := range names {
				if slices.Contains(old, n) && n != "20211231-235959.snapshot" {
					t.Fatalf("%s, not the newest old snapshot, survived a rotation: %q", n, names)
				}
			}
		}
		return fresh
	}
	persistWait(t, "two automatic snapshots", func() bool {
		names := autosnapAuto(t, dir)
		return check(names) >= 2 && len(names) == 2
	})
	persistCloseNow(t, e)
	got := autosnapAuto(t, dir)
	if check(got) != 2 || len(got) != 2 {
		t.Fatalf("after close: %q, want two new snapshots", got)
	}
	for _, name := range got {
		if m := persistFile(t, filepath.Join(dir, data.SnapshotDirName, name)); m["k"] != "v" {
			t.Errorf("%s holds %q, want k=v in it", name, m)
		}
	}
}

// TestAutosnapSameSecond asks for snapshots faster than one a second: each
// must succeed under a name of its own, and none may replace another.
func TestAutosnapSameSecond(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour})
	const calls = 3
	want := map[string]string{}
	for i := range calls {
		k := fmt.Sprint("key", i)
		autosnapExec(t, e, okay, "SET", k, "v")
		want[k] = "v"
		autosnapExec(t, e, okay, "MKSNAP")
	}
	got := autosnapAuto(t, dir)
	if len(got) != calls {
		t.Fatalf("%d MKSNAP calls left %d automatic snapshots: %q", calls, len(got), got)
	}
	// In name order, each holds one more key than the one before: none was
	// written over.
	for i, name := range got {
		m := persistFile(t, filepath.Join(dir, data.SnapshotDirName, name))
		if len(m) != i+1 {
			t.Errorf("%s holds %d keys, want %d: %q", name, len(m), i+1, m)
		}
	}
}

// TestAutosnapWaitIsNotBusy: an automatic snapshot waiting for the next
// second to get a name of its own writes nothing meanwhile, so a named
// snapshot asked for then is written, not refused as busy. The clock stands
// still, so the second MKSNAP waits until the test moves it, and the test
// sees the wait begin rather than sleep and hope.
func TestAutosnapWaitIsNotBusy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := newTestClock(start)
	e := persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, Clock: clock})
	autosnapExec(t, e, okay, "MKSNAP")
	waiting := autosnapStart(e, "MKSNAP")
	persistWait(t, "the second MKSNAP to wait for the next second", func() bool { return clock.Waiting() == 1 })
	autosnapExec(t, e, okay, "MKSNAP", "meanwhile")
	autosnapHolds(t, filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName, "meanwhile.snapshot"), map[string]string{})
	select {
	case r := <-waiting:
		t.Fatalf("the waiting MKSNAP answered %s before its second came", fmtResponse(r))
	default:
	}
	clock.Add(time.Second)
	if got := autosnapAnswer(t, waiting, "the waiting MKSNAP"); !reflect.DeepEqual(got, engine.Response(okay)) {
		t.Fatalf("the waiting MKSNAP = %s, want Okay", fmtResponse(got))
	}
	want := []string{"20300102-030405.snapshot", "20300102-030406.snapshot"}
	if got := autosnapAuto(t, dir); !slices.Equal(got, want) {
		t.Fatalf("automatic snapshots %q, want %q", got, want)
	}
}

// autosnapStart runs one query in the background; its answer comes on the
// channel returned.
func autosnapStart(e *engine.Engine, args ...string) <-chan engine.Response {
	done := make(chan engine.Response, 1)
	go func() { done <- e.Exec(args) }()
	return done
}

// autosnapAnswer waits for the answer of a query started by autosnapStart,
// failing the test if none comes within autosnapDeadline.
func autosnapAnswer(t *testing.T, done <-chan engine.Response, what string) engine.Response {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(autosnapDeadline):
		t.Fatalf("%s did not answer within %v", what, autosnapDeadline)
		return nil
	}
}

// TestAutosnapFailsafe blocks the snapshot directory. With failsafe the
// failure poisons the store: writes answer code 5, reads go on, and the next
// successful snapshot lifts it. Without failsafe the failure is only logged.
// Either way MKSNAP reports it, and the log says it.
func TestAutosnapFailsafe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		noFailsafe bool
	}{
		{"failsafe", false},
		{"no failsafe", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var log syncBuffer
			e := persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, NoFailsafe: tc.noFailsafe, Log: &log})
			autosnapExec(t, e, okay, "SET", "a", "1")

			autosnapBlockSnapshots(t, dir)
			r := autosnapRun(t, e, "MKSNAP")
			autosnapServerError(t, q("MKSNAP"), r, "snapshot")
			if !strings.Contains(log.String(), "cannot write snapshot") {
				t.Errorf("the log does not report the failed snapshot: %q", log.String())
			}
			autosnapExec(t, e, engine.String("1"), "GET", "a")
			if tc.noFailsafe {
				autosnapPoisoned(t, e, false, nil, nil)
				autosnapExec(t, e, okay, "SET", "b", "2")
			} else {
				autosnapPoisoned(t, e, true, []string{"snapshot"}, nil)
				autosnapServerError(t, q("SET", "b", "2"), autosnapRun(t, e, "SET", "b", "2"), "poisoned")
				autosnapExec(t, e, engine.Int(1), "EXISTS", "a", "b")
				// A failing remote snapshot reports its failure too.
				autosnapServerError(t, q("MKSNAP", "x"), autosnapRun(t, e, "MKSNAP", "x"), "snapshot")
			}

			autosnapUnblockSnapshots(t, dir)
			autosnapExec(t, e, okay, "MKSNAP")
			autosnapPoisoned(t, e, false, nil, nil)
			autosnapExec(t, e, okay, "SET", "c", "3")
			if got := autosnapAuto(t, dir); len(got) != 1 {
				t.Errorf("after recovery: automatic snapshots %q, want one", got)
			}
		})
	}
	// The timer's snapshots poison and recover on their own.
	t.Run("automatic", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		e := persistOpen(t, dir, engine.Options{SnapEvery: 10 * time.Millisecond})
		autosnapExec(t, e, okay, "SET", "a", "1")
		autosnapBlockSnapshots(t, dir)
		persistWait(t, "a failed automatic snapshot to poison the store", func() bool {
			_, poisoned := e.Poisoned()
			return poisoned
		})
		autosnapPoisoned(t, e, true, []string{"snapshot"}, nil)
		autosnapServerError(t, q("SET", "b", "2"), autosnapRun(t, e, "SET", "b", "2"), "poisoned")
		autosnapUnblockSnapshots(t, dir)
		persistWait(t, "a successful automatic snapshot to lift the poison", func() bool {
			_, poisoned := e.Poisoned()
			return !poisoned
		})
		autosnapExec(t, e, okay, "SET", "b", "2")
	})
}

// autosnapEvents records the calls of Options.OnPoison.
type autosnapEvents struct {
	mu     sync.Mutex
	states []bool
	why    []string
}

func (ev *autosnapEvents) add(poisoned bool, reason string) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.states = append(ev.states, poisoned)
	ev.why = append(ev.why, reason)
}

func (ev *autosnapEvents) len() int {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	return len(ev.states)
}

// onlyPoisoned fails the test unless every change from the mark-th on left
// the store poisoned for a reason that mentions part.
func (ev *autosnapEvents) onlyPoisoned(t *testing.T, mark int, part string) {
	t.Helper()
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for i := mark; i < len(ev.states); i++ {
		if !ev.states[i] || !strings.Contains(ev.why[i], part) {
			t.Errorf("OnPoison(%v, %q): the store was not poisoned by %q for a moment", ev.states[i], ev.why[i], part)
		}
	}
}

// TestAutosnapPoisonSources makes BGSAVE and snapshots fail together and
// then lets one recover: the other's poison must stay until it recovers too.
func TestAutosnapPoisonSources(t *testing.T) {
	t.Parallel()
	// blockData puts a directory where data.bin goes: rename cannot replace it.
	blockData := func(t *testing.T, dir string) {
		t.Helper()
		file := filepath.Join(dir, data.DataFileName)
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(file, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	unblockData := func(t *testing.T, dir string) {
		t.Helper()
		if err := os.Remove(filepath.Join(dir, data.DataFileName)); err != nil {
			t.Fatal(err)
		}
	}
	// both opens an engine whose BGSAVE and snapshots are failing.
	both := func(t *testing.T) (*engine.Engine, string, *autosnapEvents) {
		dir := t.TempDir()
		events := &autosnapEvents{}
		e := persistOpen(t, dir, engine.Options{SaveEvery: 10 * time.Millisecond, SnapEvery: autosnapHour, OnPoison: events.add})
		blockData(t, dir)
		autosnapExec(t, e, okay, "SET", "k", "v") // something for BGSAVE to save
		persistWait(t, "a failed BGSAVE to poison the store", func() bool {
			reason, _ := e.Poisoned()
			return strings.Contains(reason, "bgsave")
		})
		autosnapBlockSnapshots(t, dir)
		autosnapServerError(t, q("MKSNAP"), autosnapRun(t, e, "MKSNAP"), "snapshot")
		autosnapPoisoned(t, e, true, []string{"bgsave", "snapshot"}, nil)
		return e, dir, events
	}

	t.Run("snapshot success keeps the BGSAVE poison", func(t *testing.T) {
		t.Parallel()
		e, dir, events := both(t)
		mark := events.len()
		autosnapUnblockSnapshots(t, dir)
		autosnapExec(t, e, okay, "MKSNAP")
		autosnapExec(t, e, okay, "MKSNAP", "named")
		autosnapPoisoned(t, e, true, []string{"bgsave"}, []string{"snapshot failed"})
		autosnapServerError(t, q("SET", "x", "1"), autosnapRun(t, e, "SET", "x", "1"), "poisoned")
		// BGSAVE keeps failing and poisoning: the state must not have been
		// clear for a moment in between either.
		events.onlyPoisoned(t, mark, "bgsave failed")

		unblockData(t, dir)
		persistWait(t, "a successful BGSAVE to lift its poison", func() bool {
			_, poisoned := e.Poisoned()
			return !poisoned
		})
		autosnapExec(t, e, okay, "SET", "x", "1")
	})

	t.Run("BGSAVE success keeps the snapshot poison", func(t *testing.T) {
		t.Parallel()
		e, dir, events := both(t)
		mark := events.len()
		unblockData(t, dir)
		persistWait(t, "a successful BGSAVE", func() bool {
			reason, _ := e.Poisoned()
			return !strings.Contains(reason, "bgsave") && e.State().Unsaved == 0
		})
		autosnapPoisoned(t, e, true, []string{"snapshot"}, []string{"bgsave failed"})
		if m := persistFile(t, filepath.Join(dir, data.DataFileName)); m["k"] != "v" {
			t.Fatalf("data.bin holds %q after the BGSAVE, want k=v", m)
		}
		// A save the user asks for is a BGSAVE success too.
		if _, err := e.SaveNow(); err != nil {
			t.Fatalf("SaveNow: %v", err)
		}
		autosnapPoisoned(t, e, true, []string{"snapshot"}, []string{"bgsave failed"})
		autosnapServerError(t, q("SET", "x", "1"), autosnapRun(t, e, "SET", "x", "1"), "poisoned")
		events.onlyPoisoned(t, mark, "snapshot failed")

		autosnapUnblockSnapshots(t, dir)
		autosnapExec(t, e, okay, "MKSNAP")
		autosnapPoisoned(t, e, false, nil, nil)
		autosnapExec(t, e, okay, "SET", "x", "1")
	})
}

// autosnapGate is an Options.WrapWriter that, once armed, stops the next
// save in its first write until released: a snapshot that takes as long as
// the test wants.
type autosnapGate struct {
	armed   atomic.Bool
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func newAutosnapGate(t *testing.T) *autosnapGate {
	g := &autosnapGate{entered: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(g.open) // a failed test must not leave a save stuck
	return g
}

func (g *autosnapGate) open() { g.once.Do(func() { close(g.release) }) }

func (g *autosnapGate) wrap(w io.Writer) io.Writer {
	if !g.armed.CompareAndSwap(true, false) {
		return w
	}
	return &autosnapGateWriter{w: w, g: g}
}

type autosnapGateWriter struct {
	w       io.Writer
	g       *autosnapGate
	stopped bool
}

func (w *autosnapGateWriter) Write(p []byte) (int, error) {
	if !w.stopped {
		w.stopped = true
		close(w.g.entered)
		<-w.g.release
	}
	return w.w.Write(p)
}

// TestAutosnapMksnapBusy holds a snapshot in the middle of its write: MKSNAP,
// named or not, answers err-snapshot-busy meanwhile, queries go on, and the
// held snapshot completes once let go.
func TestAutosnapMksnapBusy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		every time.Duration
		start func(e *engine.Engine) <-chan engine.Response // the snapshot to hold
	}{
		{"MKSNAP in progress", autosnapHour, func(e *engine.Engine) <-chan engine.Response {
			return autosnapStart(e, "MKSNAP")
		}},
		{"MKSNAP name in progress", 0, func(e *engine.Engine) <-chan engine.Response {
			return autosnapStart(e, "MKSNAP", "slow")
		}},
		{"automatic snapshot in progress", 1500 * time.Millisecond, func(*engine.Engine) <-chan engine.Response {
			return nil // the timer starts it
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gate := newAutosnapGate(t)
			e := persistOpen(t, t.TempDir(), engine.Options{SnapEvery: tc.every, WrapWriter: gate.wrap})
			autosnapExec(t, e, okay, "SET", "a", "1")
			gate.armed.Store(true)
			done := tc.start(e)
			select {
			case <-gate.entered:
			case <-time.After(autosnapDeadline):
				t.Fatalf("no snapshot started within %v", autosnapDeadline)
			}
			if tc.every > 0 {
				autosnapExec(t, e, engine.ErrSnapshotBusy, "MKSNAP")
			}
			autosnapExec(t, e, engine.ErrSnapshotBusy, "MKSNAP", "other")
			autosnapExec(t, e, okay, "SET", "b", "2")
			autosnapExec(t, e, engine.String("1"), "GET", "a")

			gate.open()
			if done != nil {
				if r := autosnapAnswer(t, done, "the released snapshot"); !reflect.DeepEqual(r, engine.Response(okay)) {
					t.Fatalf("the held snapshot answered %s, want Okay", fmtResponse(r))
				}
			}
			// The lock is free again: a named snapshot works (the timer may
			// hold it for an instant, hence the retries).
			persistWait(t, "MKSNAP other to succeed after the release", func() bool {
				r := autosnapRun(t, e, "MKSNAP", "other")
				if r == engine.ErrSnapshotBusy {
					return false
				}
				autosnapExec(t, e, engine.ErrDuplicateSnapshot, "MKSNAP", "other")
				return true
			})
		})
	}
}

// TestAutosnapMksnapDisabled: without automatic snapshots MKSNAP answers
// err-snapshot-disabled and writes nothing, while MKSNAP name still works.
func TestAutosnapMksnapDisabled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	autosnapExec(t, e, okay, "SET", "a", "1")
	autosnapExec(t, e, engine.ErrSnapshotDisabled, "MKSNAP")
	autosnapExec(t, e, engine.ErrSnapshotDisabled, "mksnap")
	if got := autosnapAuto(t, dir); len(got) != 0 {
		t.Errorf("MKSNAP while disabled wrote %q", got)
	}
	autosnapExec(t, e, okay, "MKSNAP", "before-migration")
	autosnapHolds(t, filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName, "before-migration.snapshot"),
		map[string]string{"a": "1"})

	list, err := e.Snapshots()
	if err != nil {
		t.Fatalf("Snapshots: %v", err)
	}
	if len(list) != 1 || list[0].Name != "remote/before-migration.snapshot" || !list[0].Remote || list[0].Keys != 1 || list[0].Size <= 0 {
		t.Errorf("Snapshots() = %+v, want remote/before-migration.snapshot, remote, 1 key", list)
	}
}

// autosnapLongestName is the longest name MKSNAP takes: the snapshot's temp
// file ("." + name + ".snapshot.tmp-" + up to 10 digits) must fit the usual
// 255-byte limit of a file name.
const autosnapLongestName = 255 - len(".") - len(".snapshot") - len(".tmp-") - 10

// TestAutosnapMksnapNames refuses every name that could leave
// snapshots/remote, hide, or not be a plain portable file name, writing
// nothing; accepts the plain ones; and never replaces a snapshot.
func TestAutosnapMksnapNames(t *testing.T) {
	t.Parallel()
	invalid := []string{
		"a/b", "/abs", "/etc/passwd", "/", "a/", "remote/x",
		"..", "../x", "x/..", "a..b", "...", "../../data",
		"", " ", "a b", " a", "a ",
		"a\tb", "a\nb", "a\rb", "a\x00b", "\x00", "a\x7f", "a\x1b[31m", "a\x01",
		".hidden", ".", ".a", ".x.tmp-1",
		"é", "\xff", "a\\b", "a:b", "a*b", "a?b", "a\"b", "a'b", "a$b", "a;b",
		strings.Repeat("n", autosnapLongestName+1),
		strings.Repeat("n", 246),
		strings.Repeat("n", 247),
		strings.Repeat("n", 300),
	}
	valid := []string{
		"a", "before-migration", "v1.2_x", "A-Z_0.9", "x-", "2026",
		strings.Repeat("n", autosnapLongestName),
	}

	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{}) // remote snapshots need no automatic ones
	autosnapExec(t, e, okay, "SET", "a", "1")
	remote := filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName)
	before := autosnapTree(t, filepath.Dir(dir))
	for _, name := range invalid {
		autosnapExec(t, e, engine.ErrInvalidSnapshotName, "MKSNAP", name)
	}
	if after := autosnapTree(t, filepath.Dir(dir)); !slices.Equal(after, before) {
		t.Errorf("refused names changed the files:\nbefore %q\nafter  %q", before, after)
	}

	for _, name := range valid {
		autosnapExec(t, e, okay, "MKSNAP", name)
		autosnapHolds(t, filepath.Join(remote, name+".snapshot"), map[string]string{"a": "1"})
	}

	// A duplicate is refused and the first snapshot is left as it was.
	path := filepath.Join(remote, "a.snapshot")
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	autosnapExec(t, e, okay, "SET", "b", "2")
	autosnapExec(t, e, engine.ErrDuplicateSnapshot, "MKSNAP", "a")
	if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, first) {
		t.Errorf("MKSNAP of an existing name changed it (err %v)", err)
	}
	// Something else under that name is not replaced either.
	if err := os.Mkdir(filepath.Join(remote, "taken.snapshot"), 0o755); err != nil {
		t.Fatal(err)
	}
	autosnapExec(t, e, engine.ErrDuplicateSnapshot, "MKSNAP", "taken")
	if fi, err := os.Stat(filepath.Join(remote, "taken.snapshot")); err != nil || !fi.IsDir() {
		t.Errorf("MKSNAP replaced the directory taken.snapshot (err %v)", err)
	}
}

// autosnapTree lists every path under root, with each file's size, so that
// a test sees any file created, removed or changed in size anywhere in it.
func autosnapTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.Name() == data.LockFileName {
			return nil // it holds the pid of whoever has the lock
		}
		size := int64(0)
		if !d.IsDir() {
			size = fi.Size()
		}
		out = append(out, fmt.Sprintf("%s %d", path, size))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
