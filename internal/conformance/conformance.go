// Package conformance writes the query language down once, as a table of
// cases, and holds every backend.Store to it: the local engine and the etcd
// cluster run the same cases, so their answers cannot drift apart.
//
// A case is a query on a small store: the queries that build the store, the
// query, its exact answer and the whole store afterwards, read back through
// the backend.Store interface alone. Every case starts from a fresh, empty
// store and makes few queries, because on a cluster each one is a round trip.
// Behaviour only one kind of store has (MKSNAP, poisoning, the journal) is
// tested beside that store, not here.
package conformance

import (
	"testing"

	"skysh/backend"
	"skysh/engine"
)

// Case is one query of the table.
type Case struct {
	// Name is the action, a slash and what the case checks: "GET/missing".
	Name string
	// Setup runs in order before Query; each query must not fail.
	Setup [][]string
	// Query is the query whose answer is checked: args[0] is the action.
	Query []string
	// Want is the exact answer.
	Want engine.Response
	// Unordered says Want is an array of strings whose order is not set
	// (LSKEYS): the answer must hold the same strings in any order.
	Unordered bool
	// Pick, when not zero, says the answer is an array of Pick distinct
	// strings, each an item of Want: LSKEYS n on a store of more than n keys
	// lists n of them, and which ones is not set.
	Pick int
	// After is the whole store once Query has run; nil means empty.
	After map[string]string
}

// Run runs every case of Cases as a subtest named for it, each on a store
// from open, which must return a new, empty store (a fresh keyspace on a
// cluster) and register with t.Cleanup whatever closes it.
func Run(t *testing.T, open func(t *testing.T) backend.Store) {
	t.Helper()
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) { c.Check(t, open(t)) })
	}
}

// Check runs c on s, which must be empty, and fails t unless the answer is
// c.Want and s then holds exactly c.After.
func (c Case) Check(t *testing.T, s backend.Store) {
	t.Helper()
	if got, err := contents(s); err != nil || len(got) > 0 {
		t.Fatalf("the store for the case is not empty: %d keys, %v", len(got), err)
	}
	for _, query := range c.Setup {
		if r := s.Exec(query); engine.Failed(r) {
			t.Fatalf("setup %s: got %s", FormatQuery(query), FormatResponse(r))
		}
	}
	got := s.Exec(c.Query)
	if err := c.checkAnswer(got); err != nil {
		t.Errorf("%s = %s: %v", FormatQuery(c.Query), FormatResponse(got), err)
	}
	if err := checkStore(s, c.After); err != nil {
		t.Errorf("after %s:\n%v", FormatQuery(c.Query), err)
	}
}
