package transfer

import (
	"fmt"
	"io"
	"time"
)

// progressEvery is how often the progress line is redrawn: often enough to
// look alive, seldom enough to cost nothing beside the copy.
const progressEvery = 200 * time.Millisecond

// progress draws "copying: 1200 of 5000 keys (24%)" on one terminal line,
// rewritten in place.
type progress struct {
	w     io.Writer // nil: no progress is shown
	what  string
	total int64 // -1 when unknown
	n     int64
	next  time.Time
	shown bool
}

func newProgress(w io.Writer, what string, total int64) *progress {
	return &progress{w: w, what: what, total: total, next: time.Now()}
}

// step counts one pair, and redraws the line when it is time to.
func (p *progress) step() {
	p.n++
	if p.w == nil || p.n%1024 != 0 {
		return
	}
	if now := time.Now(); now.After(p.next) {
		p.next = now.Add(progressEvery)
		p.draw()
	}
}

func (p *progress) draw() {
	p.shown = true
	if p.total > 0 {
		fmt.Fprintf(p.w, "\r%s: %d of %d keys (%d%%)\x1b[K", p.what, p.n, p.total, p.n*100/p.total)
		return
	}
	fmt.Fprintf(p.w, "\r%s: %d keys\x1b[K", p.what, p.n)
}

// done erases the line, so that what follows starts on a clean one.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
