package conformance

// The S-actions: all keys or none. Every case that fails checks that
// nothing at all was written, whichever key made it fail.

func ssetCases() []Case {
	ssetArity := arity("SSET takes key value pairs, at least one: SSET key value [key value ...]")
	return []Case{
		{Name: "all new", Query: q("SSET", "a", "1", "b", "2"), Want: okay, After: ab},
		{Name: "one existing sets nothing", Setup: [][]string{q("SET", "b", "2")}, Query: q("SSET", "a", "1", "b", "9", "c", "3"),
			Want: overwrite, After: map[string]string{"b": "2"}},
		{Name: "last existing sets nothing", Setup: [][]string{q("SET", "c", "3")}, Query: q("SSET", "a", "1", "b", "2", "c", "9"),
			Want: overwrite, After: map[string]string{"c": "3"}},
		// Skytable 0.6 also compared values; skysh checks only keys.
		{Name: "existing with same value", Setup: setAB, Query: q("SSET", "a", "1"), Want: overwrite, After: ab},
		{Name: "duplicate new key: last wins", Query: q("SSET", "a", "1", "a", "2"), Want: okay,
			After: map[string]string{"a": "2"}},
		{Name: "duplicate existing key", Setup: setAB, Query: q("SSET", "a", "9", "a", "8"), Want: overwrite, After: ab},
		{Name: "duplicate new key and an existing one", Setup: setAB, Query: q("SSET", "c", "3", "c", "4", "b", "9"),
			Want: overwrite, After: ab},
		{Name: "duplicate empty key: last wins", Query: q("SSET", empty, "1", empty, empty), Want: okay,
			After: map[string]string{empty: empty}},
		{Name: "binary and empty", Query: q("SSET", empty, empty, nul, ff, bin, "v\x00"), Want: okay, After: binary},
		{Name: "empty key exists", Setup: setBinary, Query: q("SSET", "new", "1", empty, "x"), Want: overwrite, After: binary},
		{Name: "lower case", Query: q("sset", "a", "1"), Want: okay, After: map[string]string{"a": "1"}},
		{Name: "no args", Setup: setAB, Query: q("SSET"), Want: ssetArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("SSET", "c"), Want: ssetArity, After: ab},
		{Name: "odd args", Setup: setAB, Query: q("SSET", "c", "3", "d"), Want: ssetArity, After: ab},
	}
}

func supdateCases() []Case {
	supdateArity := arity("SUPDATE takes key value pairs, at least one: SUPDATE key value [key value ...]")
	return []Case{
		{Name: "all existing", Setup: setAB, Query: q("SUPDATE", "a", "10", "b", "20"), Want: okay,
			After: map[string]string{"a": "10", "b": "20"}},
		{Name: "one missing updates nothing", Setup: setAB, Query: q("SUPDATE", "a", "10", "c", "3", "b", "20"),
			Want: nilCode, After: ab},
		{Name: "last missing updates nothing", Setup: setAB, Query: q("SUPDATE", "a", "10", "b", "20", "c", "3"),
			Want: nilCode, After: ab},
		{Name: "empty store", Query: q("SUPDATE", "a", "1"), Want: nilCode},
		{Name: "duplicate key: last wins", Setup: setAB, Query: q("SUPDATE", "a", "10", "a", "11"), Want: okay,
			After: map[string]string{"a": "11", "b": "2"}},
		{Name: "duplicate key and a missing one", Setup: setAB, Query: q("SUPDATE", "a", "10", "x", "1", "a", "11"),
			Want: nilCode, After: ab},
		{Name: "duplicate missing key", Setup: setAB, Query: q("SUPDATE", "x", "1", "x", "2"), Want: nilCode, After: ab},
		{Name: "binary and empty", Setup: setBinary, Query: q("SUPDATE", empty, "e", nul, empty), Want: okay,
			After: map[string]string{nul: empty, empty: "e", bin: "v\x00"}},
		{Name: "binary key missing", Setup: setBinary, Query: q("SUPDATE", empty, "e", ff, "x"), Want: nilCode,
			After: binary},
		{Name: "lower case", Setup: setAB, Query: q("supdate", "a", "10"), Want: okay,
			After: map[string]string{"a": "10", "b": "2"}},
		{Name: "no args", Setup: setAB, Query: q("SUPDATE"), Want: supdateArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("SUPDATE", "a"), Want: supdateArity, After: ab},
		{Name: "odd args", Setup: setAB, Query: q("SUPDATE", "a", "10", "b"), Want: supdateArity, After: ab},
	}
}

func sdelCases() []Case {
	return []Case{
		{Name: "all existing", Setup: setAB, Query: q("SDEL", "a", "b"), Want: okay},
		{Name: "one of two", Setup: setAB, Query: q("SDEL", "b"), Want: okay, After: map[string]string{"a": "1"}},
		{Name: "one missing deletes nothing", Setup: setAB, Query: q("SDEL", "a", "x", "b"), Want: nilCode, After: ab},
		{Name: "last missing deletes nothing", Setup: setAB, Query: q("SDEL", "a", "b", "x"), Want: nilCode, After: ab},
		{Name: "duplicate key", Setup: setAB, Query: q("SDEL", "a", "a"), Want: okay, After: map[string]string{"b": "2"}},
		{Name: "duplicate key and a missing one", Setup: setAB, Query: q("SDEL", "a", "a", "x"), Want: nilCode, After: ab},
		{Name: "duplicate missing key", Setup: setAB, Query: q("SDEL", "x", "x"), Want: nilCode, After: ab},
		{Name: "duplicate empty key", Setup: setBinary, Query: q("SDEL", empty, empty), Want: okay,
			After: map[string]string{nul: ff, bin: "v\x00"}},
		{Name: "binary and empty", Setup: setBinary, Query: q("SDEL", empty, nul), Want: okay,
			After: map[string]string{bin: "v\x00"}},
		{Name: "binary key missing", Setup: setBinary, Query: q("SDEL", empty, ff), Want: nilCode, After: binary},
		{Name: "lower case", Setup: setAB, Query: q("sdel", "a"), Want: okay, After: map[string]string{"b": "2"}},
		{Name: "no args", Setup: setAB, Query: q("SDEL"),
			Want: arity("SDEL takes at least 1 argument: SDEL key [key ...]"), After: ab},
	}
}
