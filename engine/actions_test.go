package engine_test

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"skysh/engine"
)

// actionCase is one query of the query-language table: the queries run
// before it, the exact response, and the whole store afterwards.
type actionCase struct {
	name  string
	setup [][]string
	query []string
	want  engine.Response
	// unordered compares arrays of strings as sets (LSKEYS lists keys in
	// no particular order).
	unordered bool
	after     map[string]string // the whole store afterwards; nil means empty
}

func runActionCases(t *testing.T, cases []actionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, tc.setup...)
			got := e.Exec(tc.query)
			if tc.unordered {
				if g, w := stringsOf(t, got), stringsOf(t, tc.want); !slices.Equal(g, w) {
					t.Errorf("%s = %q (sorted), want %q", fmtQuery(tc.query), g, w)
				}
			} else if tc.want == actionError {
				// The detail says what the action takes: TestArityErrorsSayWhatTheActionTakes.
				if st, ok := got.(engine.Status); !ok || st.Code != engine.ActionError || st.Detail == "" {
					t.Errorf("%s = %s, want code 3 with what the action takes", fmtQuery(tc.query), fmtResponse(got))
				}
			} else if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s = %s, want %s", fmtQuery(tc.query), fmtResponse(got), fmtResponse(tc.want))
			}
			checkContents(t, e, tc.after)
		})
	}
}

// Binary-safe keys and values: a NUL, a byte that is not UTF-8, and the
// empty string, which Skytable 0.6 crashed on.
const (
	nul   = "\x00"
	ff    = "\xff"
	bin   = "k\x00\xff\xfe"
	empty = ""
)

// The store most cases start from.
var (
	setAB = [][]string{q("SET", "a", "1"), q("SET", "b", "2")}
	ab    = map[string]string{"a": "1", "b": "2"}
	// setBinary holds binary keys, the empty key and an empty value.
	setBinary = [][]string{q("SET", nul, ff), q("SET", empty, empty), q("SET", bin, "v\x00")}
	binary    = map[string]string{nul: ff, empty: empty, bin: "v\x00"}
)

func TestHeya(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "no args", query: q("HEYA"), want: engine.String("HEY!")},
		{name: "any args", setup: setAB, query: q("HEYA", "a", "b", "c"), want: engine.String("HEY!"), after: ab},
		{name: "one arg", query: q("HEYA", "hello"), want: engine.String("HEY!")},
		{name: "lower case", query: q("heya"), want: engine.String("HEY!")},
		{name: "mixed case", query: q("HeYa"), want: engine.String("HEY!")},
	})
}

func TestGet(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "present", setup: setAB, query: q("GET", "a"), want: engine.String("1"), after: ab},
		{name: "missing", setup: setAB, query: q("GET", "c"), want: nilCode, after: ab},
		{name: "empty store", query: q("GET", "a"), want: nilCode},
		{name: "lower case", setup: setAB, query: q("get", "b"), want: engine.String("2"), after: ab},
		{name: "mixed case", setup: setAB, query: q("GeT", "b"), want: engine.String("2"), after: ab},
		{name: "key is case-sensitive", setup: setAB, query: q("GET", "A"), want: nilCode, after: ab},
		{name: "no args", setup: setAB, query: q("GET"), want: actionError, after: ab},
		{name: "two args", setup: setAB, query: q("GET", "a", "b"), want: actionError, after: ab},
		{name: "NUL key", setup: setBinary, query: q("GET", nul), want: engine.String(ff), after: binary},
		{name: "empty key, empty value", setup: setBinary, query: q("GET", empty), want: engine.String(""), after: binary},
		{name: "binary key", setup: setBinary, query: q("GET", bin), want: engine.String("v\x00"), after: binary},
		{name: "prefix of binary key", setup: setBinary, query: q("GET", "k"), want: nilCode, after: binary},
	})
}

func TestSet(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "new key", query: q("SET", "a", "1"), want: okay, after: map[string]string{"a": "1"}},
		{name: "beside others", setup: setAB, query: q("SET", "c", "3"), want: okay,
			after: map[string]string{"a": "1", "b": "2", "c": "3"}},
		{name: "existing key keeps its value", setup: setAB, query: q("SET", "a", "9"), want: overwrite, after: ab},
		{name: "existing key, same value", setup: setAB, query: q("SET", "a", "1"), want: overwrite, after: ab},
		{name: "lower case", query: q("set", "a", "1"), want: okay, after: map[string]string{"a": "1"}},
		{name: "mixed case", query: q("sEt", "a", "1"), want: okay, after: map[string]string{"a": "1"}},
		{name: "no args", setup: setAB, query: q("SET"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("SET", "c"), want: actionError, after: ab},
		{name: "three args", setup: setAB, query: q("SET", "c", "3", "4"), want: actionError, after: ab},
		{name: "empty key and value", query: q("SET", empty, empty), want: okay, after: map[string]string{empty: empty}},
		{name: "empty key exists", setup: setBinary, query: q("SET", empty, "x"), want: overwrite, after: binary},
		{name: "binary key and value", query: q("SET", bin, nul+ff), want: okay, after: map[string]string{bin: nul + ff}},
		{name: "NUL and empty are different keys", setup: [][]string{q("SET", empty, "e")}, query: q("SET", nul, "n"),
			want: okay, after: map[string]string{empty: "e", nul: "n"}},
	})
}

func TestUpdate(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "existing key", setup: setAB, query: q("UPDATE", "a", "10"), want: okay,
			after: map[string]string{"a": "10", "b": "2"}},
		{name: "missing key is not created", setup: setAB, query: q("UPDATE", "c", "3"), want: nilCode, after: ab},
		{name: "to empty value", setup: setAB, query: q("UPDATE", "a", empty), want: okay,
			after: map[string]string{"a": empty, "b": "2"}},
		{name: "binary", setup: setBinary, query: q("UPDATE", nul, nul), want: okay,
			after: map[string]string{nul: nul, empty: empty, bin: "v\x00"}},
		{name: "empty key", setup: setBinary, query: q("UPDATE", empty, "e"), want: okay,
			after: map[string]string{nul: ff, empty: "e", bin: "v\x00"}},
		{name: "lower case", setup: setAB, query: q("update", "b", "20"), want: okay,
			after: map[string]string{"a": "1", "b": "20"}},
		{name: "no args", setup: setAB, query: q("UPDATE"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("UPDATE", "a"), want: actionError, after: ab},
		{name: "three args", setup: setAB, query: q("UPDATE", "a", "1", "2"), want: actionError, after: ab},
	})
}

func TestDel(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "one existing", setup: setAB, query: q("DEL", "a"), want: engine.Int(1), after: map[string]string{"b": "2"}},
		{name: "all existing", setup: setAB, query: q("DEL", "a", "b"), want: engine.Int(2)},
		{name: "some missing", setup: setAB, query: q("DEL", "a", "x", "y"), want: engine.Int(1),
			after: map[string]string{"b": "2"}},
		{name: "all missing", setup: setAB, query: q("DEL", "x", "y"), want: engine.Int(0), after: ab},
		{name: "duplicate key counts once", setup: setAB, query: q("DEL", "a", "a"), want: engine.Int(1),
			after: map[string]string{"b": "2"}},
		{name: "binary and empty keys", setup: setBinary, query: q("DEL", nul, empty, ff), want: engine.Int(2),
			after: map[string]string{bin: "v\x00"}},
		{name: "lower case", setup: setAB, query: q("del", "b"), want: engine.Int(1), after: map[string]string{"a": "1"}},
		{name: "no args", setup: setAB, query: q("DEL"), want: actionError, after: ab},
	})
}

func TestExists(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "one present", setup: setAB, query: q("EXISTS", "a"), want: engine.Int(1), after: ab},
		{name: "mixed", setup: setAB, query: q("EXISTS", "a", "x", "b"), want: engine.Int(2), after: ab},
		{name: "none", setup: setAB, query: q("EXISTS", "x"), want: engine.Int(0), after: ab},
		{name: "duplicate key counts twice", setup: setAB, query: q("EXISTS", "a", "a"), want: engine.Int(2), after: ab},
		{name: "binary and empty keys", setup: setBinary, query: q("EXISTS", nul, empty, bin, ff), want: engine.Int(3),
			after: binary},
		{name: "lower case", setup: setAB, query: q("exists", "a"), want: engine.Int(1), after: ab},
		{name: "no args", setup: setAB, query: q("EXISTS"), want: actionError, after: ab},
	})
}

func TestMget(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "all present", setup: setAB, query: q("MGET", "b", "a"),
			want: engine.Array{engine.String("2"), engine.String("1")}, after: ab},
		{name: "mixed", setup: setAB, query: q("MGET", "a", "x", "b"),
			want: engine.Array{engine.String("1"), nilCode, engine.String("2")}, after: ab},
		{name: "one missing", setup: setAB, query: q("MGET", "x"), want: engine.Array{nilCode}, after: ab},
		{name: "duplicate key", setup: setAB, query: q("MGET", "a", "a"),
			want: engine.Array{engine.String("1"), engine.String("1")}, after: ab},
		{name: "binary, empty value is not nil", setup: setBinary, query: q("MGET", empty, nul, bin, ff),
			want: engine.Array{engine.String(""), engine.String(ff), engine.String("v\x00"), nilCode}, after: binary},
		{name: "lower case", setup: setAB, query: q("mget", "a"), want: engine.Array{engine.String("1")}, after: ab},
		{name: "no args", setup: setAB, query: q("MGET"), want: actionError, after: ab},
	})
}

func TestMset(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "all new", query: q("MSET", "a", "1", "b", "2"), want: engine.Int(2), after: ab},
		{name: "existing untouched", setup: setAB, query: q("MSET", "a", "9", "c", "3"), want: engine.Int(1),
			after: map[string]string{"a": "1", "b": "2", "c": "3"}},
		{name: "all existing", setup: setAB, query: q("MSET", "a", "9", "b", "9"), want: engine.Int(0), after: ab},
		{name: "duplicate key: first wins", query: q("MSET", "a", "1", "a", "2"), want: engine.Int(1),
			after: map[string]string{"a": "1"}},
		{name: "binary and empty", query: q("MSET", empty, empty, nul, ff), want: engine.Int(2),
			after: map[string]string{empty: empty, nul: ff}},
		{name: "lower case", query: q("mset", "a", "1"), want: engine.Int(1), after: map[string]string{"a": "1"}},
		{name: "no args", setup: setAB, query: q("MSET"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("MSET", "c"), want: actionError, after: ab},
		{name: "odd args", setup: setAB, query: q("MSET", "c", "3", "d"), want: actionError, after: ab},
	})
}

func TestMupdate(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "all existing", setup: setAB, query: q("MUPDATE", "a", "10", "b", "20"), want: engine.Int(2),
			after: map[string]string{"a": "10", "b": "20"}},
		{name: "missing skipped, not created", setup: setAB, query: q("MUPDATE", "a", "10", "c", "3"), want: engine.Int(1),
			after: map[string]string{"a": "10", "b": "2"}},
		{name: "none existing", setup: setAB, query: q("MUPDATE", "x", "1", "y", "2"), want: engine.Int(0), after: ab},
		{name: "duplicate key: last wins", setup: setAB, query: q("MUPDATE", "a", "10", "a", "11"), want: engine.Int(2),
			after: map[string]string{"a": "11", "b": "2"}},
		{name: "binary and empty", setup: setBinary, query: q("MUPDATE", empty, ff, nul, empty), want: engine.Int(2),
			after: map[string]string{nul: empty, empty: ff, bin: "v\x00"}},
		{name: "lower case", setup: setAB, query: q("mupdate", "a", "10"), want: engine.Int(1),
			after: map[string]string{"a": "10", "b": "2"}},
		{name: "no args", setup: setAB, query: q("MUPDATE"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("MUPDATE", "a"), want: actionError, after: ab},
		{name: "odd args", setup: setAB, query: q("MUPDATE", "a", "10", "b"), want: actionError, after: ab},
	})
}

func TestSset(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "all new", query: q("SSET", "a", "1", "b", "2"), want: okay, after: ab},
		{name: "one existing sets nothing", setup: [][]string{q("SET", "b", "2")}, query: q("SSET", "a", "1", "b", "9", "c", "3"),
			want: overwrite, after: map[string]string{"b": "2"}},
		{name: "last existing sets nothing", setup: [][]string{q("SET", "c", "3")}, query: q("SSET", "a", "1", "b", "2", "c", "9"),
			want: overwrite, after: map[string]string{"c": "3"}},
		// Skytable 0.6 also compared values; skysh checks only keys.
		{name: "existing with same value", setup: setAB, query: q("SSET", "a", "1"), want: overwrite, after: ab},
		{name: "duplicate new key: last wins", query: q("SSET", "a", "1", "a", "2"), want: okay,
			after: map[string]string{"a": "2"}},
		{name: "duplicate existing key", setup: setAB, query: q("SSET", "a", "9", "a", "8"), want: overwrite, after: ab},
		{name: "binary and empty", query: q("SSET", empty, empty, nul, ff, bin, "v\x00"), want: okay, after: binary},
		{name: "empty key exists", setup: setBinary, query: q("SSET", "new", "1", empty, "x"), want: overwrite, after: binary},
		{name: "lower case", query: q("sset", "a", "1"), want: okay, after: map[string]string{"a": "1"}},
		{name: "no args", setup: setAB, query: q("SSET"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("SSET", "c"), want: actionError, after: ab},
		{name: "odd args", setup: setAB, query: q("SSET", "c", "3", "d"), want: actionError, after: ab},
	})
}

func TestSupdate(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "all existing", setup: setAB, query: q("SUPDATE", "a", "10", "b", "20"), want: okay,
			after: map[string]string{"a": "10", "b": "20"}},
		{name: "one missing updates nothing", setup: setAB, query: q("SUPDATE", "a", "10", "c", "3", "b", "20"),
			want: nilCode, after: ab},
		{name: "last missing updates nothing", setup: setAB, query: q("SUPDATE", "a", "10", "b", "20", "c", "3"),
			want: nilCode, after: ab},
		{name: "empty store", query: q("SUPDATE", "a", "1"), want: nilCode},
		{name: "duplicate key: last wins", setup: setAB, query: q("SUPDATE", "a", "10", "a", "11"), want: okay,
			after: map[string]string{"a": "11", "b": "2"}},
		{name: "binary and empty", setup: setBinary, query: q("SUPDATE", empty, "e", nul, empty), want: okay,
			after: map[string]string{nul: empty, empty: "e", bin: "v\x00"}},
		{name: "binary key missing", setup: setBinary, query: q("SUPDATE", empty, "e", ff, "x"), want: nilCode,
			after: binary},
		{name: "lower case", setup: setAB, query: q("supdate", "a", "10"), want: okay,
			after: map[string]string{"a": "10", "b": "2"}},
		{name: "no args", setup: setAB, query: q("SUPDATE"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("SUPDATE", "a"), want: actionError, after: ab},
		{name: "odd args", setup: setAB, query: q("SUPDATE", "a", "10", "b"), want: actionError, after: ab},
	})
}

func TestSdel(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "all existing", setup: setAB, query: q("SDEL", "a", "b"), want: okay},
		{name: "one of two", setup: setAB, query: q("SDEL", "b"), want: okay, after: map[string]string{"a": "1"}},
		{name: "one missing deletes nothing", setup: setAB, query: q("SDEL", "a", "x", "b"), want: nilCode, after: ab},
		{name: "last missing deletes nothing", setup: setAB, query: q("SDEL", "a", "b", "x"), want: nilCode, after: ab},
		{name: "duplicate key", setup: setAB, query: q("SDEL", "a", "a"), want: okay, after: map[string]string{"b": "2"}},
		{name: "duplicate key and a missing one", setup: setAB, query: q("SDEL", "a", "a", "x"), want: nilCode, after: ab},
		{name: "binary and empty", setup: setBinary, query: q("SDEL", empty, nul), want: okay,
			after: map[string]string{bin: "v\x00"}},
		{name: "binary key missing", setup: setBinary, query: q("SDEL", empty, ff), want: nilCode, after: binary},
		{name: "lower case", setup: setAB, query: q("sdel", "a"), want: okay, after: map[string]string{"b": "2"}},
		{name: "no args", setup: setAB, query: q("SDEL"), want: actionError, after: ab},
	})
}

func TestUset(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "new and existing", setup: setAB, query: q("USET", "a", "10", "c", "3"), want: engine.Int(2),
			after: map[string]string{"a": "10", "b": "2", "c": "3"}},
		{name: "all new", query: q("USET", "a", "1", "b", "2"), want: engine.Int(2), after: ab},
		{name: "same value", setup: setAB, query: q("USET", "a", "1"), want: engine.Int(1), after: ab},
		{name: "duplicate key: counts pairs, last wins", query: q("USET", "a", "1", "a", "2", "a", "3"), want: engine.Int(3),
			after: map[string]string{"a": "3"}},
		{name: "binary and empty", setup: setBinary, query: q("USET", empty, ff, ff, empty), want: engine.Int(2),
			after: map[string]string{nul: ff, empty: ff, ff: empty, bin: "v\x00"}},
		{name: "lower case", query: q("uset", "a", "1"), want: engine.Int(1), after: map[string]string{"a": "1"}},
		{name: "no args", setup: setAB, query: q("USET"), want: actionError, after: ab},
		{name: "one arg", setup: setAB, query: q("USET", "a"), want: actionError, after: ab},
		{name: "odd args", setup: setAB, query: q("USET", "a", "1", "b"), want: actionError, after: ab},
	})
}

func TestDbsize(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "empty", query: q("DBSIZE"), want: engine.Int(0)},
		{name: "two keys", setup: setAB, query: q("DBSIZE"), want: engine.Int(2), after: ab},
		{name: "binary keys", setup: setBinary, query: q("DBSIZE"), want: engine.Int(3), after: binary},
		{name: "after deletes", setup: append(slices.Clone(setAB), q("DEL", "a"), q("SET", "c", "3")),
			query: q("DBSIZE"), want: engine.Int(2), after: map[string]string{"b": "2", "c": "3"}},
		{name: "lower case", setup: setAB, query: q("dbsize"), want: engine.Int(2), after: ab},
		{name: "one arg", setup: setAB, query: q("DBSIZE", "x"), want: actionError, after: ab},
	})
}

func TestFlushdb(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "some keys", setup: setAB, query: q("FLUSHDB"), want: okay},
		{name: "binary keys", setup: setBinary, query: q("FLUSHDB"), want: okay},
		{name: "empty", query: q("FLUSHDB"), want: okay},
		{name: "lower case", setup: setAB, query: q("flushdb"), want: okay},
		{name: "one arg", setup: setAB, query: q("FLUSHDB", "x"), want: actionError, after: ab},
	})
}

func TestKeylen(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "ascii", setup: setAB, query: q("KEYLEN", "a"), want: engine.Int(1), after: ab},
		{name: "bytes, not runes", setup: [][]string{q("SET", "u", "héllo")}, query: q("KEYLEN", "u"), want: engine.Int(6),
			after: map[string]string{"u": "héllo"}},
		{name: "missing", setup: setAB, query: q("KEYLEN", "x"), want: nilCode, after: ab},
		{name: "empty value", setup: setBinary, query: q("KEYLEN", empty), want: engine.Int(0), after: binary},
		{name: "binary value", setup: setBinary, query: q("KEYLEN", bin), want: engine.Int(2), after: binary},
		{name: "lower case", setup: setAB, query: q("keylen", "b"), want: engine.Int(1), after: ab},
		{name: "no args", setup: setAB, query: q("KEYLEN"), want: actionError, after: ab},
		{name: "two args", setup: setAB, query: q("KEYLEN", "a", "b"), want: actionError, after: ab},
	})
}

func TestLskeys(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "empty store", query: q("LSKEYS"), want: engine.Array{}},
		{name: "default", setup: setAB, query: q("LSKEYS"), unordered: true,
			want: engine.Array{engine.String("a"), engine.String("b")}, after: ab},
		{name: "binary keys", setup: setBinary, query: q("LSKEYS"), unordered: true,
			want: engine.Array{engine.String(nul), engine.String(empty), engine.String(bin)}, after: binary},
		{name: "count larger than store", setup: setAB, query: q("LSKEYS", "100"), unordered: true,
			want: engine.Array{engine.String("a"), engine.String("b")}, after: ab},
		{name: "largest count", setup: setAB, query: q("LSKEYS", "2147483647"), unordered: true,
			want: engine.Array{engine.String("a"), engine.String("b")}, after: ab},
		{name: "zero", setup: setAB, query: q("LSKEYS", "0"), want: engine.Array{}, after: ab},
		{name: "lower case", setup: [][]string{q("SET", "a", "1")}, query: q("lskeys", "1"),
			want: engine.Array{engine.String("a")}, after: map[string]string{"a": "1"}},
		{name: "not a number", setup: setAB, query: q("LSKEYS", "ten"), want: wrongtype, after: ab},
		{name: "empty count", setup: setAB, query: q("LSKEYS", ""), want: wrongtype, after: ab},
		{name: "negative", setup: setAB, query: q("LSKEYS", "-1"), want: wrongtype, after: ab},
		{name: "fraction", setup: setAB, query: q("LSKEYS", "1.5"), want: wrongtype, after: ab},
		{name: "spaces", setup: setAB, query: q("LSKEYS", " 1"), want: wrongtype, after: ab},
		{name: "huge", setup: setAB, query: q("LSKEYS", "99999999999999999999999"), want: wrongtype, after: ab},
		{name: "just over int32", setup: setAB, query: q("LSKEYS", "2147483648"), want: wrongtype, after: ab},
		{name: "two args", setup: setAB, query: q("LSKEYS", "1", "2"), want: actionError, after: ab},
	})
}

// TestLskeysCount checks how many keys LSKEYS lists, and that they are
// distinct keys of the store, when it cannot know which ones.
func TestLskeysCount(t *testing.T) {
	const size = 25
	setup := make([][]string, size)
	stored := make(map[string]string, size)
	for i := range setup {
		k := "key" + strconv.Itoa(i)
		setup[i] = q("SET", k, "v")
		stored[k] = "v"
	}
	for _, tc := range []struct {
		query []string
		want  int
	}{
		{q("LSKEYS"), 10},
		{q("LSKEYS", "1"), 1},
		{q("LSKEYS", "10"), 10},
		{q("LSKEYS", "11"), 11},
		{q("LSKEYS", "24"), 24},
		{q("LSKEYS", "25"), 25},
		{q("LSKEYS", "26"), 25},
		{q("LSKEYS", "0"), 0},
	} {
		t.Run(fmt.Sprint(tc.query), func(t *testing.T) {
			e := newEngine(t, setup...)
			keys := stringsOf(t, run(t, e, tc.query...))
			if got := len(keys); got != tc.want {
				t.Fatalf("%s listed %d keys, want %d", fmtQuery(tc.query), got, tc.want)
			}
			for i, k := range keys {
				if _, ok := stored[k]; !ok {
					t.Errorf("listed %q, which is not in the store", k)
				}
				if i > 0 && keys[i-1] == k {
					t.Errorf("listed %q twice", k)
				}
			}
			checkContents(t, e, stored)
		})
	}
}

func TestPop(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "existing", setup: setAB, query: q("POP", "a"), want: engine.Array{engine.String("1")},
			after: map[string]string{"b": "2"}},
		{name: "missing", setup: setAB, query: q("POP", "x"), want: engine.Array{nilCode}, after: ab},
		{name: "mixed", setup: setAB, query: q("POP", "b", "x", "a"),
			want: engine.Array{engine.String("2"), nilCode, engine.String("1")}},
		{name: "duplicate key: second is nil", setup: setAB, query: q("POP", "a", "a"),
			want: engine.Array{engine.String("1"), nilCode}, after: map[string]string{"b": "2"}},
		{name: "binary and empty", setup: setBinary, query: q("POP", empty, nul, ff),
			want: engine.Array{engine.String(""), engine.String(ff), nilCode}, after: map[string]string{bin: "v\x00"}},
		{name: "lower case", setup: setAB, query: q("pop", "a"), want: engine.Array{engine.String("1")},
			after: map[string]string{"b": "2"}},
		{name: "no args", setup: setAB, query: q("POP"), want: actionError, after: ab},
	})
}

func TestMksnap(t *testing.T) {
	runActionCases(t, []actionCase{
		{name: "no name", setup: setAB, query: q("MKSNAP"), want: engine.ErrSnapshotDisabled, after: ab},
		{name: "with name", setup: setAB, query: q("MKSNAP", "before-migration"), want: engine.ErrSnapshotDisabled, after: ab},
		{name: "lower case", setup: setAB, query: q("mksnap"), want: engine.ErrSnapshotDisabled, after: ab},
		{name: "two args", setup: setAB, query: q("MKSNAP", "a", "b"), want: actionError, after: ab},
	})
}

func TestUnknownAction(t *testing.T) {
	for _, query := range [][]string{
		q("FOO"),
		q("FOO", "a", "b"),
		q(""),
		q("GETX", "a"),
		q("GE", "a"),
		q("GET\x00", "a"),
		q(" GET", "a"),
		q("FLUSHDBX"),
		q("MUPDATEMUPDATE", "a", "1"),
		q("ɢᴇᴛ", "a"),
		q("\xff"),
		q("exit"),
	} {
		e := newEngine(t, setAB...)
		mustRun(t, e, engine.ErrUnknownAction, query...)
		checkContents(t, e, ab)
	}
}

func TestEmptyQuery(t *testing.T) {
	for _, query := range [][]string{nil, {}} {
		e := newEngine(t, setAB...)
		got, ok := e.Exec(query).(engine.Status)
		if !ok || got.Code != engine.PacketError {
			t.Errorf("Exec(%#v) = %s, want code %d (Packet Error)", query, fmtResponse(e.Exec(query)), engine.PacketError)
		}
		checkContents(t, e, ab)
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

// TestArityErrorsSayWhatTheActionTakes: a query with the wrong number of
// arguments answers code 3, as in Skytable, with a detail naming the action
// and its syntax, for every kind of arity.
func TestArityErrorsSayWhatTheActionTakes(t *testing.T) {
	for _, tc := range []struct {
		query []string
		want  string
	}{
		{q("GET"), "GET takes 1 argument: GET key"},
		{q("get", "a", "b"), "GET takes 1 argument: GET key"},
		{q("SET", "k"), "SET takes 2 arguments: SET key value"},
		{q("DBSIZE", "x"), "DBSIZE takes no arguments: DBSIZE"},
		{q("DEL"), "DEL takes at least 1 argument: DEL key [key ...]"},
		{q("LSKEYS", "1", "2"), "LSKEYS takes at most 1 argument: LSKEYS [count]"},
		{q("MSET", "a", "1", "b"), "MSET takes key value pairs, at least one: MSET key value [key value ...]"},
		{q("USET"), "USET takes key value pairs, at least one: USET key value [key value ...]"},
	} {
		e := newEngine(t)
		want := engine.Status{Code: engine.ActionError, Detail: tc.want}
		if got := e.Exec(tc.query); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %s, want %s", fmtQuery(tc.query), fmtResponse(got), fmtResponse(want))
		}
	}
}
