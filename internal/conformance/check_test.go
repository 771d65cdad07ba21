package conformance

import (
	"slices"
	"strings"
	"testing"

	"skysh/engine"
)

// The checks are what keeps two backends alike: these tests show each one
// failing on a store or an answer that is wrong in the way it looks for.

func TestCheckAnswer(t *testing.T) {
	ab := engine.Array{engine.String("a"), engine.String("b")}
	for _, tc := range []struct {
		name string
		c    Case
		got  engine.Response
		ok   bool
	}{
		{"same", Case{Want: engine.Int(1)}, engine.Int(1), true},
		{"other value", Case{Want: engine.Int(1)}, engine.Int(2), false},
		{"other type", Case{Want: engine.Int(1)}, engine.String("1"), false},
		{"other detail", Case{Want: arity("GET takes 1 argument: GET key")}, engine.Status{Code: engine.ActionError}, false},
		{"empty array however made", Case{Want: engine.Array{}}, engine.Array(nil), true},
		{"array in order", Case{Want: ab}, engine.Array{engine.String("a"), engine.String("b")}, true},
		{"array out of order", Case{Want: ab}, engine.Array{engine.String("b"), engine.String("a")}, false},
		{"array item of other type", Case{Want: engine.Array{nilCode}}, engine.Array{engine.String("")}, false},
		{"unordered", Case{Want: ab, Unordered: true}, engine.Array{engine.String("b"), engine.String("a")}, true},
		{"unordered, one missing", Case{Want: ab, Unordered: true}, engine.Array{engine.String("b")}, false},
		{"unordered, one twice", Case{Want: ab, Unordered: true}, engine.Array{engine.String("a"), engine.String("a")}, false},
		{"unordered, not an array", Case{Want: ab, Unordered: true}, wrongtype, false},
		{"pick", Case{Want: ab, Pick: 1}, engine.Array{engine.String("b")}, true},
		{"pick too many", Case{Want: ab, Pick: 1}, ab, false},
		{"pick one twice", Case{Want: ab, Pick: 2}, engine.Array{engine.String("a"), engine.String("a")}, false},
		{"pick a stranger", Case{Want: ab, Pick: 1}, engine.Array{engine.String("c")}, false},
	} {
		if err := tc.c.checkAnswer(tc.got); (err == nil) != tc.ok {
			t.Errorf("%s: checkAnswer(%s) = %v, want ok %v", tc.name, FormatResponse(tc.got), err, tc.ok)
		}
	}
}

func TestCheckStore(t *testing.T) {
	ab := map[string]string{"a": "1", "b": "2"}
	for _, tc := range []struct {
		name string
		fake fakeStore // what the store gets wrong
		want map[string]string
		says string // in the error; "" for none
	}{
		{"same", fakeStore{}, ab, ""},
		{"lacks a key", fakeStore{}, map[string]string{"a": "1", "b": "2", "c": "3"}, `lacks "c"`},
		{"extra key", fakeStore{}, map[string]string{"a": "1"}, `"b" = "2", want no such key`},
		{"other value", fakeStore{}, map[string]string{"a": "1", "b": "3"}, `"b" = "2", want "3"`},
		{"not in key order", fakeStore{reversed: true}, ab, "not in key order"},
		{"DBSIZE miscounts", fakeStore{dbsize: 3}, ab, "DBSIZE = Int(3), want Int(2)"},
		{"Len miscounts", fakeStore{len: 1}, ab, "Len() = 1, want 2"},
		{"Len does not know", fakeStore{len: -1}, ab, ""},
		{"KeysWithPrefix says complete at its limit", fakeStore{completeAtLimit: true}, ab, `KeysWithPrefix("", 1) = `},
	} {
		f := tc.fake
		f.Engine = engine.New()
		if r := f.Exec(q("MSET", "a", "1", "b", "2")); r != engine.Response(engine.Int(2)) {
			t.Fatalf("MSET = %s", FormatResponse(r))
		}
		err := checkStore(&f, tc.want)
		if tc.says == "" && err != nil || tc.says != "" && (err == nil || !strings.Contains(err.Error(), tc.says)) {
			t.Errorf("%s: checkStore = %v, want an error saying %q", tc.name, err, tc.says)
		}
	}
}

// fakeStore is an engine that misreports what it holds as told.
type fakeStore struct {
	*engine.Engine
	reversed bool // RangeSorted gives keys in reverse order
	dbsize   int  // if not 0, what DBSIZE answers
	len      int  // if not 0, what Len answers
	// completeAtLimit: KeysWithPrefix says it found every key when it
	// stopped at its limit.
	completeAtLimit bool
}

func (f *fakeStore) KeysWithPrefix(prefix string, limit, budget int) ([]string, bool) {
	keys, complete := f.Engine.KeysWithPrefix(prefix, limit, budget)
	return keys, complete || f.completeAtLimit && len(keys) == limit
}

func (f *fakeStore) Exec(args []string) engine.Response {
	if f.dbsize != 0 && len(args) == 1 && args[0] == "DBSIZE" {
		return engine.Int(f.dbsize)
	}
	return f.Engine.Exec(args)
}

func (f *fakeStore) Len() int {
	if f.len != 0 {
		return f.len
	}
	return f.Engine.Len()
}

func (f *fakeStore) RangeSorted(fn func(key, value string) error) error {
	if !f.reversed {
		return f.Engine.RangeSorted(fn)
	}
	var pairs [][2]string
	if err := f.Engine.RangeSorted(func(k, v string) error {
		pairs = append(pairs, [2]string{k, v})
		return nil
	}); err != nil {
		return err
	}
	for _, p := range slices.Backward(pairs) {
		if err := fn(p[0], p[1]); err != nil {
			return err
		}
	}
	return nil
}
