package repl

import (
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"skysh/render"
)

// labelled is a store that names where its data lives in a word or two,
// for the prompt: a cluster says etcd:KEYSPACE. The local store names
// nothing there; the greeting says where its directory is.
type labelled interface {
	Label() string
}

// maxPromptReason bounds the reason a prompt shows: the whole of it is in
// the answer of every refused write and in !status.
const maxPromptReason = 40

// readyPrompt is the prompt before a query: "skysh> ", or "skysh
// (poisoned)> " while writes are refused. A labelled store's prompt says
// where the data lives, and why writes are refused:
// "skysh etcd:default (poisoned: the cluster has no leader)> ".
func (s *Shell) readyPrompt() string {
	reason, poisoned := s.cfg.Store.Poisoned()
	l, ok := s.cfg.Store.(labelled)
	switch {
	case !ok && poisoned:
		return promptPoisoned
	case !ok:
		return promptReady
	}
	p := "skysh " + render.Printable(l.Label())
	if poisoned {
		p += " (poisoned: " + render.Printable(shortReason(reason)) + ")"
	}
	return p + "> "
}

// shortReason is the gist of a reason: up to its first explanation (what
// follows a colon, a semicolon or a parenthesis), and at most
// maxPromptReason characters.
func shortReason(reason string) string {
	if i := strings.IndexAny(reason, ":;("); i > 0 {
		reason = strings.TrimSpace(reason[:i])
	}
	if utf8.RuneCountInString(reason) > maxPromptReason {
		r := []rune(reason)
		reason = string(r[:maxPromptReason-1]) + "…"
	}
	return reason
}

// continuedPrompt is the prompt of a query's next line after ready's: "...>"
// ending where ready ends, so that the lines of one query start in one
// column, as in sqlite3; never narrower than promptContinued.
func continuedPrompt(ready string) string {
	const dots = "...> "
	w := runewidth.StringWidth(ready)
	if w <= len(promptContinued) {
		return promptContinued
	}
	return strings.Repeat(" ", w-len(dots)) + dots
}
