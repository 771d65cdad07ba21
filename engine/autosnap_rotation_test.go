package engine_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"skysh/data"
	"skysh/engine"
)

// autosnapFresh returns the automatic snapshots in dir that are not among
// before: the ones written since before was listed.
func autosnapFresh(t *testing.T, dir string, before []string) []string {
	t.Helper()
	var fresh []string
	for _, name := range autosnapAuto(t, dir) {
		if !slices.Contains(before, name) {
			fresh = append(fresh, name)
		}
	}
	return fresh
}

// autosnapRestores fails the test unless an engine started from the
// automatic snapshot name (as --restore takes it) holds want.
func autosnapRestores(t *testing.T, dir, name string, want map[string]string) {
	t.Helper()
	e := persistOpen(t, dir, engine.Options{Restore: name})
	persistSame(t, "store restored from "+name, persistStore(t, e), want)
	persistCloseNow(t, e)
}

// TestAutosnapRotationFutureNames puts automatic snapshots whose names lie
// in the future in the snapshot directory (written while the clock was
// ahead, or copied in). The snapshot MKSNAP writes now sorts before them by
// name, but it is the newest: rotation must keep it, whatever atmost is,
// and it must load.
func TestAutosnapRotationFutureNames(t *testing.T) {
	t.Parallel()
	seed := autosnapSeed(t)
	future := []string{"20991231-235959.snapshot", "20990101-000000.snapshot", "20980615-120000.snapshot"}
	past := "20200101-000000.snapshot"
	for _, keep := range []int{1, 2, 3} {
		dir := t.TempDir()
		autosnapOldFiles(t, dir, seed, append([]string{past}, future...)...)
		before := autosnapAuto(t, dir)
		e := persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, SnapKeep: keep})
		autosnapExec(t, e, okay, "SET", "a", "1")
		autosnapExec(t, e, okay, "MKSNAP")
		fresh := autosnapFresh(t, dir, before)
		if len(fresh) != 1 {
			t.Fatalf("atmost %d: MKSNAP answered Okay, but the new snapshot is not there: %q (before: %q)",
				keep, autosnapAuto(t, dir), before)
		}
		if got := autosnapAuto(t, dir); len(got) != keep {
			t.Errorf("atmost %d: %d automatic snapshots kept: %q", keep, len(got), got)
		}
		persistCloseNow(t, e)
		autosnapRestores(t, dir, fresh[0], map[string]string{"a": "1"})
		autosnapHolds(t, filepath.Join(dir, data.SnapshotDirName, fresh[0]), map[string]string{"a": "1"})
	}
}

// TestAutosnapRotationClockBackwards moves the clock backwards between
// snapshots of one run, so each new name sorts before the ones written
// earlier. Rotation must go by the order of writing, which cannot go
// backwards: it keeps the newest written, never the one just written
// last to go. After a restart, the earlier run's snapshots are older than
// anything the new run writes, and among themselves go by name.
func TestAutosnapRotationClockBackwards(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := newTestClock(start)
	e := persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, SnapKeep: 2, Clock: clock})
	snaps := filepath.Join(dir, data.SnapshotDirName)
	want := map[string]string{}
	for i, step := range []struct {
		at   time.Duration // clock, from start
		keep []string      // the snapshots left after this one
	}{
		{0, []string{"20300601-120000.snapshot"}},
		{time.Hour, []string{"20300601-120000.snapshot", "20300601-130000.snapshot"}},
		{-time.Hour, []string{"20300601-110000.snapshot", "20300601-130000.snapshot"}},
		{-2 * time.Hour, []string{"20300601-100000.snapshot", "20300601-110000.snapshot"}},
	} {
		clock.Set(start.Add(step.at))
		k := fmt.Sprint("k", i)
		autosnapExec(t, e, okay, "SET", k, "v")
		want[k] = "v"
		autosnapExec(t, e, okay, "MKSNAP")
		if got := autosnapAuto(t, dir); !slices.Equal(got, step.keep) {
			t.Fatalf("snapshot %d, clock at %s: kept %q, want %q", i+1, clock.Now().Format(time.TimeOnly), got, step.keep)
		}
		name := clock.Now().UTC().Format("20060102-150405") + ".snapshot"
		autosnapHolds(t, filepath.Join(snaps, name), want)
	}
	persistCloseNow(t, e)

	// A new run, the clock further back still: the new snapshot stays, and
	// of the two the earlier run left, the later-named one.
	clock.Set(start.Add(-3 * time.Hour))
	e = persistOpen(t, dir, engine.Options{SnapEvery: autosnapHour, SnapKeep: 2, Clock: clock})
	autosnapExec(t, e, okay, "MKSNAP")
	if got, keep := autosnapAuto(t, dir), []string{"20300601-090000.snapshot", "20300601-110000.snapshot"}; !slices.Equal(got, keep) {
		t.Fatalf("after a restart: kept %q, want %q", got, keep)
	}
	persistCloseNow(t, e)
	autosnapRestores(t, dir, "20300601-090000.snapshot", want)
}
