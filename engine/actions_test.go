package engine_test

import (
	"slices"
	"strings"
	"testing"

	"skysh/backend"
	"skysh/engine"
	"skysh/internal/conformance"
)

// TestConformance holds the engine to the query-language table that every
// backend shares, each case on a new, empty engine.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(*testing.T) backend.Store { return engine.New() })
}

// TestMksnap: an engine without a data directory has nowhere to write a
// snapshot. MKSNAP is the engine's own (a cluster exports its keyspace), so
// its cases are here and not in the shared table.
func TestMksnap(t *testing.T) {
	setAB := [][]string{q("MSET", "a", "1", "b", "2")}
	ab := map[string]string{"a": "1", "b": "2"}
	for _, c := range []conformance.Case{
		{Name: "no name", Setup: setAB, Query: q("MKSNAP"), Want: engine.ErrSnapshotDisabled, After: ab},
		{Name: "with name", Setup: setAB, Query: q("MKSNAP", "before-migration"), Want: engine.ErrSnapshotDisabled, After: ab},
		{Name: "lower case", Setup: setAB, Query: q("mksnap"), Want: engine.ErrSnapshotDisabled, After: ab},
		{Name: "two args", Setup: setAB, Query: q("MKSNAP", "a", "b"),
			Want: engine.Status{Code: engine.ActionError, Detail: "MKSNAP takes at most 1 argument: MKSNAP [name]"}, After: ab},
	} {
		t.Run(c.Name, func(t *testing.T) { c.Check(t, engine.New()) })
	}
}

// TestEveryActionInAnyCase runs every listed action in lower case, so that a
// new action cannot slip out of the case-insensitive lookup.
func TestEveryActionInAnyCase(t *testing.T) {
	infos := engine.Actions()
	if got, want := len(infos), 19; got != want {
		t.Fatalf("len(Actions()) = %d, want %d", got, want)
	}
	for _, info := range infos {
		lower := []byte(info.Name)
		for i, c := range lower {
			if 'A' <= c && c <= 'Z' && i%2 == 0 {
				lower[i] = c + ('a' - 'A')
			}
		}
		for _, name := range []string{info.Name, string(lower), strings.ToLower(info.Name)} {
			if got := newEngine(t).Exec(q(name)); got == engine.Response(engine.ErrUnknownAction) {
				t.Errorf("%q is an unknown action", name)
			}
			if got, ok := engine.LookupAction(name); !ok || got != info {
				t.Errorf("LookupAction(%q) = %+v, %v; want %+v, true", name, got, ok, info)
			}
		}
	}
}

func TestActions(t *testing.T) {
	var names []string
	for _, info := range engine.Actions() {
		names = append(names, info.Name)
		if info.Syntax == "" || info.Summary == "" || info.Example == "" {
			t.Errorf("%s: incomplete help %+v", info.Name, info)
		}
	}
	want := []string{"HEYA", "GET", "SET", "UPDATE", "DEL", "EXISTS", "MGET", "MSET", "MUPDATE",
		"SSET", "SUPDATE", "SDEL", "USET", "DBSIZE", "FLUSHDB", "KEYLEN", "LSKEYS", "POP", "MKSNAP"}
	if !slices.Equal(names, want) {
		t.Errorf("Actions() names = %q, want %q", names, want)
	}
	if info, ok := engine.LookupAction("nope"); ok || info != (engine.ActionInfo{}) {
		t.Errorf("LookupAction(nope) = %+v, %v; want zero, false", info, ok)
	}
}

// TestExampleQueriesRun runs each action's help example, which a user will
// copy: it must never be an arity error or an unknown action.
func TestExampleQueriesRun(t *testing.T) {
	for _, info := range engine.Actions() {
		e := newEngine(t)
		r := e.Exec(splitExample(info.Example))
		if s, ok := r.(engine.Status); ok && s.Code == engine.ActionError {
			t.Errorf("example %q: got %s", info.Example, fmtResponse(r))
		}
		if r == engine.Response(engine.ErrUnknownAction) {
			t.Errorf("example %q: got %s", info.Example, fmtResponse(r))
		}
	}
}

// splitExample splits a help example at spaces outside double quotes; the
// examples use nothing more of the shell's syntax.
func splitExample(line string) []string {
	var args []string
	var cur strings.Builder
	quoted, inArg := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, inArg = !quoted, true
		case r == ' ' && !quoted:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
			}
			inArg = false
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}
