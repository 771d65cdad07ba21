package engine_test

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"

	"skysh/engine"
	"skysh/internal/conformance"
)

// q builds a query, so that tables read like what a user types.
func q(args ...string) []string { return args }

// newEngine returns an engine on which every setup query has already run
// without failing.
func newEngine(t testing.TB, setup ...[]string) *engine.Engine {
	t.Helper()
	e := engine.New()
	for _, query := range setup {
		if r := e.Exec(query); engine.Failed(r) {
			t.Fatalf("setup %s: got %s", fmtQuery(query), fmtResponse(r))
		}
	}
	return e
}

// run executes one query and returns its response.
func run(t testing.TB, e *engine.Engine, args ...string) engine.Response {
	t.Helper()
	return e.Exec(args)
}

// mustRun executes one query and fails the test unless it answers want.
func mustRun(t testing.TB, e *engine.Engine, want engine.Response, args ...string) {
	t.Helper()
	if got := e.Exec(args); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s = %s, want %s", fmtQuery(args), fmtResponse(got), fmtResponse(want))
	}
}

// checkContents fails the test unless the store holds exactly want, checked
// through queries only: DBSIZE gives the size and GET every value, so no
// extra key can hide.
func checkContents(t testing.TB, e *engine.Engine, want map[string]string) {
	t.Helper()
	if got, want := run(t, e, "DBSIZE"), engine.Int(len(want)); got != want {
		t.Errorf("DBSIZE = %s, want %s", fmtResponse(got), fmtResponse(want))
	}
	if got, want := e.Len(), len(want); got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	for _, k := range sortedKeys(want) {
		if got, want := run(t, e, "GET", k), engine.String(want[k]); got != want {
			t.Errorf("GET %q = %s, want %s", k, fmtResponse(got), fmtResponse(want))
		}
	}
}

// contents reads a snapshot into a map, failing on a key seen twice.
func contents(t testing.TB, sn *engine.Snapshot) map[string]string {
	t.Helper()
	m := make(map[string]string, sn.Len())
	err := sn.Range(func(k, v string) error {
		if _, dup := m[k]; dup {
			return fmt.Errorf("key %q ranged twice", k)
		}
		m[k] = v
		return nil
	})
	if err != nil {
		t.Fatalf("Range: %v", err)
	}
	return m
}

// stringsOf returns the items of an array of strings, sorted, for actions
// such as LSKEYS whose order is unspecified.
func stringsOf(t testing.TB, r engine.Response) []string {
	t.Helper()
	arr, ok := r.(engine.Array)
	if !ok {
		t.Fatalf("got %s, want an array", fmtResponse(r))
	}
	out := make([]string, len(arr))
	for i, item := range arr {
		s, ok := item.(engine.String)
		if !ok {
			t.Fatalf("item %d is %s, want a string", i, fmtResponse(item))
		}
		out[i] = string(s)
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fmtQuery and fmtResponse show queries and answers in failure messages,
// as the shared table does.
var (
	fmtQuery    = conformance.FormatQuery
	fmtResponse = conformance.FormatResponse
)

// Binary-safe keys and values: a NUL and a byte that is not UTF-8.
const (
	nul = "\x00"
	ff  = "\xff"
)

// Response values used throughout the tests.
var (
	okay        = engine.Status{Code: engine.Okay}
	nilCode     = engine.Status{Code: engine.Nil}
	overwrite   = engine.Status{Code: engine.OverwriteError}
	actionError = engine.Status{Code: engine.ActionError}
	wrongtype   = engine.Status{Code: engine.WrongtypeError}
)

// syncBuffer collects what the engine's goroutines write (its log), for the
// test to poll while they go on writing.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// mustCommit makes the writes so far durable, as the shell does before it
// shows their answers, and fails the test if it cannot.
func mustCommit(t testing.TB, e *engine.Engine) {
	t.Helper()
	if err := e.Commit(); err != nil {
		t.Fatal(err)
	}
}
