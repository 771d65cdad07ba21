package engine_test

import (
	"errors"
	"maps"
	"strconv"
	"testing"

	"skysh/engine"
)

// checkSnapshot fails unless sn holds exactly want, by Range and by Len.
func checkSnapshot(t *testing.T, what string, sn *engine.Snapshot, want map[string]string) {
	t.Helper()
	if got := contents(t, sn); !maps.Equal(got, want) {
		t.Errorf("%s: Range gave %q, want %q", what, got, want)
	}
	if got, want := sn.Len(), len(want); got != want {
		t.Errorf("%s: Len() = %d, want %d", what, got, want)
	}
}

// manyKeys returns n keys, enough to land in every shard of the store.
func manyKeys(n int) ([][]string, map[string]string) {
	setup := make([][]string, n)
	m := make(map[string]string, n)
	for i := range n {
		k, v := "key:"+strconv.Itoa(i), "v"+strconv.Itoa(i)
		setup[i] = q("SET", k, v)
		m[k] = v
	}
	return setup, m
}

func TestSnapshotIsPointInTime(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes [][]string
		after  map[string]string
	}{
		{"SET", [][]string{q("SET", "c", "3")}, map[string]string{"a": "1", "b": "2", nul: ff, "c": "3"}},
		{"UPDATE", [][]string{q("UPDATE", "a", "10")}, map[string]string{"a": "10", "b": "2", nul: ff}},
		{"USET", [][]string{q("USET", "a", "10", "d", "4")}, map[string]string{"a": "10", "b": "2", nul: ff, "d": "4"}},
		{"DEL", [][]string{q("DEL", "a", nul)}, map[string]string{"b": "2"}},
		{"POP", [][]string{q("POP", "b")}, map[string]string{"a": "1", nul: ff}},
		{"SDEL", [][]string{q("SDEL", "a", "b")}, map[string]string{nul: ff}},
		{"FLUSHDB", [][]string{q("FLUSHDB")}, map[string]string{}},
		{"FLUSHDB then SET", [][]string{q("FLUSHDB"), q("SET", "a", "new")}, map[string]string{"a": "new"}},
		{"delete then re-create", [][]string{q("DEL", "a"), q("SET", "a", "again")},
			map[string]string{"a": "again", "b": "2", nul: ff}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, poisonSetup...)
			sn := e.Snapshot()
			for _, w := range tc.writes {
				if r := e.Exec(w); engine.Failed(r) {
					t.Fatalf("%s = %s", fmtQuery(w), fmtResponse(r))
				}
			}
			checkSnapshot(t, "snapshot", sn, poisonData)
			checkContents(t, e, tc.after)

			e.Release(sn)
			checkSnapshot(t, "released snapshot", sn, poisonData)
			// After Release the store writes in place again; it must still
			// be right, and a new snapshot must see it.
			mustRun(t, e, engine.Int(1), "USET", "z", "26")
			tc.after["z"] = "26"
			checkContents(t, e, tc.after)
			sn2 := e.Snapshot()
			defer e.Release(sn2)
			checkSnapshot(t, "new snapshot", sn2, tc.after)
		})
	}
}

// TestSnapshotManyKeys writes to every shard after a snapshot, so that each
// shard is copied on its first write.
func TestSnapshotManyKeys(t *testing.T) {
	setup, old := manyKeys(5000)
	e := newEngine(t, setup...)
	sn := e.Snapshot()
	defer e.Release(sn)

	live := maps.Clone(old)
	for i := 0; i < 5000; i += 3 {
		k := "key:" + strconv.Itoa(i)
		switch i % 2 {
		case 0:
			mustRun(t, e, okay, "UPDATE", k, "changed")
			live[k] = "changed"
		case 1:
			mustRun(t, e, engine.Int(1), "DEL", k)
			delete(live, k)
		}
		mustRun(t, e, okay, "SET", "new:"+strconv.Itoa(i), "n")
		live["new:"+strconv.Itoa(i)] = "n"
	}
	checkSnapshot(t, "snapshot", sn, old)
	checkContents(t, e, live)

	now := e.Snapshot()
	defer e.Release(now)
	checkSnapshot(t, "second snapshot", now, live)
}

func TestSnapshotsOverlap(t *testing.T) {
	setup, gen1 := manyKeys(3000)
	e := newEngine(t, setup...)

	first := e.Snapshot()
	mustRun(t, e, engine.Int(2), "USET", "key:1", "second", "extra", "x")
	gen2 := maps.Clone(gen1)
	gen2["key:1"], gen2["extra"] = "second", "x"

	second := e.Snapshot()
	mustRun(t, e, engine.Int(2), "DEL", "key:2", "extra")
	mustRun(t, e, okay, "UPDATE", "key:1", "third")
	gen3 := maps.Clone(gen2)
	delete(gen3, "key:2")
	delete(gen3, "extra")
	gen3["key:1"] = "third"

	checkSnapshot(t, "first", first, gen1)
	checkSnapshot(t, "second", second, gen2)
	checkContents(t, e, gen3)

	// Releasing the older one must not expose the younger one to writes,
	// nor the other way round.
	e.Release(first)
	for i := range 3000 {
		mustRun(t, e, engine.Int(1), "USET", "key:"+strconv.Itoa(i), "fourth")
	}
	checkSnapshot(t, "second after first released", second, gen2)
	third := e.Snapshot()
	e.Release(second)
	mustRun(t, e, okay, "FLUSHDB")
	for i := range 3000 {
		mustRun(t, e, okay, "SET", "key:"+strconv.Itoa(i), "fifth")
	}
	if got, want := third.Len(), 3000; got != want {
		t.Errorf("third: Len() = %d, want %d", got, want)
	}
	_ = third.Range(func(k, v string) error {
		if v != "fourth" {
			t.Errorf("third: %q = %q, want %q", k, v, "fourth")
		}
		return nil
	})
	e.Release(third)
	checkSnapshot(t, "second, after all released", second, gen2)
}

// TestSnapshotStaleRelease releases a snapshot whose shards FLUSHDB has since
// replaced, while a younger snapshot shares the new ones.
func TestSnapshotStaleRelease(t *testing.T) {
	setup, gen1 := manyKeys(2000)
	e := newEngine(t, setup...)
	old := e.Snapshot()
	mustRun(t, e, okay, "FLUSHDB")
	mustRun(t, e, engine.Int(2), "USET", "a", "1", "b", "2")
	young := e.Snapshot()
	e.Release(old)
	mustRun(t, e, okay, "UPDATE", "a", "changed")
	mustRun(t, e, engine.Int(1), "DEL", "b")
	// Write to every shard again, each of which young shares.
	mustRun(t, e, engine.Int(1999), append(q("MSET"), manyKeysArgs(2000)...)...)
	checkSnapshot(t, "young", young, map[string]string{"a": "1", "b": "2"})
	checkSnapshot(t, "old", old, gen1)
	e.Release(young)
}

// manyKeysArgs returns the key/value pairs key:1 … key:n-1 for MSET.
func manyKeysArgs(n int) []string {
	args := make([]string, 0, 2*n)
	for i := 1; i < n; i++ {
		args = append(args, "key:"+strconv.Itoa(i), "y")
	}
	return args
}

func TestSnapshotEmpty(t *testing.T) {
	e := newEngine(t)
	sn := e.Snapshot()
	defer e.Release(sn)
	mustRun(t, e, okay, "SET", "a", "1")
	checkSnapshot(t, "empty snapshot", sn, map[string]string{})
	if sn.Changes != 0 {
		t.Errorf("Changes = %d, want 0", sn.Changes)
	}
}

func TestSnapshotRangeStopsAtError(t *testing.T) {
	setup, _ := manyKeys(100)
	e := newEngine(t, setup...)
	sn := e.Snapshot()
	defer e.Release(sn)
	stop := errors.New("stop")
	calls := 0
	err := sn.Range(func(k, v string) error {
		calls++
		if calls == 7 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("Range returned %v, want %v", err, stop)
	}
	if calls != 7 {
		t.Errorf("Range called fn %d times after it failed at 7", calls)
	}
}

func TestChanges(t *testing.T) {
	for _, tc := range []struct {
		query []string
		delta uint64
	}{
		{q("SET", "new", "1"), 1},
		{q("SET", "a", "9"), 0}, // exists: code 2
		{q("UPDATE", "a", "10"), 1},
		{q("UPDATE", "missing", "1"), 0},
		{q("DEL", "a", "b", "missing"), 2},
		{q("DEL", "missing"), 0},
		{q("MSET", "a", "9", "new", "1", "new2", "2"), 2},
		{q("MSET", "a", "9"), 0},
		{q("MUPDATE", "a", "9", "missing", "1"), 1},
		{q("MUPDATE", "missing", "1"), 0},
		{q("SSET", "new", "1", "new2", "2"), 2},
		{q("SSET", "new", "1", "a", "2"), 0},
		{q("SUPDATE", "a", "9", "b", "8"), 2},
		{q("SUPDATE", "a", "9", "missing", "8"), 0},
		{q("SDEL", "a", "b"), 2},
		{q("SDEL", "a", "missing"), 0},
		{q("USET", "a", "9", "new", "1", "new2", "2"), 3},
		{q("FLUSHDB"), 3},
		{q("POP", "a", "missing"), 1},
		{q("POP", "missing"), 0},
		// Reads, errors and refusals change nothing.
		{q("GET", "a"), 0},
		{q("EXISTS", "a"), 0},
		{q("MGET", "a", "b"), 0},
		{q("DBSIZE"), 0},
		{q("KEYLEN", "a"), 0},
		{q("LSKEYS"), 0},
		{q("HEYA"), 0},
		{q("MKSNAP"), 0},
		{q("SET", "new"), 0},
		{q("NOPE", "new", "1"), 0},
	} {
		e := newEngine(t, poisonSetup...)
		before := e.Changes()
		if before != 3 {
			t.Fatalf("Changes() after three SETs = %d, want 3", before)
		}
		e.Exec(tc.query)
		if got := e.Changes() - before; got != tc.delta {
			t.Errorf("%s: Changes() grew by %d, want %d", fmtQuery(tc.query), got, tc.delta)
		}
	}
}

func TestChangesOnEmptyStore(t *testing.T) {
	e := newEngine(t)
	if got := e.Changes(); got != 0 {
		t.Fatalf("new engine: Changes() = %d, want 0", got)
	}
	mustRun(t, e, okay, "FLUSHDB")
	if got := e.Changes(); got != 0 {
		t.Errorf("FLUSHDB of an empty store: Changes() = %d, want 0", got)
	}
}

func TestSnapshotChanges(t *testing.T) {
	e := newEngine(t)
	s0 := e.Snapshot()
	defer e.Release(s0)
	mustRun(t, e, engine.Int(3), "USET", "a", "1", "b", "2", "c", "3")
	s1 := e.Snapshot()
	defer e.Release(s1)
	mustRun(t, e, overwrite, "SET", "a", "1")
	mustRun(t, e, engine.Int(1), "DEL", "a")
	s2 := e.Snapshot()
	defer e.Release(s2)
	for _, tc := range []struct {
		name string
		got  uint64
		want uint64
	}{
		{"first", s0.Changes, 0},
		{"second", s1.Changes, 3},
		{"third", s2.Changes, 4},
		{"live", e.Changes(), 4},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: Changes = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}
