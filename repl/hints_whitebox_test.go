package repl

import (
	"slices"
	"testing"
)

// TestNearestActions: the typos people make find the action they meant,
// in any case, and a word far from every action finds none.
func TestNearestActions(t *testing.T) {
	for _, tc := range []struct {
		typed string
		want  []string
	}{
		{"SETT", []string{"SET"}},
		{"gte", []string{"GET"}},
		{"mste", []string{"MSET"}},
		{"DBSZE", []string{"DBSIZE"}},
		{"FLUSHALL", nil},
		{"FROBNICATE", nil},
		{"UPDTAE", []string{"UPDATE"}},
		{"xSET", []string{"SET", "MSET", "SSET", "USET"}}, // all one edit away, in help order
	} {
		if got := nearestActions(tc.typed); !slices.Equal(got, tc.want) {
			t.Errorf("nearestActions(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}
