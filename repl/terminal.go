package repl

import (
	"bytes"
	"math"
	"slices"
	"sync"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
)

// Keys as the terminal sends them in raw mode.
const (
	keyEnter   = '\r'
	keyNewline = '\n'
	keyCtrlC   = 0x03
	keyCtrlD   = 0x04
	keyCtrlE   = 0x05
	keyCtrlU   = 0x15
	// keyNoop is Ctrl-\, which go-prompt binds to nothing: reading it only
	// makes the prompt draw itself again.
	keyNoop     = 0x1c
	readChunkIn = 1024
)

// keyParser wraps go-prompt's terminal reader to fix some of its habits,
// and to take over keys whose meaning go-prompt fixes before any binding
// of skysh's runs (Ctrl-R, Up and Down, see search.go and recall.go).
//
// go-prompt matches each read against key sequences whole, so a pasted burst
// "a\rb\r" arriving in one read is inserted as text instead of run line by
// line. keyParser hands the bytes out in pieces that end at each Enter, and
// holds back what follows an Enter until the shell asks for the next line
// (arm): Prompt.Input drops whatever it has read but not used when it
// returns, so nothing may be read past the Enter that ends a line.
//
// Prompt.Input returns "" both for an empty line and for Ctrl-D; keyParser
// remembers the last piece it handed out so the shell can tell them apart.
//
// go-prompt keeps its line and its completion menu to itself, and reads
// keys ahead of drawing them; keyParser learns what was drawn from the
// completer (the line) and from promptWriter (each draw, and whether it
// showed a completion chosen in the menu), and can wait until every piece
// it handed out has been drawn (waitDrawn).
type keyParser struct {
	prompt.ConsoleParser

	mu      sync.Mutex
	pending []byte // read from the terminal, not yet handed out
	held    bool   // an Enter was handed out: hold the rest until arm
	last    []byte // the last piece handed out
	inject  [][]byte
	// history is what a search looks through (whole queries, oldest
	// first), given at arm; search is the search under way.
	history []string
	search  search
	// interrupted says whether Ctrl-C was handed out since arm: go-prompt
	// clears the line on it but goes on reading, so the shell learns of it
	// here, to drop a query continued over several lines.
	interrupted bool
	// sync is what syncKey's binding puts on the line.
	sync shownLine
	// walk is a walk through history by Up and Down (recall.go).
	walk recall
	// restart is a prompt being started again for a new window size.
	restart restart

	// What go-prompt drew: the line as the completer last saw it (what the
	// next draw shows), whether the last draw showed a completion chosen
	// in the menu, the width it draws for, and the draws owed for the
	// pieces handed out and those done.
	line     prompt.Document
	choosing bool
	cols     int
	owed     int
	drawn    int
	caughtUp *sync.Cond
}

// shownLine is a line to show and where its cursor goes: back runes from
// its end.
type shownLine struct {
	text string
	back int
}

func newKeyParser(inner prompt.ConsoleParser) *keyParser {
	p := &keyParser{ConsoleParser: inner, cols: fallbackCols}
	p.caughtUp = sync.NewCond(&p.mu)
	return p
}

// Read hands out the next piece of input: text up to an Enter, or the Enter
// itself, one at a time.
func (p *keyParser) Read() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	piece, fed, err := p.next()
	if fed && err == nil {
		// go-prompt draws the prompt once for every piece it is given
		// (waitDrawn); a piece read while held is never given to it.
		p.owed++
	}
	return piece, err
}

// next is Read's work, under mu: the piece, and whether go-prompt will be
// given it.
func (p *keyParser) next() (piece []byte, fed bool, err error) {
	if len(p.inject) > 0 {
		piece, p.inject = p.inject[0], p.inject[1:]
		p.last = piece
		return piece, true, nil
	}
	if p.held {
		return nil, false, nil
	}
	if p.restart.wanted {
		return p.handOutRestart(), true, nil
	}
	if len(p.pending) == 0 {
		b, err := p.ConsoleParser.Read()
		if err != nil || len(b) == 0 {
			return nil, err == nil, err
		}
		p.pending = append(p.pending, b...)
	}
	if p.widthChanged() {
		// Before go-prompt draws a key for a width the window no longer
		// has: the resize's signal may come after the key.
		return p.handOutRestart(), true, nil
	}
	piece = p.nextPiece()
	if bytes.Equal(piece, restartKey) || bytes.Equal(piece, []byte{0}) {
		// skysh's own key when the terminal sends it; a NUL (Ctrl-Space),
		// which go-prompt would drop unread.
		piece = nil
	}
	if p.search.on && len(piece) > 0 {
		piece = p.searchKey(piece)
	} else if len(piece) == 1 && piece[0] == keyCtrlR {
		p.beginSearch()
	}
	if older, ok := historyKey(piece); ok {
		piece = p.recallKey(piece, older)
	}
	p.last = piece
	if len(piece) == 1 && piece[0] == keyCtrlC {
		p.interrupted = true
	}
	if len(piece) == 1 && (piece[0] == keyEnter || piece[0] == keyNewline) {
		p.held = true
	}
	return piece, true, nil
}

// syncLine is syncKey's binding: the line shows what the key reader
// decided it must (a search's find, a recalled query, the line as it was
// before a restart).
func (p *keyParser) syncLine(buf *prompt.Buffer) {
	p.mu.Lock()
	show := p.sync
	p.mu.Unlock()
	doc := buf.Document()
	buf.DeleteBeforeCursor(utf8.RuneCountInString(doc.TextBeforeCursor()))
	buf.Delete(utf8.RuneCountInString(doc.TextAfterCursor()))
	buf.InsertText(show.text, false, true)
	buf.CursorLeft(show.back)
}

// wordKeys are the keys skysh binds for moving and deleting by word, as in
// readline: Alt-B and Alt-F, Alt-Left and Alt-Right (Ctrl-Left and
// Ctrl-Right, which go-prompt knows by name, are in wordKeyBinds), and
// Alt-Backspace; words.go moves and deletes.
var wordKeys = []prompt.ASCIICodeBind{
	{ASCIICode: []byte("\x1bb"), Fn: goLeftWord},
	{ASCIICode: []byte("\x1bf"), Fn: goRightWord},
	{ASCIICode: []byte("\x1b[1;3D"), Fn: goLeftWord},
	{ASCIICode: []byte("\x1b[1;3C"), Fn: goRightWord},
	{ASCIICode: []byte("\x1b\x7f"), Fn: deleteWordBefore},
}

// wordKeyBinds are the same keys under go-prompt's names for them.
var wordKeyBinds = []prompt.KeyBind{
	{Key: prompt.ControlLeft, Fn: goLeftWord},
	{Key: prompt.ControlRight, Fn: goRightWord},
}

// nextPiece cuts the next key off pending: a known key sequence (arrows,
// Home, …), a single control byte (Enter, Tab, Ctrl-D, …), or a run of text
// up to the next control byte. go-prompt recognises a key only when a read
// holds exactly that key, so "DBSI\t" typed fast, or a paste, must be cut
// into "DBSI" and "\t".
//
// An escape sequence that is no key skysh knows (Alt-Left on some
// terminals, Shift-F5, …) is dropped whole: handed to go-prompt, all but its
// ESC would be inserted as text ("[1;3D"). Then the piece is empty.
func (p *keyParser) nextPiece() []byte {
	n, known := keyLength(p.pending)
	piece := append([]byte(nil), p.pending[:n]...)
	p.pending = p.pending[n:]
	if !known {
		return nil
	}
	return piece
}

// keyLength is the length of the key at the start of b, and whether it is a
// key skysh or go-prompt knows.
func keyLength(b []byte) (int, bool) {
	if b[0] == 0x1b {
		best := 1
		for _, seq := range prompt.ASCIISequences {
			if len(seq.ASCIICode) > best && bytes.HasPrefix(b, seq.ASCIICode) {
				best = len(seq.ASCIICode)
			}
		}
		for _, seq := range wordKeys {
			if len(seq.ASCIICode) > best && bytes.HasPrefix(b, seq.ASCIICode) {
				best = len(seq.ASCIICode)
			}
		}
		if best > 1 || len(b) == 1 {
			return best, true // a known key, or Escape alone
		}
		return escapeLength(b), false
	}
	if isControl(b[0]) {
		return 1, true
	}
	n := 1
	for n < len(b) && !isControl(b[n]) {
		n++
	}
	return n, true
}

// escapeLength is the length of the escape sequence at the start of b: a
// CSI sequence (ESC [, parameters, a final byte), an SS3 one (ESC O and one
// byte), or ESC and one more byte (Alt with a key).
func escapeLength(b []byte) int {
	switch {
	case len(b) > 2 && b[1] == '[':
		for i := 2; i < len(b); i++ {
			if 0x40 <= b[i] && b[i] <= 0x7e {
				return i + 1
			}
		}
		return len(b)
	case len(b) > 2 && b[1] == 'O':
		return 3
	}
	return 2
}

// isControl reports whether c is a key of its own rather than text.
func isControl(c byte) bool { return c < 0x20 || c == 0x7f }

// arm lets the next line be read; history is what a search looks through.
func (p *keyParser) arm(history []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held = false
	p.last = nil
	p.interrupted = false
	p.history = slices.Clip(history)
	p.search = search{}
	p.walk = recall{}
	p.restart = restart{} // the new prompt learns the window's size
	p.expectFirstDraw()
}

// expectFirstDraw starts the count of draws for a new prompt, which draws
// itself once before any key; the caller holds mu.
func (p *keyParser) expectFirstDraw() {
	p.line, p.choosing = *prompt.NewDocument(), false
	p.owed, p.drawn = 1, 0
}

// sawInterrupt reports whether Ctrl-C was pressed since arm.
func (p *keyParser) sawInterrupt() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.interrupted
}

// sawEOF reports whether the line just returned ended with Ctrl-D.
func (p *keyParser) sawEOF() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.last) == 1 && p.last[0] == keyCtrlD
}

// hangUp makes the pending Prompt.Input return as if the user had cleared the
// line and pressed Ctrl-D: the way to end a prompt that offers no other.
func (p *keyParser) hangUp() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inject = append(p.inject, []byte{keyCtrlE}, []byte{keyCtrlU}, []byte{keyCtrlD})
}

// redraw makes the pending Prompt.Input draw its prompt again.
func (p *keyParser) redraw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inject = append(p.inject, []byte{keyNoop})
}

// Terminal sizes go-prompt falls back to when the terminal reports none.
const (
	fallbackCols = 80
	fallbackRows = 24
)

// GetWinSize is the size go-prompt is told: the terminal's width, or 80
// where it reports 0 (go-prompt divides by the width, and a terminal whose
// size was never set, a bare pty or some serial consoles, reports 0×0),
// and a height no line reaches. go-prompt uses the height only to refuse
// to draw a line whose rows and the completion menu's do not fit in the
// window (a long value pasted): then it erases the whole screen for a
// notice, "Your console window is too small...", and loses track of its
// cursor. Drawn anyway, a tall line scrolls the screen as any long output
// does.
func (p *keyParser) GetWinSize() *prompt.WinSize {
	ws := p.winSize()
	p.mu.Lock()
	p.cols = int(ws.Col)
	p.mu.Unlock()
	return &prompt.WinSize{Col: ws.Col, Row: math.MaxUint16}
}

// winSize is the terminal's size, or 80×24 where it reports 0 or none.
func (p *keyParser) winSize() *prompt.WinSize {
	ws, _ := p.reportedSize()
	if ws == nil {
		ws = &prompt.WinSize{}
	}
	if ws.Col == 0 {
		ws.Col = fallbackCols
	}
	if ws.Row == 0 {
		ws.Row = fallbackRows
	}
	return ws
}

// reportedSize is the size the terminal reports, and whether it answered:
// go-prompt's reader panics when it does not (a terminal hung up), and the
// key reader asks before every key, which must not end the shell before
// its final save.
func (p *keyParser) reportedSize() (ws *prompt.WinSize, ok bool) {
	defer func() {
		if recover() != nil {
			ws, ok = nil, false
		}
	}()
	return p.ConsoleParser.GetWinSize(), true
}
