package conformance

import (
	"slices"
	"strconv"

	"skysh/engine"
)

// Actions on the whole store. On a cluster the store is the keyspace: these
// cases see no key of any other.

// setHigh holds keys a keyspace prefix must keep inside it: the highest
// byte, alone and twice, and a separator.
var (
	setHigh = [][]string{q("MSET", ff, "1", ff+ff, "2", "/", "3")}
	high    = map[string]string{ff: "1", ff + ff: "2", "/": "3"}
)

func dbsizeCases() []Case {
	return []Case{
		{Name: "empty", Query: q("DBSIZE"), Want: engine.Int(0)},
		{Name: "two keys", Setup: setAB, Query: q("DBSIZE"), Want: engine.Int(2), After: ab},
		{Name: "binary keys", Setup: setBinary, Query: q("DBSIZE"), Want: engine.Int(3), After: binary},
		{Name: "highest bytes", Setup: setHigh, Query: q("DBSIZE"), Want: engine.Int(3), After: high},
		{Name: "after deletes", Setup: append(slices.Clone(setAB), q("DEL", "a"), q("SET", "c", "3")),
			Query: q("DBSIZE"), Want: engine.Int(2), After: map[string]string{"b": "2", "c": "3"}},
		{Name: "lower case", Setup: setAB, Query: q("dbsize"), Want: engine.Int(2), After: ab},
		{Name: "one arg", Setup: setAB, Query: q("DBSIZE", "x"), Want: arity("DBSIZE takes no arguments: DBSIZE"), After: ab},
	}
}

func flushdbCases() []Case {
	return []Case{
		{Name: "some keys", Setup: setAB, Query: q("FLUSHDB"), Want: okay},
		{Name: "binary keys", Setup: setBinary, Query: q("FLUSHDB"), Want: okay},
		{Name: "highest bytes", Setup: setHigh, Query: q("FLUSHDB"), Want: okay},
		{Name: "empty", Query: q("FLUSHDB"), Want: okay},
		{Name: "lower case", Setup: setAB, Query: q("flushdb"), Want: okay},
		{Name: "one arg", Setup: setAB, Query: q("FLUSHDB", "x"), Want: arity("FLUSHDB takes no arguments: FLUSHDB"), After: ab},
	}
}

func lskeysCases() []Case {
	keysAB := engine.Array{engine.String("a"), engine.String("b")}
	return append([]Case{
		{Name: "empty store", Query: q("LSKEYS"), Want: engine.Array{}},
		{Name: "default", Setup: setAB, Query: q("LSKEYS"), Unordered: true, Want: keysAB, After: ab},
		{Name: "binary keys", Setup: setBinary, Query: q("LSKEYS"), Unordered: true,
			Want: engine.Array{engine.String(nul), engine.String(empty), engine.String(bin)}, After: binary},
		{Name: "highest bytes", Setup: setHigh, Query: q("LSKEYS"), Unordered: true,
			Want: engine.Array{engine.String(ff), engine.String(ff + ff), engine.String("/")}, After: high},
		{Name: "count larger than store", Setup: setAB, Query: q("LSKEYS", "100"), Unordered: true, Want: keysAB, After: ab},
		{Name: "count equal to store", Setup: setAB, Query: q("LSKEYS", "2"), Unordered: true, Want: keysAB, After: ab},
		{Name: "count smaller than store", Setup: setAB, Query: q("LSKEYS", "1"), Pick: 1, Want: keysAB, After: ab},
		{Name: "leading zero", Setup: setAB, Query: q("LSKEYS", "01"), Pick: 1, Want: keysAB, After: ab},
		{Name: "largest count", Setup: setAB, Query: q("LSKEYS", "2147483647"), Unordered: true, Want: keysAB, After: ab},
		{Name: "zero", Setup: setAB, Query: q("LSKEYS", "0"), Want: engine.Array{}, After: ab},
		{Name: "lower case", Setup: [][]string{q("SET", "a", "1")}, Query: q("lskeys", "1"),
			Want: engine.Array{engine.String("a")}, After: map[string]string{"a": "1"}},
		{Name: "not a number", Setup: setAB, Query: q("LSKEYS", "ten"), Want: wrongtype, After: ab},
		{Name: "empty count", Setup: setAB, Query: q("LSKEYS", ""), Want: wrongtype, After: ab},
		{Name: "negative", Setup: setAB, Query: q("LSKEYS", "-1"), Want: wrongtype, After: ab},
		{Name: "minus zero", Setup: setAB, Query: q("LSKEYS", "-0"), Want: wrongtype, After: ab},
		{Name: "plus sign", Setup: setAB, Query: q("LSKEYS", "+1"), Want: wrongtype, After: ab},
		{Name: "fraction", Setup: setAB, Query: q("LSKEYS", "1.5"), Want: wrongtype, After: ab},
		{Name: "hex", Setup: setAB, Query: q("LSKEYS", "0x1"), Want: wrongtype, After: ab},
		{Name: "underscore", Setup: setAB, Query: q("LSKEYS", "1_0"), Want: wrongtype, After: ab},
		{Name: "spaces", Setup: setAB, Query: q("LSKEYS", " 1"), Want: wrongtype, After: ab},
		{Name: "trailing space", Setup: setAB, Query: q("LSKEYS", "1 "), Want: wrongtype, After: ab},
		{Name: "huge", Setup: setAB, Query: q("LSKEYS", "99999999999999999999999"), Want: wrongtype, After: ab},
		{Name: "just over int32", Setup: setAB, Query: q("LSKEYS", "2147483648"), Want: wrongtype, After: ab},
		{Name: "two args", Setup: setAB, Query: q("LSKEYS", "1", "2"),
			Want: arity("LSKEYS takes at most 1 argument: LSKEYS [count]"), After: ab},
	}, lskeysCountCases()...)
}

// lskeysCountCases check how many keys LSKEYS lists of a store larger than
// its default, and that they are distinct keys of the store, when which
// ones is not set.
func lskeysCountCases() []Case {
	const size = 25
	mset := q("MSET")
	all := make(engine.Array, size)
	stored := make(map[string]string, size)
	for i := range size {
		k := "key" + strconv.Itoa(i)
		mset = append(mset, k, "v")
		all[i] = engine.String(k)
		stored[k] = "v"
	}
	setup := [][]string{mset}
	var cases []Case
	for _, tc := range []struct {
		count string // "" for none
		pick  int
	}{
		{"", 10},
		{"1", 1},
		{"10", 10},
		{"11", 11},
		{"24", 24},
		{"25", size},
		{"26", size},
	} {
		c := Case{Name: "of 25 keys, count " + tc.count, Setup: setup, Query: q("LSKEYS", tc.count), Want: all, After: stored}
		if tc.count == "" {
			c.Name, c.Query = "of 25 keys, default", q("LSKEYS")
		}
		if tc.pick < size {
			c.Pick = tc.pick
		} else {
			c.Unordered = true
		}
		cases = append(cases, c)
	}
	return append(cases, Case{Name: "of 25 keys, count 0", Setup: setup, Query: q("LSKEYS", "0"), Want: engine.Array{}, After: stored})
}
