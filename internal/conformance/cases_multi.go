package conformance

import "skysh/engine"

// Actions on several keys, each key on its own. A key given twice is
// answered as the local engine does, one key after the other; a cluster,
// which refuses a key twice in one transaction, must answer the same.

func delCases() []Case {
	delArity := arity("DEL takes at least 1 argument: DEL key [key ...]")
	return []Case{
		{Name: "one existing", Setup: setAB, Query: q("DEL", "a"), Want: engine.Int(1), After: map[string]string{"b": "2"}},
		{Name: "all existing", Setup: setAB, Query: q("DEL", "a", "b"), Want: engine.Int(2)},
		{Name: "some missing", Setup: setAB, Query: q("DEL", "a", "x", "y"), Want: engine.Int(1),
			After: map[string]string{"b": "2"}},
		{Name: "all missing", Setup: setAB, Query: q("DEL", "x", "y"), Want: engine.Int(0), After: ab},
		{Name: "duplicate key counts once", Setup: setAB, Query: q("DEL", "a", "a"), Want: engine.Int(1),
			After: map[string]string{"b": "2"}},
		{Name: "duplicate key among others", Setup: setAB, Query: q("DEL", "a", "b", "a"), Want: engine.Int(2)},
		{Name: "duplicate missing key", Setup: setAB, Query: q("DEL", "x", "x"), Want: engine.Int(0), After: ab},
		{Name: "duplicate empty key", Setup: setBinary, Query: q("DEL", empty, empty), Want: engine.Int(1),
			After: map[string]string{nul: ff, bin: "v\x00"}},
		{Name: "binary and empty keys", Setup: setBinary, Query: q("DEL", nul, empty, ff), Want: engine.Int(2),
			After: map[string]string{bin: "v\x00"}},
		{Name: "lower case", Setup: setAB, Query: q("del", "b"), Want: engine.Int(1), After: map[string]string{"a": "1"}},
		{Name: "no args", Setup: setAB, Query: q("DEL"), Want: delArity, After: ab},
	}
}

func existsCases() []Case {
	return []Case{
		{Name: "one present", Setup: setAB, Query: q("EXISTS", "a"), Want: engine.Int(1), After: ab},
		{Name: "mixed", Setup: setAB, Query: q("EXISTS", "a", "x", "b"), Want: engine.Int(2), After: ab},
		{Name: "none", Setup: setAB, Query: q("EXISTS", "x"), Want: engine.Int(0), After: ab},
		{Name: "duplicate key counts twice", Setup: setAB, Query: q("EXISTS", "a", "a"), Want: engine.Int(2), After: ab},
		{Name: "duplicate key among others", Setup: setAB, Query: q("EXISTS", "a", "x", "a", "b"), Want: engine.Int(3), After: ab},
		{Name: "duplicate missing key", Setup: setAB, Query: q("EXISTS", "x", "x"), Want: engine.Int(0), After: ab},
		{Name: "duplicate empty key", Setup: setBinary, Query: q("EXISTS", empty, empty), Want: engine.Int(2), After: binary},
		{Name: "empty key missing", Setup: setAB, Query: q("EXISTS", empty), Want: engine.Int(0), After: ab},
		{Name: "binary and empty keys", Setup: setBinary, Query: q("EXISTS", nul, empty, bin, ff), Want: engine.Int(3),
			After: binary},
		{Name: "lower case", Setup: setAB, Query: q("exists", "a"), Want: engine.Int(1), After: ab},
		{Name: "no args", Setup: setAB, Query: q("EXISTS"),
			Want: arity("EXISTS takes at least 1 argument: EXISTS key [key ...]"), After: ab},
	}
}

func mgetCases() []Case {
	return []Case{
		{Name: "all present", Setup: setAB, Query: q("MGET", "b", "a"),
			Want: engine.Array{engine.String("2"), engine.String("1")}, After: ab},
		{Name: "mixed", Setup: setAB, Query: q("MGET", "a", "x", "b"),
			Want: engine.Array{engine.String("1"), nilCode, engine.String("2")}, After: ab},
		{Name: "one missing", Setup: setAB, Query: q("MGET", "x"), Want: engine.Array{nilCode}, After: ab},
		{Name: "duplicate key", Setup: setAB, Query: q("MGET", "a", "a"),
			Want: engine.Array{engine.String("1"), engine.String("1")}, After: ab},
		{Name: "duplicate key among others", Setup: setAB, Query: q("MGET", "a", "x", "a"),
			Want: engine.Array{engine.String("1"), nilCode, engine.String("1")}, After: ab},
		{Name: "duplicate missing key", Setup: setAB, Query: q("MGET", "x", "x"),
			Want: engine.Array{nilCode, nilCode}, After: ab},
		{Name: "duplicate empty key", Setup: setBinary, Query: q("MGET", empty, empty),
			Want: engine.Array{engine.String(""), engine.String("")}, After: binary},
		{Name: "empty key missing", Setup: setAB, Query: q("MGET", empty), Want: engine.Array{nilCode}, After: ab},
		{Name: "binary, empty value is not nil", Setup: setBinary, Query: q("MGET", empty, nul, bin, ff),
			Want: engine.Array{engine.String(""), engine.String(ff), engine.String("v\x00"), nilCode}, After: binary},
		{Name: "lower case", Setup: setAB, Query: q("mget", "a"), Want: engine.Array{engine.String("1")}, After: ab},
		{Name: "no args", Setup: setAB, Query: q("MGET"),
			Want: arity("MGET takes at least 1 argument: MGET key [key ...]"), After: ab},
	}
}

func msetCases() []Case {
	msetArity := arity("MSET takes key value pairs, at least one: MSET key value [key value ...]")
	return []Case{
		{Name: "all new", Query: q("MSET", "a", "1", "b", "2"), Want: engine.Int(2), After: ab},
		{Name: "existing untouched", Setup: setAB, Query: q("MSET", "a", "9", "c", "3"), Want: engine.Int(1),
			After: map[string]string{"a": "1", "b": "2", "c": "3"}},
		{Name: "all existing", Setup: setAB, Query: q("MSET", "a", "9", "b", "9"), Want: engine.Int(0), After: ab},
		{Name: "duplicate key: first wins", Query: q("MSET", "a", "1", "a", "2"), Want: engine.Int(1),
			After: map[string]string{"a": "1"}},
		{Name: "duplicate new key among others: first wins", Setup: setAB, Query: q("MSET", "c", "3", "a", "9", "c", "4"),
			Want: engine.Int(1), After: map[string]string{"a": "1", "b": "2", "c": "3"}},
		{Name: "duplicate existing key untouched", Setup: setAB, Query: q("MSET", "a", "9", "a", "8"), Want: engine.Int(0),
			After: ab},
		{Name: "duplicate empty key: first wins", Query: q("MSET", empty, empty, empty, "x"), Want: engine.Int(1),
			After: map[string]string{empty: empty}},
		{Name: "binary and empty", Query: q("MSET", empty, empty, nul, ff), Want: engine.Int(2),
			After: map[string]string{empty: empty, nul: ff}},
		{Name: "lower case", Query: q("mset", "a", "1"), Want: engine.Int(1), After: map[string]string{"a": "1"}},
		{Name: "no args", Setup: setAB, Query: q("MSET"), Want: msetArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("MSET", "c"), Want: msetArity, After: ab},
		{Name: "odd args", Setup: setAB, Query: q("MSET", "c", "3", "d"), Want: msetArity, After: ab},
	}
}

func mupdateCases() []Case {
	mupdateArity := arity("MUPDATE takes key value pairs, at least one: MUPDATE key value [key value ...]")
	return []Case{
		{Name: "all existing", Setup: setAB, Query: q("MUPDATE", "a", "10", "b", "20"), Want: engine.Int(2),
			After: map[string]string{"a": "10", "b": "20"}},
		{Name: "missing skipped, not created", Setup: setAB, Query: q("MUPDATE", "a", "10", "c", "3"), Want: engine.Int(1),
			After: map[string]string{"a": "10", "b": "2"}},
		{Name: "none existing", Setup: setAB, Query: q("MUPDATE", "x", "1", "y", "2"), Want: engine.Int(0), After: ab},
		{Name: "duplicate key: last wins", Setup: setAB, Query: q("MUPDATE", "a", "10", "a", "11"), Want: engine.Int(2),
			After: map[string]string{"a": "11", "b": "2"}},
		{Name: "duplicate missing key not created", Setup: setAB, Query: q("MUPDATE", "x", "1", "x", "2"), Want: engine.Int(0),
			After: ab},
		{Name: "duplicate empty key: last wins", Setup: setBinary, Query: q("MUPDATE", empty, "e", empty, "f"),
			Want: engine.Int(2), After: map[string]string{nul: ff, empty: "f", bin: "v\x00"}},
		{Name: "binary and empty", Setup: setBinary, Query: q("MUPDATE", empty, ff, nul, empty), Want: engine.Int(2),
			After: map[string]string{nul: empty, empty: ff, bin: "v\x00"}},
		{Name: "lower case", Setup: setAB, Query: q("mupdate", "a", "10"), Want: engine.Int(1),
			After: map[string]string{"a": "10", "b": "2"}},
		{Name: "no args", Setup: setAB, Query: q("MUPDATE"), Want: mupdateArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("MUPDATE", "a"), Want: mupdateArity, After: ab},
		{Name: "odd args", Setup: setAB, Query: q("MUPDATE", "a", "10", "b"), Want: mupdateArity, After: ab},
	}
}

func usetCases() []Case {
	usetArity := arity("USET takes key value pairs, at least one: USET key value [key value ...]")
	return []Case{
		{Name: "new and existing", Setup: setAB, Query: q("USET", "a", "10", "c", "3"), Want: engine.Int(2),
			After: map[string]string{"a": "10", "b": "2", "c": "3"}},
		{Name: "all new", Query: q("USET", "a", "1", "b", "2"), Want: engine.Int(2), After: ab},
		{Name: "same value", Setup: setAB, Query: q("USET", "a", "1"), Want: engine.Int(1), After: ab},
		{Name: "duplicate key: counts pairs, last wins", Query: q("USET", "a", "1", "a", "2", "a", "3"), Want: engine.Int(3),
			After: map[string]string{"a": "3"}},
		{Name: "duplicate empty key: last wins", Query: q("USET", empty, "1", empty, empty), Want: engine.Int(2),
			After: map[string]string{empty: empty}},
		{Name: "binary and empty", Setup: setBinary, Query: q("USET", empty, ff, ff, empty), Want: engine.Int(2),
			After: map[string]string{nul: ff, empty: ff, ff: empty, bin: "v\x00"}},
		{Name: "lower case", Query: q("uset", "a", "1"), Want: engine.Int(1), After: map[string]string{"a": "1"}},
		{Name: "no args", Setup: setAB, Query: q("USET"), Want: usetArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("USET", "a"), Want: usetArity, After: ab},
		{Name: "odd args", Setup: setAB, Query: q("USET", "a", "1", "b"), Want: usetArity, After: ab},
	}
}

func popCases() []Case {
	return []Case{
		{Name: "existing", Setup: setAB, Query: q("POP", "a"), Want: engine.Array{engine.String("1")},
			After: map[string]string{"b": "2"}},
		{Name: "missing", Setup: setAB, Query: q("POP", "x"), Want: engine.Array{nilCode}, After: ab},
		{Name: "mixed", Setup: setAB, Query: q("POP", "b", "x", "a"),
			Want: engine.Array{engine.String("2"), nilCode, engine.String("1")}},
		{Name: "duplicate key: second is nil", Setup: setAB, Query: q("POP", "a", "a"),
			Want: engine.Array{engine.String("1"), nilCode}, After: map[string]string{"b": "2"}},
		{Name: "duplicate key among others", Setup: setAB, Query: q("POP", "a", "b", "a"),
			Want: engine.Array{engine.String("1"), engine.String("2"), nilCode}},
		{Name: "duplicate missing key", Setup: setAB, Query: q("POP", "x", "x"),
			Want: engine.Array{nilCode, nilCode}, After: ab},
		{Name: "duplicate empty key", Setup: setBinary, Query: q("POP", empty, empty),
			Want: engine.Array{engine.String(""), nilCode}, After: map[string]string{nul: ff, bin: "v\x00"}},
		{Name: "binary and empty", Setup: setBinary, Query: q("POP", empty, nul, ff),
			Want: engine.Array{engine.String(""), engine.String(ff), nilCode}, After: map[string]string{bin: "v\x00"}},
		{Name: "lower case", Setup: setAB, Query: q("pop", "a"), Want: engine.Array{engine.String("1")},
			After: map[string]string{"b": "2"}},
		{Name: "no args", Setup: setAB, Query: q("POP"),
			Want: arity("POP takes at least 1 argument: POP key [key ...]"), After: ab},
	}
}
