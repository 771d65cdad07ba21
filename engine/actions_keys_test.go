package engine_test

import (
	"testing"

	"skysh/engine"
)

// TestActionKeyArguments: the action table says which arguments are keys
// an action finds in the store (to read, replace or delete), which the
// shell completes from the store's keys; keys an action only creates, the
// values of pairs, counts and names are not.
func TestActionKeyArguments(t *testing.T) {
	for _, tc := range []struct {
		action string
		keys   []bool // for arguments 0, 1, 2, 3
	}{
		{"GET", []bool{true, false, false, false}}, // GET takes one
		{"KEYLEN", []bool{true, false, false, false}},
		{"DEL", []bool{true, true, true, true}},
		{"EXISTS", []bool{true, true, true, true}},
		{"MGET", []bool{true, true, true, true}},
		{"POP", []bool{true, true, true, true}},
		{"SDEL", []bool{true, true, true, true}},
		{"UPDATE", []bool{true, false, false, false}},
		{"MUPDATE", []bool{true, false, true, false}},
		{"SUPDATE", []bool{true, false, true, false}},
		{"USET", []bool{true, false, true, false}},
		{"SET", []bool{false, false, false, false}},
		{"MSET", []bool{false, false, false, false}},
		{"SSET", []bool{false, false, false, false}},
		{"LSKEYS", []bool{false, false, false, false}},
		{"MKSNAP", []bool{false, false, false, false}},
		{"HEYA", []bool{false, false, false, false}},
		{"DBSIZE", []bool{false, false, false, false}},
	} {
		info, ok := engine.LookupAction(tc.action)
		if !ok {
			t.Fatalf("no action %s", tc.action)
		}
		for arg, want := range tc.keys {
			if got := info.KeyArgument(arg); got != want {
				t.Errorf("%s: KeyArgument(%d) = %v, want %v", tc.action, arg, got, want)
			}
		}
	}
	if got := (engine.ActionInfo{}).KeyArgument(0); got {
		t.Error("the zero ActionInfo has a key argument")
	}
}
