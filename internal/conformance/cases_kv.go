package conformance

import "skysh/engine"

// Actions on one key.

func heyaCases() []Case {
	return []Case{
		{Name: "no args", Query: q("HEYA"), Want: engine.String("HEY!")},
		{Name: "any args", Setup: setAB, Query: q("HEYA", "a", "b", "c"), Want: engine.String("HEY!"), After: ab},
		{Name: "one arg", Query: q("HEYA", "hello"), Want: engine.String("HEY!")},
		{Name: "lower case", Query: q("heya"), Want: engine.String("HEY!")},
		{Name: "mixed case", Query: q("HeYa"), Want: engine.String("HEY!")},
	}
}

func getCases() []Case {
	getArity := arity("GET takes 1 argument: GET key")
	return []Case{
		{Name: "present", Setup: setAB, Query: q("GET", "a"), Want: engine.String("1"), After: ab},
		{Name: "missing", Setup: setAB, Query: q("GET", "c"), Want: nilCode, After: ab},
		{Name: "empty store", Query: q("GET", "a"), Want: nilCode},
		{Name: "lower case", Setup: setAB, Query: q("get", "b"), Want: engine.String("2"), After: ab},
		{Name: "mixed case", Setup: setAB, Query: q("GeT", "b"), Want: engine.String("2"), After: ab},
		{Name: "key is case-sensitive", Setup: setAB, Query: q("GET", "A"), Want: nilCode, After: ab},
		{Name: "no args", Setup: setAB, Query: q("GET"), Want: getArity, After: ab},
		{Name: "two args", Setup: setAB, Query: q("GET", "a", "b"), Want: getArity, After: ab},
		{Name: "lower case, two args", Query: q("get", "a", "b"), Want: getArity},
		{Name: "NUL key", Setup: setBinary, Query: q("GET", nul), Want: engine.String(ff), After: binary},
		{Name: "empty key, empty value", Setup: setBinary, Query: q("GET", empty), Want: engine.String(""), After: binary},
		{Name: "empty key missing", Setup: setAB, Query: q("GET", empty), Want: nilCode, After: ab},
		{Name: "binary key", Setup: setBinary, Query: q("GET", bin), Want: engine.String("v\x00"), After: binary},
		{Name: "prefix of binary key", Setup: setBinary, Query: q("GET", "k"), Want: nilCode, After: binary},
	}
}

func setCases() []Case {
	setArity := arity("SET takes 2 arguments: SET key value")
	return []Case{
		{Name: "new key", Query: q("SET", "a", "1"), Want: okay, After: map[string]string{"a": "1"}},
		{Name: "beside others", Setup: setAB, Query: q("SET", "c", "3"), Want: okay,
			After: map[string]string{"a": "1", "b": "2", "c": "3"}},
		{Name: "existing key keeps its value", Setup: setAB, Query: q("SET", "a", "9"), Want: overwrite, After: ab},
		{Name: "existing key, same value", Setup: setAB, Query: q("SET", "a", "1"), Want: overwrite, After: ab},
		{Name: "lower case", Query: q("set", "a", "1"), Want: okay, After: map[string]string{"a": "1"}},
		{Name: "mixed case", Query: q("sEt", "a", "1"), Want: okay, After: map[string]string{"a": "1"}},
		{Name: "no args", Setup: setAB, Query: q("SET"), Want: setArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("SET", "c"), Want: setArity, After: ab},
		{Name: "three args", Setup: setAB, Query: q("SET", "c", "3", "4"), Want: setArity, After: ab},
		{Name: "empty key and value", Query: q("SET", empty, empty), Want: okay, After: map[string]string{empty: empty}},
		{Name: "empty key exists", Setup: setBinary, Query: q("SET", empty, "x"), Want: overwrite, After: binary},
		{Name: "binary key and value", Query: q("SET", bin, nul+ff), Want: okay, After: map[string]string{bin: nul + ff}},
		{Name: "NUL and empty are different keys", Setup: [][]string{q("SET", empty, "e")}, Query: q("SET", nul, "n"),
			Want: okay, After: map[string]string{empty: "e", nul: "n"}},
		// A cluster keeps keys under a keyspace prefix: neither a separator
		// nor the highest byte may escape it.
		{Name: "key with slashes", Setup: setAB, Query: q("SET", "/a/", "s"), Want: okay,
			After: map[string]string{"a": "1", "b": "2", "/a/": "s"}},
		{Name: "highest bytes", Setup: [][]string{q("SET", ff, "1")}, Query: q("SET", ff+ff, "2"), Want: okay,
			After: map[string]string{ff: "1", ff + ff: "2"}},
	}
}

func updateCases() []Case {
	updateArity := arity("UPDATE takes 2 arguments: UPDATE key value")
	return []Case{
		{Name: "existing key", Setup: setAB, Query: q("UPDATE", "a", "10"), Want: okay,
			After: map[string]string{"a": "10", "b": "2"}},
		{Name: "missing key is not created", Setup: setAB, Query: q("UPDATE", "c", "3"), Want: nilCode, After: ab},
		{Name: "to empty value", Setup: setAB, Query: q("UPDATE", "a", empty), Want: okay,
			After: map[string]string{"a": empty, "b": "2"}},
		{Name: "binary", Setup: setBinary, Query: q("UPDATE", nul, nul), Want: okay,
			After: map[string]string{nul: nul, empty: empty, bin: "v\x00"}},
		{Name: "empty key", Setup: setBinary, Query: q("UPDATE", empty, "e"), Want: okay,
			After: map[string]string{nul: ff, empty: "e", bin: "v\x00"}},
		{Name: "empty key missing is not created", Setup: setAB, Query: q("UPDATE", empty, "e"), Want: nilCode, After: ab},
		{Name: "lower case", Setup: setAB, Query: q("update", "b", "20"), Want: okay,
			After: map[string]string{"a": "1", "b": "20"}},
		{Name: "no args", Setup: setAB, Query: q("UPDATE"), Want: updateArity, After: ab},
		{Name: "one arg", Setup: setAB, Query: q("UPDATE", "a"), Want: updateArity, After: ab},
		{Name: "three args", Setup: setAB, Query: q("UPDATE", "a", "1", "2"), Want: updateArity, After: ab},
	}
}

func keylenCases() []Case {
	keylenArity := arity("KEYLEN takes 1 argument: KEYLEN key")
	return []Case{
		{Name: "ascii", Setup: setAB, Query: q("KEYLEN", "a"), Want: engine.Int(1), After: ab},
		{Name: "bytes, not runes", Setup: [][]string{q("SET", "u", "héllo")}, Query: q("KEYLEN", "u"), Want: engine.Int(6),
			After: map[string]string{"u": "héllo"}},
		{Name: "missing", Setup: setAB, Query: q("KEYLEN", "x"), Want: nilCode, After: ab},
		{Name: "empty value", Setup: setBinary, Query: q("KEYLEN", empty), Want: engine.Int(0), After: binary},
		{Name: "empty key missing", Setup: setAB, Query: q("KEYLEN", empty), Want: nilCode, After: ab},
		{Name: "binary value", Setup: setBinary, Query: q("KEYLEN", bin), Want: engine.Int(2), After: binary},
		{Name: "lower case", Setup: setAB, Query: q("keylen", "b"), Want: engine.Int(1), After: ab},
		{Name: "no args", Setup: setAB, Query: q("KEYLEN"), Want: keylenArity, After: ab},
		{Name: "two args", Setup: setAB, Query: q("KEYLEN", "a", "b"), Want: keylenArity, After: ab},
	}
}
