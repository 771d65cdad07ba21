package repl

import "testing"

// TestWordBounds: words are counted in characters, spaces next to the
// cursor passed over, as readline does.
func TestWordBounds(t *testing.T) {
	for _, tc := range []struct {
		text       string
		start, end int
	}{
		{"", 0, 0},
		{"   ", 0, 3},
		{"SET 日本", 4, 3},
		{"é😀  ", 0, 2},
		{"  日本 é😀", 5, 4},
	} {
		r := []rune(tc.text)
		if got := wordStart(r); got != tc.start {
			t.Errorf("wordStart(%q)=%d, want %d", tc.text, got, tc.start)
		}
		if got := wordEnd(r); got != tc.end {
			t.Errorf("wordEnd(%q)=%d, want %d", tc.text, got, tc.end)
		}
	}
}
