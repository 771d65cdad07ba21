package repl

import (
	"strings"
	"testing"
)

// TestCaretUnder: the caret stands under the column whatever comes before
// it (escaped control bytes, wide characters, an invalid byte), and a long
// line is cut to a window around it.
func TestCaretUnder(t *testing.T) {
	long := strings.Repeat("v", 100)
	for _, tc := range []struct {
		name, line string
		col        int
		want       string
	}{
		{"plain", `SET "open`, 5, "  SET \"open\n      ^\n"},
		{"escaped bytes before", "SET \x01\x02\"x", 7, "  SET \\x01\\x02\"x\n              ^\n"},
		{"wide characters before", `SET 日本 "x`, 8, "  SET 日本 \"x\n           ^\n"},
		{"an invalid byte counts as one column", "SET \xff \"x", 7, "  SET \\xff \"x\n           ^\n"},
		{"cut on both sides", long + `"` + long, 101,
			"  …" + strings.Repeat("v", 40) + `"` + strings.Repeat("v", 29) + "…\n" + strings.Repeat(" ", 43) + "^\n"},
		{"past the end", `SET k \`, 8, "  SET k \\\n" + strings.Repeat(" ", 9) + "^\n"},
	} {
		if got := caretUnder(tc.line, tc.col); got != tc.want {
			t.Errorf("%s: caretUnder(%q, %d) =\n%s\nwant\n%s", tc.name, tc.line, tc.col, got, tc.want)
		}
	}
}
