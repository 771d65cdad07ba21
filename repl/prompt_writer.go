package repl

import (
	"strings"

	prompt "github.com/c-bata/go-prompt"
	runewidth "github.com/mattn/go-runewidth"
)

// Colours go-prompt is told to draw with, which promptWriter recognises:
// only the prefix is drawn in prefixColour, and only the preview of a
// completion chosen in the menu in previewColour (on the default
// background). hintColour is the dark grey of argument hints.
const (
	prefixColour  = prompt.Blue
	previewColour = prompt.Green
	hintColour    = prompt.DarkGray
)

// promptWriter wraps go-prompt's terminal writer: it draws the prefix red
// while the store is poisoned, draws no colour at all when colour is off
// (go-prompt has no such setting), and draws the argument hint after the
// line. It follows what go-prompt draws: a draw of the prompt runs from
// HideCursor to the next Flush, and the key reader learns of each (see
// keyParser.drew).
type promptWriter struct {
	prompt.ConsoleWriter
	colour   bool
	poisoned func() bool
	keys     *keyParser
	// hinting says whether the line is a query's first (not "...>", not a
	// search), where a hint belongs.
	hinting func() bool

	drawing  bool   // between HideCursor and Flush: go-prompt draws the prompt
	choosing bool   // this draw previews a completion chosen in the menu
	inPrefix bool   // the next text written is the prefix
	prefix   string // the prefix as last drawn
	screen   prompt.ConsoleWriter
}

// SetColor implements prompt.ConsoleWriter.
func (w *promptWriter) SetColor(fg, bg prompt.Color, bold bool) {
	w.inPrefix = fg == prefixColour
	if w.drawing && fg == previewColour && bg == prompt.DefaultColor {
		w.choosing = true
	}
	if !w.colour {
		return
	}
	if fg == prefixColour && w.poisoned() {
		fg, bold = prompt.Red, true
	}
	w.ConsoleWriter.SetColor(fg, bg, bold)
}

// WriteStr implements prompt.ConsoleWriter.
func (w *promptWriter) WriteStr(s string) {
	if w.inPrefix {
		w.prefix = s
	}
	w.ConsoleWriter.WriteStr(s)
}

// HideCursor implements prompt.ConsoleWriter: go-prompt starts each draw
// of the prompt with it.
func (w *promptWriter) HideCursor() {
	w.drawing, w.choosing = true, false
	w.ConsoleWriter.HideCursor()
}

// Flush implements prompt.ConsoleWriter: at the end of a draw of the
// prompt it adds the argument hint, and tells the key reader what was
// drawn.
func (w *promptWriter) Flush() error {
	if w.drawing {
		w.drawing = false
		if !w.choosing {
			w.drawHint()
		}
		w.keys.drew(w.choosing)
	}
	return w.ConsoleWriter.Flush()
}

// ClearTitle implements prompt.ConsoleWriter by doing nothing: go-prompt
// clears the window title each time it stops reading a line, whether or not
// it set one, which left the terminal's title blank. skysh sets no title,
// so it leaves the title alone.
func (w *promptWriter) ClearTitle() {}

// drawHint writes the argument hint of the line just drawn after it, and
// puts the cursor back where go-prompt left it. Only where hinting says,
// with the cursor at the end of the line, and with colour, which tells it
// from what is typed. It is cut to
// the columns left on the cursor's row, never wrapping: go-prompt's next
// draw, which starts by erasing everything after the line, then wipes it
// whole, as does the erase before Enter's echo.
func (w *promptWriter) drawHint() {
	line := w.keys.seen()
	if !w.colour || line.TextAfterCursor() != "" || !w.hinting() {
		return
	}
	cols := w.keys.width()
	at := (runewidth.StringWidth(w.prefix) + runewidth.StringWidth(line.Text)) % cols
	hint := fitHint(argumentHint(line.Text), cols-at-1) // the last column would wrap
	if hint == "" {
		return
	}
	w.ConsoleWriter.SetColor(hintColour, prompt.DefaultColor, false)
	w.ConsoleWriter.WriteStr(hint)
	w.ConsoleWriter.SetColor(prompt.DefaultColor, prompt.DefaultColor, false)
	w.ConsoleWriter.CursorBackward(runewidth.StringWidth(hint))
}

// fitHint joins the parts of a hint, leaving out those at the end that do
// not fit in room columns: a part is an argument or an optional group, and
// is shown whole or not at all.
func fitHint(parts []string, room int) string {
	for n := len(parts); n > 0; n-- {
		if hint := strings.Join(parts[:n], " "); runewidth.StringWidth(hint) <= room {
			return hint
		}
	}
	return ""
}

// mute makes the writer draw nothing until unmute: go-prompt's way out of
// a prompt draws the line again, for a width the terminal no longer has.
func (w *promptWriter) mute() {
	if w.screen == nil {
		w.screen, w.ConsoleWriter = w.ConsoleWriter, &discardWriter{}
	}
}

// unmute makes the writer draw again.
func (w *promptWriter) unmute() {
	if w.screen != nil {
		w.ConsoleWriter, w.screen = w.screen, nil
	}
}

// discardWriter is a prompt.ConsoleWriter that writes nothing.
type discardWriter struct{ prompt.VT100Writer }

// Flush implements prompt.ConsoleWriter.
func (*discardWriter) Flush() error { return nil }
