package repl

import (
	"strings"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
)

// History search, as readline's Ctrl-R: typing searches the history, newest
// first, for entries holding the text (in any case); Ctrl-R again finds the
// next older one; Enter runs the entry found; Ctrl-G or Esc puts the line
// back as it was; any other key leaves the search with the entry found on
// the line, to edit.
//
// go-prompt has no modes, so the search lives in the key reader, which sees
// every key first: while searching it keeps the typed text to itself and
// hands go-prompt a private key, syncKey, whose binding (syncLine) puts
// the entry found on the line. The prompt shows the search (searchPrompt).

const keyCtrlR, keyCtrlG, keyBackspace, keyCtrlH, keyEscape = 0x12, 0x07, 0x7f, 0x08, 0x1b

// syncKey is the key the reader hands go-prompt to have the line show what
// it decided (keyParser.sync): what a search found, a query recalled, the
// line as it was before a restart. No terminal sends it.
var syncKey = []byte("\x1b[9999~")

// search is the state of a history search; guarded by keyParser.mu.
type search struct {
	on       bool
	query    string
	history  []string // oldest first, as the search started
	found    int      // index in history of the entry shown; -1: none
	original string   // the line before the search, set by startSearch
	shown    string   // what the line must show
}

// searchKey handles a key while searching and returns what to hand
// go-prompt in its stead. The caller holds p.mu.
func (p *keyParser) searchKey(piece []byte) []byte {
	s := &p.search
	switch {
	case len(piece) == 1 && piece[0] == keyCtrlR:
		s.find(s.found - 1)
	case len(piece) == 1 && (piece[0] == keyCtrlG || piece[0] == keyEscape):
		s.on, s.shown = false, s.original
	case len(piece) == 1 && (piece[0] == keyBackspace || piece[0] == keyCtrlH):
		if s.query != "" {
			_, size := utf8.DecodeLastRuneInString(s.query)
			s.query = s.query[:len(s.query)-size]
			s.find(len(s.history) - 1)
		}
	case !isControl(piece[0]):
		s.query += string(piece)
		s.find(len(s.history) - 1)
	default:
		// Enter runs what the line shows; another key acts on it, once
		// go-prompt has drawn it after the ready prompt. go-prompt erases
		// the line it breaks (Enter, Ctrl-C) by the width of the prompt it
		// would draw now, so given the key at once it would erase too
		// little of the search's longer prompt and leave a piece of it.
		s.on = false
		p.pending = append(piece, p.pending...)
		return []byte{keyNoop}
	}
	p.sync = shownLine{text: s.shown}
	return syncKey
}

// find shows the newest entry at or before index from that holds the
// query; if none does, the line stays as it is.
func (s *search) find(from int) {
	q := strings.ToLower(s.query)
	for i := min(from, len(s.history)-1); i >= 0; i-- {
		if strings.Contains(strings.ToLower(s.history[i]), q) {
			s.found, s.shown = i, s.history[i]
			return
		}
	}
	if s.query == "" {
		s.found, s.shown = len(s.history), s.original
	}
}

// beginSearch starts a search when Ctrl-R is handed out; the caller holds
// p.mu. The line it started from is learnt from the Ctrl-R binding.
func (p *keyParser) beginSearch() {
	p.search = search{on: true, history: p.history, found: len(p.history)}
}

// startSearch is the Ctrl-R binding: it records the line the search
// started from, to put back on Ctrl-G.
func (p *keyParser) startSearch(buf *prompt.Buffer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.search.original = buf.Text()
	if p.search.found == len(p.search.history) {
		p.search.shown = buf.Text()
	}
}

// searchPrompt is the prompt while searching, as readline draws it, and
// whether a search is on.
func (p *keyParser) searchPrompt() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.search
	if !s.on {
		return "", false
	}
	label := "(reverse-i-search)"
	if !strings.Contains(strings.ToLower(s.shown), strings.ToLower(s.query)) {
		label = "(failing reverse-i-search)"
	}
	return label + "`" + s.query + "': ", true
}
