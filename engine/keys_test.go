package engine_test

import (
	"fmt"
	"slices"
	"testing"

	"skysh/engine"
)

// TestKeysWithPrefix: every key with the prefix when the store fits the
// budget, at most limit of them, and an honest "not complete" when the
// budget runs out first.
func TestKeysWithPrefix(t *testing.T) {
	e := newEngine(t)
	for i := range 100 {
		mustRun(t, e, okay, "SET", fmt.Sprintf("user:%02d", i), "v")
	}
	mustRun(t, e, okay, "SET", "order:1", "v")
	keys, complete := e.KeysWithPrefix("user:1", 50, 1000)
	slices.Sort(keys)
	want := []string{"user:10", "user:11", "user:12", "user:13", "user:14", "user:15", "user:16", "user:17", "user:18", "user:19"}
	if !complete || !slices.Equal(keys, want) {
		t.Errorf("KeysWithPrefix(user:1) = %q, %v; want %q, true", keys, complete, want)
	}
	if keys, complete := e.KeysWithPrefix("user:", 5, 1000); len(keys) != 5 || complete {
		t.Errorf("KeysWithPrefix with limit 5 of 100 matches = %d keys, complete %v; want 5, not complete", len(keys), complete)
	}
	// Exactly limit matches among other keys: every match was seen.
	if keys, complete := e.KeysWithPrefix("user:1", 10, 1000); len(keys) != 10 || !complete {
		t.Errorf("KeysWithPrefix with limit 10 of 10 matches = %d keys, complete %v; want 10, complete", len(keys), complete)
	}
	if keys, complete := e.KeysWithPrefix("order:", 5, 10); complete || len(keys) > 1 {
		t.Errorf("KeysWithPrefix with a budget of 10 keys of 101 = %q, complete %v; want not complete", keys, complete)
	}
	if keys, complete := e.KeysWithPrefix("nothing", 5, 1000); !complete || len(keys) != 0 {
		t.Errorf("KeysWithPrefix(nothing) = %q, %v", keys, complete)
	}
	// Deleted and replaced keys leave dead entries in the arena: they are
	// never offered, and the replacement is offered once.
	mustRun(t, e, engine.Int(1), "DEL", "user:10")
	mustRun(t, e, okay, "UPDATE", "user:11", "new")
	keys, _ = e.KeysWithPrefix("user:1", 50, 1000)
	slices.Sort(keys)
	if want := want[1:]; !slices.Equal(keys, want) {
		t.Errorf("after DEL user:10 and UPDATE user:11, KeysWithPrefix(user:1) = %q, want %q", keys, want)
	}
}
