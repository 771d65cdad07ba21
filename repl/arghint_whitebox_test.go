package repl

import (
	"slices"
	"testing"
)

// TestArgumentHint: what follows the cursor as a line is typed.
func TestArgumentHint(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"SE", nil},
		{"SET", []string{" key", "value"}},
		{"set ", []string{"key", "value"}},
		{"  SET a", []string{" value"}},
		{"SET a ", []string{"value"}},
		{"SET a b", nil},
		{"SET a b c", nil},
		{`SET "a b" `, []string{"value"}},
		{`SET "a b`, nil},
		{`SET 'it''s' `, []string{"value"}},
		{`SET "a\" b" `, []string{"value"}},
		{`SET a \`, nil},
		{`SET a \\`, nil}, // two backslashes: a value, not a continuation
		{"GET", []string{" key"}},
		{"GET k", nil},
		{"DEL", []string{" key", "[key ...]"}},
		{"DEL a", []string{" [key ...]"}},
		{"DEL a b ", []string{"[key ...]"}},
		{"MSET ", []string{"key", "value", "[key value ...]"}},
		{"MSET a 1", []string{" [key value ...]"}},
		{"MSET a 1 b", []string{" value", "[key value ...]"}},
		{"MSET a 1 b ", []string{"value", "[key value ...]"}},
		{"LSKEYS", []string{" [count]"}},
		{"LSKEYS ", []string{"[count]"}},
		{"LSKEYS 5", nil},
		{"MKSNAP ", []string{"[name]"}},
		{"HEYA", nil},
		{"HEYA x", nil},
		{"FROB ", nil},
		{"!keys ", nil},
	} {
		if got := argumentHint(tc.line); !slices.Equal(got, tc.want) {
			t.Errorf("argumentHint(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}
