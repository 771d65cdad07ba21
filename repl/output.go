package repl

import (
	"fmt"
	"io"
)

// output holds what the shell prints, answers and diagnostics in the order
// they were made, until the shell goroutine writes them out. Queries render
// into it and never write to stdout or stderr themselves: a reader that
// stops reading can then block only the writing, never a query, and Stop
// (which waits for the query in flight) is never stuck behind a full pipe.
//
// Everything printed goes through write, the one path to the underlying
// writers. Before any byte of a batch leaves, the engine commits its
// journal: the fsync is shared by every answer in the batch (group commit),
// and no answer to a write is ever seen before the write is durable.
type output struct {
	out, err io.Writer
	commit   func() error // the engine's Commit
	segs     []segment    // finished pieces, in order
	cur      []byte       // answers made after the last piece
	spare    []byte       // a written-out cur, kept for reuse
}

// segment is a piece of output for one stream.
type segment struct {
	toErr bool
	b     []byte
}

// Write queues answers for stdout. It never fails.
func (o *output) Write(p []byte) (int, error) {
	o.cur = append(o.cur, p...)
	return len(p), nil
}

// WriteString queues answers for stdout. It never fails.
func (o *output) WriteString(s string) (int, error) {
	o.cur = append(o.cur, s...)
	return len(s), nil
}

// diag queues a line for stderr, after the answers before it.
func (o *output) diag(line []byte) {
	if len(o.cur) > 0 {
		o.segs = append(o.segs, segment{b: o.cur})
		o.cur = nil
	}
	o.segs = append(o.segs, segment{toErr: true, b: line})
}

// size is how many bytes are queued.
func (o *output) size() int {
	n := len(o.cur)
	for _, s := range o.segs {
		n += len(s.b)
	}
	return n
}

// take moves what is queued into a batch for write and leaves the queue
// empty.
func (o *output) take() batch {
	b := batch{segs: o.segs, cur: o.cur}
	o.segs, o.cur, o.spare = nil, o.spare[:0], nil
	return b
}

// reuse keeps the memory of a written batch for the next one, unless a
// large answer grew it beyond the usual size.
func (o *output) reuse(b batch) {
	if o.spare == nil && cap(b.cur) <= 2*outBufferSize {
		o.spare = b.cur[:0]
	}
}

// batch is queued output taken for writing.
type batch struct {
	segs []segment
	cur  []byte
}

// write writes b out, stdout and stderr in order. Errors are ignored: a
// closed stdout (skysh … | head) must not stop the queries, whose writes
// still reach the store and the final save.
func (o *output) write(b batch) {
	if len(b.segs) == 0 && len(b.cur) == 0 {
		return
	}
	if err := o.commit(); err != nil {
		fmt.Fprintf(o.err, "skysh: warning: %v; the writes answered next are in memory only until a save succeeds\n", err)
	}
	for _, s := range b.segs {
		w := o.out
		if s.toErr {
			w = o.err
		}
		w.Write(s.b)
	}
	if len(b.cur) > 0 {
		o.out.Write(b.cur)
	}
}
