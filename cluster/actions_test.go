package cluster_test

import (
	"reflect"
	"strings"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// Binary-safe keys and values, as in the engine's tests: a NUL, a byte that
// is not UTF-8, and the empty string.
const (
	nul   = "\x00"
	ff    = "\xff"
	bin   = "k\x00\xff\xfe"
	empty = ""
)

// The stores the queries start from: empty, two keys, and binary keys with
// the empty key and an empty value.
var setups = map[string][][]string{
	"empty":  nil,
	"ab":     {q("SET", "a", "1"), q("SET", "b", "2")},
	"binary": {q("SET", nul, ff), q("SET", empty, empty), q("SET", bin, "v\x00")},
}

// queries are the action tests of the engine (engine/actions_test.go) as
// queries alone: the engine's answer to each is the one the cluster must
// give, code, value and order, and the store afterwards must be the same.
var queries = [][]string{
	q("HEYA"), q("HEYA", "a", "b", "c"), q("heya"),
	q("GET", "a"), q("GET", "c"), q("GET", "A"), q("get", "b"), q("GET"), q("GET", "a", "b"),
	q("GET", nul), q("GET", empty), q("GET", bin), q("GET", "k"),
	q("SET", "a", "9"), q("SET", "c", "3"), q("SET", "a", "1"), q("sEt", "x", "1"), q("SET"), q("SET", "c"),
	q("SET", "c", "3", "4"), q("SET", empty, empty), q("SET", empty, "x"), q("SET", bin, nul+ff), q("SET", nul, "n"),
	q("UPDATE", "a", "10"), q("UPDATE", "c", "3"), q("UPDATE", "a", empty), q("UPDATE", nul, nul),
	q("UPDATE", empty, "e"), q("update", "b", "20"), q("UPDATE"), q("UPDATE", "a"), q("UPDATE", "a", "1", "2"),
	q("DEL", "a"), q("DEL", "a", "b"), q("DEL", "a", "x", "y"), q("DEL", "x", "y"), q("DEL", "a", "a"),
	q("DEL", nul, empty, ff), q("DEL", empty, empty, empty), q("del", "b"), q("DEL"),
	q("EXISTS", "a"), q("EXISTS", "a", "x", "b"), q("EXISTS", "x"), q("EXISTS", "a", "a"),
	q("EXISTS", nul, empty, bin, ff), q("EXISTS", empty, empty), q("exists", "a"), q("EXISTS"),
	q("MGET", "b", "a"), q("MGET", "a", "x", "b"), q("MGET", "x"), q("MGET", "a", "a"),
	q("MGET", empty, nul, bin, ff), q("mget", "a"), q("MGET"),
	q("MSET", "a", "1", "b", "2"), q("MSET", "a", "9", "c", "3"), q("MSET", "a", "9", "b", "9"),
	q("MSET", "a", "1", "a", "2"), q("MSET", "c", "1", "a", "5", "c", "2"), q("MSET", empty, empty, nul, ff),
	q("mset", "a", "1"), q("MSET"), q("MSET", "c"), q("MSET", "c", "3", "d"),
	q("MUPDATE", "a", "10", "b", "20"), q("MUPDATE", "a", "10", "c", "3"), q("MUPDATE", "x", "1", "y", "2"),
	q("MUPDATE", "a", "10", "a", "11"), q("MUPDATE", "x", "1", "x", "2", "a", "3"), q("MUPDATE", empty, ff, nul, empty),
	q("mupdate", "a", "10"), q("MUPDATE"), q("MUPDATE", "a"), q("MUPDATE", "a", "10", "b"),
	q("SSET", "a", "1", "b", "2"), q("SSET", "a", "1", "b", "9", "c", "3"), q("SSET", "c", "3", "d", "4"),
	q("SSET", "a", "1"), q("SSET", "c", "1", "c", "2"), q("SSET", "a", "9", "a", "8"),
	q("SSET", empty, empty, nul, ff, bin, "v\x00"), q("SSET", "new", "1", empty, "x"), q("sset", "z", "1"),
	q("SSET"), q("SSET", "c"), q("SSET", "c", "3", "d"),
	q("SUPDATE", "a", "10", "b", "20"), q("SUPDATE", "a", "10", "c", "3", "b", "20"), q("SUPDATE", "a", "1"),
	q("SUPDATE", "a", "10", "a", "11"), q("SUPDATE", empty, "e", nul, empty), q("SUPDATE", empty, "e", ff, "x"),
	q("supdate", "a", "10"), q("SUPDATE"), q("SUPDATE", "a"), q("SUPDATE", "a", "10", "b"),
	q("SDEL", "a", "b"), q("SDEL", "b"), q("SDEL", "a", "x", "b"), q("SDEL", "a", "b", "x"), q("SDEL", "a", "a"),
	q("SDEL", "a", "a", "x"), q("SDEL", empty, nul), q("SDEL", empty, ff), q("sdel", "a"), q("SDEL"),
	q("USET", "a", "10", "c", "3"), q("USET", "a", "1", "b", "2"), q("USET", "a", "1"),
	q("USET", "a", "1", "a", "2", "a", "3"), q("USET", empty, ff, ff, empty), q("uset", "a", "1"),
	q("USET"), q("USET", "a"), q("USET", "a", "1", "b"),
	q("DBSIZE"), q("dbsize"), q("DBSIZE", "x"),
	q("FLUSHDB"), q("flushdb"), q("FLUSHDB", "x"),
	q("KEYLEN", "a"), q("KEYLEN", "x"), q("KEYLEN", empty), q("KEYLEN", bin), q("keylen", "b"), q("KEYLEN"),
	q("KEYLEN", "a", "b"),
	q("LSKEYS"), q("LSKEYS", "100"), q("LSKEYS", "2147483647"), q("LSKEYS", "0"), q("lskeys", "1"),
	q("LSKEYS", "ten"), q("LSKEYS", ""), q("LSKEYS", "-1"), q("LSKEYS", "1.5"), q("LSKEYS", " 1"),
	q("LSKEYS", "99999999999999999999999"), q("LSKEYS", "2147483648"), q("LSKEYS", "1", "2"),
	q("POP", "a"), q("POP", "x"), q("POP", "b", "x", "a"), q("POP", "a", "a"), q("POP", "a", "x", "a", "b", "b"),
	q("POP", empty, nul, ff), q("pop", "a"), q("POP"),
	q("MKSNAP"), q("MKSNAP", "before-migration"), q("mksnap"), q("MKSNAP", "a", "b"), q("MKSNAP", "../x"),
	q("FOO"), q("FOO", "a", "b"), q(""), q("GETX", "a"), q("GET\x00", "a"), q("exit"), q("\xff"), nil,
}

// TestActionsAnswerAsTheEngine runs every query from every starting store
// on the engine and on the cluster: the answers must be equal (LSKEYS as
// sets, its order being open) and so must the whole store afterwards.
func TestActionsAnswerAsTheEngine(t *testing.T) {
	c := etcdtest.Shared(t)
	for setupName, setup := range setups {
		t.Run(setupName, func(t *testing.T) {
			t.Parallel()
			s := open(t, c, cluster.Options{})
			runFrom(t, s, setupName, setup)
		})
	}
}

// runFrom runs every query of the table on the engine and on s, each from
// the store setup makes.
func runFrom(t *testing.T, s *cluster.Store, setupName string, setup [][]string) {
	for _, query := range queries {
		mustRun(t, s, engine.Status{Code: engine.Okay}, "FLUSHDB")
		e := engine.New()
		for _, sq := range setup {
			mustRun(t, e, engine.Status{Code: engine.Okay}, sq...)
			mustRun(t, s, engine.Status{Code: engine.Okay}, sq...)
		}
		want, got := e.Exec(query), s.Exec(query)
		if len(query) > 0 && strings.EqualFold(query[0], "LSKEYS") {
			want, got = someKeys(t, e, want, got)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("from %s: %s = %s on the cluster, %s on the engine", setupName, fmtQuery(query), fmtResponse(got), fmtResponse(want))
		}
		if g, w := contents(t, s), contents(t, e); !reflect.DeepEqual(g, w) {
			t.Errorf("from %s, after %s: the cluster holds %q, the engine %q", setupName, fmtQuery(query), g, w)
		}
	}
}

// TestQueriesCoverEveryAction: the table above names every action of the
// engine, so a new action cannot be missing from the cluster unnoticed.
func TestQueriesCoverEveryAction(t *testing.T) {
	named := map[string]bool{}
	for _, query := range queries {
		if len(query) > 0 {
			named[strings.ToUpper(query[0])] = true
		}
	}
	for _, a := range engine.Actions() {
		if !named[a.Name] {
			t.Errorf("no query of %s in the table", a.Name)
		}
	}
}

// someKeys makes LSKEYS answers comparable: the query language does not say
// which keys a count below the store's size lists, nor in which order. A
// cluster's answer that lists as many distinct keys of the store as the
// engine's is taken as the engine's; any other is returned as it is, to
// be reported.
func someKeys(t *testing.T, e *engine.Engine, want, got engine.Response) (engine.Response, engine.Response) {
	w, ok1 := want.(engine.Array)
	g, ok2 := got.(engine.Array)
	if !ok1 || !ok2 || len(w) != len(g) {
		return want, got
	}
	seen := map[engine.Response]bool{}
	for _, k := range g {
		key, ok := k.(engine.String)
		if !ok || seen[k] || e.Exec(q("EXISTS", string(key))) != engine.Response(engine.Int(1)) {
			return want, got
		}
		seen[k] = true
	}
	return want, want
}
