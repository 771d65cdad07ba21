package repl

import "testing"

// TestRecallStep: Up and Down through the history from what is typed.
func TestRecallStep(t *testing.T) {
	history := []string{"SET a 1", "GET a", "SET b 2", "SET b 2", "DBSIZE"}
	for _, tc := range []struct {
		name  string
		typed string
		keys  string // u: Up, d: Down
		want  []string
	}{
		{"prefix, newest first, duplicates once", "SET", "uuu", []string{"SET b 2", "SET a 1", ""}},
		{"down comes back to what was typed", "SET", "uudd", []string{"SET b 2", "SET a 1", "SET b 2", "SET"}},
		{"no further down than the line typed", "SET", "d", []string{""}},
		{"an empty line walks everything", "", "uuuu", []string{"DBSIZE", "SET b 2", "GET a", "SET a 1"}},
		{"nothing matches", "FROB", "u", []string{""}},
		{"an entry as typed is passed over", "GET a", "u", []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r recall
			line := tc.typed
			for i, k := range tc.keys {
				got, ok := r.step(history, line, k == 'u')
				if !ok {
					got = ""
				} else {
					line = got
				}
				if got != tc.want[i] {
					t.Fatalf("key %d (%c): %q, want %q", i+1, k, got, tc.want[i])
				}
			}
		})
	}
	// An edit starts a new walk from the edited line.
	var r recall
	if got, _ := r.step(history, "SET", true); got != "SET b 2" {
		t.Fatalf("Up from SET: %q", got)
	}
	if got, _ := r.step(history, "SET a", true); got != "SET a 1" {
		t.Fatalf("Up from the edited SET a: %q, want SET a 1", got)
	}
}
