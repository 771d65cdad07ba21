package repl

import (
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"skysh/render"
)

// Around the column a caret points at, how many runes of the line are
// shown: a value of a megabyte must not fill the screen to point at a quote.
const (
	caretBefore = 40
	caretAfter  = 30
)

// caretUnder draws line and, under it, a caret at column col (1-based, in
// runes, an invalid byte counting as one), as sqlite3 does for a parse
// error. Both lines are indented by two spaces and escaped like any
// message, and the caret counts display cells, so that escapes and wide
// characters before it do not move it off. A long line is cut to a window
// around the column, with "…" where it was cut.
func caretUnder(line string, col int) string {
	from, at, to := 0, len(line), len(line) // byte offsets: window start, column, window end
	for i, n := 0, 1; i < len(line); n++ {
		if n == col-caretBefore {
			from = i
		}
		if n == col {
			at = i
		}
		if n == col+caretAfter {
			to = i
			break
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	before := render.Printable(line[from:at])
	if from > 0 {
		before = "…" + before
	}
	after := render.Printable(line[at:to])
	if to < len(line) {
		after += "…"
	}
	var b strings.Builder
	b.WriteString("  " + before + after + "\n  ")
	b.WriteString(strings.Repeat(" ", runewidth.StringWidth(before)))
	b.WriteString("^\n")
	return b.String()
}
