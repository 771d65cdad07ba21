package engine_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"skysh/engine"
)

// The store every poison test starts from.
var (
	poisonSetup = [][]string{q("SET", "a", "1"), q("SET", "b", "2"), q("SET", nul, ff)}
	poisonData  = map[string]string{"a": "1", "b": "2", nul: ff}
)

// writeQueries are one query per write action, each of which would change
// the store if it were not poisoned.
var writeQueries = [][]string{
	q("SET", "c", "3"),
	q("UPDATE", "a", "10"),
	q("DEL", "a"),
	q("MSET", "c", "3"),
	q("MUPDATE", "a", "10"),
	q("SSET", "c", "3"),
	q("SUPDATE", "a", "10"),
	q("SDEL", "a"),
	q("USET", "a", "10"),
	q("FLUSHDB"),
	q("POP", "a"),
}

// failingWrites would not change the store anyway; while poisoned they are
// refused for the poison, not for their own reason.
var failingWrites = [][]string{
	q("SET", "a", "9"),
	q("UPDATE", "missing", "1"),
	q("SSET", "a", "1"),
	q("set", "c", "3"),
}

// checkRefused fails unless r is code 5 with a detail that names every reason.
func checkRefused(t *testing.T, query []string, r engine.Response, reasons ...string) {
	t.Helper()
	s, ok := r.(engine.Status)
	if !ok || s.Code != engine.ServerError {
		t.Errorf("%s = %s, want code %d (Server Error)", fmtQuery(query), fmtResponse(r), engine.ServerError)
		return
	}
	for _, why := range reasons {
		if !strings.Contains(s.Detail, why) {
			t.Errorf("%s: detail %q does not mention %q", fmtQuery(query), s.Detail, why)
		}
	}
}

func TestPoisonRefusesWrites(t *testing.T) {
	for _, query := range writeQueries {
		// Without poison the query does write, so refusing it means something.
		control := newEngine(t, poisonSetup...)
		before := control.Changes()
		if r := control.Exec(query); engine.Failed(r) || control.Changes() == before {
			t.Fatalf("unpoisoned %s = %s and changed nothing; fix the test", fmtQuery(query), fmtResponse(r))
		}
	}
	for _, query := range append(slices.Clone(writeQueries), failingWrites...) {
		t.Run(strings.Join(query, " "), func(t *testing.T) {
			e := newEngine(t, poisonSetup...)
			e.Poison(engine.SourceBGSave, "disk full")
			before := e.Changes()
			checkRefused(t, query, e.Exec(query), "disk full")
			checkContents(t, e, poisonData)
			if got := e.Changes(); got != before {
				t.Errorf("Changes() = %d after a refused write, want %d", got, before)
			}
		})
	}
}

func TestPoisonKeepsReads(t *testing.T) {
	e := newEngine(t, poisonSetup...)
	e.Poison(engine.SourceBGSave, "disk full")
	for _, tc := range []struct {
		query []string
		want  engine.Response
	}{
		{q("GET", "a"), engine.String("1")},
		{q("GET", nul), engine.String(ff)},
		{q("GET", "missing"), nilCode},
		{q("EXISTS", "a", "b", "missing"), engine.Int(2)},
		{q("MGET", "b", "missing"), engine.Array{engine.String("2"), nilCode}},
		{q("DBSIZE"), engine.Int(3)},
		{q("KEYLEN", "a"), engine.Int(1)},
		{q("KEYLEN", "missing"), nilCode},
		{q("HEYA"), engine.String("HEY!")},
		{q("get", "b"), engine.String("2")},
		// Not a write: MKSNAP answers for itself, never with the poison.
		{q("MKSNAP"), engine.ErrSnapshotDisabled},
	} {
		if got := e.Exec(tc.query); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %s, want %s", fmtQuery(tc.query), fmtResponse(got), fmtResponse(tc.want))
		}
	}
	// LSKEYS lists keys in no particular order.
	if keys := stringsOf(t, run(t, e, "LSKEYS", "1")); len(keys) != 1 {
		t.Errorf("LSKEYS 1 = %q, want one key", keys)
	} else if _, ok := poisonData[keys[0]]; !ok {
		t.Errorf("LSKEYS 1 = %q, which is not in the store", keys)
	}
	if keys := stringsOf(t, run(t, e, "LSKEYS")); !reflect.DeepEqual(keys, sortedKeys(poisonData)) {
		t.Errorf("LSKEYS = %q, want %q", keys, sortedKeys(poisonData))
	}
}

// TestPoisonChecksComeAfterParsing documents the order of checks in Exec: an
// unknown action and a wrong number of arguments are reported as such even
// while the store is poisoned, because nothing would be written anyway.
func TestPoisonChecksComeAfterParsing(t *testing.T) {
	e := newEngine(t, poisonSetup...)
	e.Poison(engine.SourceBGSave, "disk full")
	for _, tc := range []struct {
		query []string
		want  engine.Response
	}{
		{q("SET", "c"), actionError},
		{q("MSET", "c", "3", "d"), actionError},
		{q("FLUSHDB", "now"), actionError},
		{q("DEL"), actionError},
		{q("NOPE", "a"), engine.ErrUnknownAction},
	} {
		got := e.Exec(tc.query)
		if st, ok := got.(engine.Status); ok && tc.want == actionError && st.Code == engine.ActionError {
			continue // with what the action takes: TestArityErrorsSayWhatTheActionTakes
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %s, want %s", fmtQuery(tc.query), fmtResponse(got), fmtResponse(tc.want))
		}
	}
	if got, ok := e.Exec(nil).(engine.Status); !ok || got.Code != engine.PacketError {
		t.Errorf("Exec(nil) = %s, want code %d", fmtResponse(e.Exec(nil)), engine.PacketError)
	}
	checkContents(t, e, poisonData)
}

func TestPoisonTwoSources(t *testing.T) {
	e := newEngine(t, poisonSetup...)
	if reason, poisoned := e.Poisoned(); poisoned || reason != "" {
		t.Fatalf("new engine: Poisoned() = %q, %v; want \"\", false", reason, poisoned)
	}

	e.Poison(engine.SourceBGSave, "disk full")
	e.Poison(engine.SourceSnapshot, "permission denied")
	reason, poisoned := e.Poisoned()
	if !poisoned || !strings.Contains(reason, "disk full") || !strings.Contains(reason, "permission denied") {
		t.Errorf("Poisoned() = %q, %v; want both reasons, true", reason, poisoned)
	}
	checkRefused(t, q("SET", "c", "3"), run(t, e, "SET", "c", "3"), "disk full", "permission denied")

	// The BGSAVE succeeded again; the snapshot service still fails.
	e.ClearPoison(engine.SourceBGSave)
	reason, poisoned = e.Poisoned()
	if !poisoned || strings.Contains(reason, "disk full") || !strings.Contains(reason, "permission denied") {
		t.Errorf("after clearing bgsave: Poisoned() = %q, %v; want only the snapshot reason, true", reason, poisoned)
	}
	checkRefused(t, q("SET", "c", "3"), run(t, e, "SET", "c", "3"), "permission denied")
	checkContents(t, e, poisonData)

	// Clearing a source that is not poisoning is harmless.
	e.ClearPoison(engine.SourceBGSave)
	checkRefused(t, q("DEL", "a"), run(t, e, "DEL", "a"), "permission denied")

	e.ClearPoison(engine.SourceSnapshot)
	if reason, poisoned := e.Poisoned(); poisoned || reason != "" {
		t.Errorf("after clearing both: Poisoned() = %q, %v; want \"\", false", reason, poisoned)
	}
	mustRun(t, e, okay, "SET", "c", "3")
	mustRun(t, e, engine.Int(1), "DEL", "a")
	checkContents(t, e, map[string]string{"b": "2", "c": "3", nul: ff})
}

// TestPoisonNewReasonReplacesOld checks that a source failing again for
// another reason reports the latest one.
func TestPoisonNewReasonReplacesOld(t *testing.T) {
	e := newEngine(t)
	e.Poison(engine.SourceBGSave, "disk full")
	e.Poison(engine.SourceBGSave, "input/output error")
	reason, poisoned := e.Poisoned()
	if !poisoned || strings.Contains(reason, "disk full") || !strings.Contains(reason, "input/output error") {
		t.Errorf("Poisoned() = %q, %v; want only the latest reason, true", reason, poisoned)
	}
	e.ClearPoison(engine.SourceBGSave)
	mustRun(t, e, okay, "SET", "a", "1")
}
