package repl

import (
	"time"

	prompt "github.com/c-bata/go-prompt"
)

// What go-prompt drew. It keeps its line and its completion menu to
// itself, and its reader runs ahead of its drawing; the key reader, which
// must know both to give Up and Down their meaning, learns them from the
// completer (the line, asked for right before each draw), from
// promptWriter (each draw, and whether it showed a completion chosen in
// the menu) and from the line-break callback, and counts the draws owed
// for the pieces it handed out.

// drawnWait bounds the wait for go-prompt to draw the pieces handed out.
// Each is drawn within milliseconds, except where go-prompt draws nothing
// (a window too small for it), which must not stop the keys.
const drawnWait = 500 * time.Millisecond

// waitDrawn waits, under mu, until go-prompt has drawn every piece handed
// out, so that what it drew last (the line, a completion chosen) is what
// the next key acts on.
func (p *keyParser) waitDrawn() {
	if p.drawn >= p.owed {
		return
	}
	deadline := time.Now().Add(drawnWait)
	wake := time.AfterFunc(drawnWait, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.caughtUp.Broadcast()
	})
	defer wake.Stop()
	for p.drawn < p.owed && time.Now().Before(deadline) {
		p.caughtUp.Wait()
	}
}

// drew is told by promptWriter of each draw of the prompt, and whether it
// showed a completion chosen in the menu.
func (p *keyParser) drew(choosing bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.choosing = choosing
	p.drawn++
	p.caughtUp.Broadcast()
}

// brokeLine is told by go-prompt that the line was ended (Enter, Ctrl-C,
// Ctrl-D or a restart), which stands for the draw of that key, except
// after Ctrl-C, which go-prompt draws too.
func (p *keyParser) brokeLine(d *prompt.Document) {
	if d.LastKeyStroke() == prompt.ControlC {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drawn++
	p.caughtUp.Broadcast()
}

// saw is told by the completer of the line it is asked about: go-prompt
// asks once for every key, right before it draws the line.
func (p *keyParser) saw(d prompt.Document) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line = d
}

// seen is the line as go-prompt last drew it, or is about to.
func (p *keyParser) seen() prompt.Document {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.line
}

// width is the terminal's width as go-prompt was told it.
func (p *keyParser) width() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cols
}
