package repl

import (
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
	runewidth "github.com/mattn/go-runewidth"
)

// A window resize starts the prompt again, with the line as it was.
// go-prompt learns the terminal's width only when a prompt starts (its
// Prompt.Run follows resizes, Prompt.Input does not), and goes on drawing
// for the old width, which leaves broken copies of the line on the screen
// as soon as it wraps differently.
//
// On SIGWINCH the key reader hands go-prompt restartKey, a key go-prompt
// knows but binds to nothing (Ignore); skysh's binding of it keeps the line
// and mutes promptWriter, and the exit checker then ends the prompt (which
// go-prompt would draw again, for the old width). The shell erases the line
// where the terminal shows it now and starts a new prompt, to which the
// reader hands syncKey with the line kept.
//
// Erasing assumes the terminal rewrapped the line for its new width, as
// tmux, VTE (GNOME Terminal), Konsole, kitty, iTerm2 and Windows Terminal
// do; on one that does not (xterm), a line that wraps may lose rows above
// it or leave a piece of its old copy.

// restartKey is the key the reader hands go-prompt to end the prompt after
// a resize: go-prompt's Ignore. When the terminal sends it (xterm's Begin,
// the keypad's 5), the reader drops it.
var restartKey = []byte("\x1b[E")

// restart is a prompt being started again; guarded by keyParser.mu.
type restart struct {
	wanted bool // the window was resized: hand out restartKey
	handed bool // restartKey was handed out, its binding not yet run
	due    bool // its binding ran: the prompt ends
	line   shownLine
	drawn  drawnLine
}

// drawnLine is where go-prompt drew a line: in columns from the prompt's
// start, its cursor and its end, for a terminal cols wide.
type drawnLine struct {
	at, end, cols int
}

// rowsAbove is how many rows above the cursor the prompt starts once the
// terminal has rewrapped the line for a width of cols. go-prompt ends a
// line that fills its last row with a newline, not a wrap: the cursor, at
// its end, is then on a row of its own below it.
func (d drawnLine) rowsAbove(cols int) int {
	if d.at == d.end && d.end > 0 && d.end%d.cols == 0 {
		return (d.end-1)/cols + 1
	}
	return d.at / cols
}

// resized is called on SIGWINCH: the prompt that is reading keys starts
// again if the window's width changed (go-prompt needs to know only that);
// between prompts nothing is to be done, as the next one learns it.
func (p *keyParser) resized() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held && p.widthChanged() {
		p.restart.wanted = true
	}
}

// widthChanged reports whether the window's width is no longer the one
// go-prompt was told; the caller holds mu. A terminal that does not say
// has not changed.
func (p *keyParser) widthChanged() bool {
	ws, ok := p.reportedSize()
	return ok && ws != nil && ws.Col != 0 && int(ws.Col) != p.cols
}

// handOutRestart hands out restartKey, holding what follows for the next
// prompt; the caller holds mu.
func (p *keyParser) handOutRestart() []byte {
	p.restart.wanted, p.restart.handed = false, true
	p.held = true
	p.last = restartKey
	return restartKey
}

// keepLine is restartKey's binding: it keeps the line, and where its
// cursor is drawn after prefix, and reports whether the prompt is to end.
func (p *keyParser) keepLine(buf *prompt.Buffer, prefix string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.restart.handed {
		return false
	}
	d := buf.Document()
	p.restart.handed, p.restart.due = false, true
	p.restart.line = shownLine{text: d.Text, back: utf8.RuneCountInString(d.TextAfterCursor())}
	start := runewidth.StringWidth(prefix)
	p.restart.drawn = drawnLine{
		at:   start + runewidth.StringWidth(d.TextBeforeCursor()),
		end:  start + runewidth.StringWidth(d.Text),
		cols: p.cols,
	}
	return true
}

// restartDue is the prompt's exit checker: whether keepLine has ended it.
func (p *keyParser) restartDue() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.restart.due
}

// resume readies the keys for the prompt that starts again after a
// restart, with the line kept, and returns where that line was drawn; ok
// is false when the prompt ended otherwise.
func (p *keyParser) resume() (drawn drawnLine, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.restart
	if !r.due {
		return drawnLine{}, false
	}
	p.restart = restart{}
	p.held, p.last = false, nil
	p.sync = r.line
	p.inject = append(p.inject, syncKey)
	p.expectFirstDraw()
	return r.drawn, true
}

// readLine reads a line at a new prompt, which starts again, with the line as
// it was, each time the window is resized.
func readLine(newPrompt func() *prompt.Prompt, keys *keyParser, w *promptWriter) string {
	for {
		typed := newPrompt().Input()
		drawn, ok := keys.resume()
		if !ok {
			return typed
		}
		w.unmute()
		w.eraseLine(drawn, int(keys.GetWinSize().Col))
	}
}

// eraseLine erases the prompt and everything below it, drawn as d and now
// wrapped at cols, and leaves the cursor where the prompt started.
func (w *promptWriter) eraseLine(d drawnLine, cols int) {
	w.CursorUp(d.rowsAbove(cols))
	w.WriteRaw([]byte{'\r'})
	w.EraseDown()
	w.Flush()
}
