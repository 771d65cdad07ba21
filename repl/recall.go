package repl

import (
	"strings"

	prompt "github.com/c-bata/go-prompt"
)

// Up and Down, as in fish, zsh and ipython: with text typed, Up recalls
// the earlier queries that start with it, newest first, and Down comes
// back towards the text typed; on an empty line every query matches, so Up
// walks the whole history. While a completion is chosen in the menu, Up
// and Down move in the menu, as go-prompt has them.
//
// go-prompt acts on Up and Down before any binding of skysh's runs (and on
// Down without running them at all), so the walk lives in the key reader,
// as the search does: it waits until go-prompt has drawn the keys before,
// to know the line and whether the menu has a choice, and hands go-prompt
// syncKey with the query to show.

// recall is a walk through the history by Up and Down; guarded by
// keyParser.mu.
type recall struct {
	on     bool
	prefix string // the line when the walk began: what entries start with
	at     int    // the index in history of the entry shown; len(history): the line typed
	shown  string // what the walk last put on the line
}

// historyKey reports whether piece is a key that walks the history, and
// which way.
func historyKey(piece []byte) (older, ok bool) {
	switch prompt.GetKey(piece) {
	case prompt.Up, prompt.ControlP:
		return true, true
	case prompt.Down, prompt.ControlN:
		return false, true
	}
	return false, false
}

// recallKey is what to hand go-prompt for a key that walks the history:
// the key itself while a completion is chosen, else syncKey with the
// query recalled, or nothing when the walk goes no further. The caller
// holds mu.
func (p *keyParser) recallKey(piece []byte, older bool) []byte {
	p.waitDrawn()
	if p.choosing {
		return piece
	}
	text, ok := p.walk.step(p.history, p.line.Text, older)
	if !ok {
		return nil
	}
	p.sync = shownLine{text: text}
	return syncKey
}

// step moves the walk one entry older or newer from line, the line as it
// is now, and returns what the line must show, or false when there is no
// such entry. A line that is not what the walk last showed (edited, or the
// walk not begun) begins a new walk from it. Entries that read as the line
// already does are passed over.
func (r *recall) step(history []string, line string, older bool) (string, bool) {
	if !r.on || line != r.shown {
		*r = recall{on: true, prefix: line, at: len(history), shown: line}
	}
	for i := r.at; ; {
		if older {
			i--
		} else {
			i++
		}
		switch {
		case i < 0 || i > len(history):
			return "", false
		case i == len(history):
			r.at, r.shown = i, r.prefix
			return r.prefix, true
		case history[i] != r.shown && strings.HasPrefix(history[i], r.prefix):
			r.at, r.shown = i, history[i]
			return history[i], true
		}
	}
}
