package repl

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"skysh/render"
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
	// stopped is closed when the shell stops: answers held for a commit
	// that keeps failing are then dropped, and the final save takes over.
	stopped  chan struct{}
	stopOnce sync.Once
	// failed is the first error writing answers to out (a full disk, a
	// closed pipe); the loops stop reading queries once it is set.
	failed atomic.Pointer[error]
	segs   []segment // finished pieces, in order
	cur    []byte    // answers made after the last piece
	spare  []byte    // a written-out cur, kept for reuse
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

// commitRetryEvery is how often a failed commit is tried again while its
// answers are held.
const commitRetryEvery = time.Second

// write writes b out, stdout and stderr in order. The first error writing
// to stdout (a full disk, a closed pipe: skysh … | head) is kept: the shell
// then stops reading queries, and exits with a message and status 1 after
// its final save.
//
// Nothing is written before the engine's commit succeeds: if neither the
// journal nor a save of data.bin can make the writes durable (a full disk),
// their answers are held, and the commit tried again every second, until it
// succeeds or the shell stops. An answer is a promise that the write is
// kept; skysh does not make it before it can keep it.
func (o *output) write(b batch) {
	if err := o.writeTo(b, o.out); err != nil {
		o.failed.CompareAndSwap(nil, &err)
	}
}

// writeFailed returns the first error writing answers to stdout, or nil.
func (o *output) writeFailed() error {
	if err := o.failed.Load(); err != nil {
		return *err
	}
	return nil
}

// writeTo is write with the answers going to out (a pager) rather than to
// stdout; diagnostics still go to stderr. It returns the first error
// writing to out; the writes to stderr are not checked (there is nowhere
// left to say so).
func (o *output) writeTo(b batch, out io.Writer) error {
	if len(b.segs) == 0 && len(b.cur) == 0 {
		return nil
	}
	for held := false; ; held = true {
		err := o.commit()
		if err == nil {
			if held {
				fmt.Fprintf(o.err, "skysh: the writes are durable now; answering\n")
			}
			break
		}
		if !held {
			fmt.Fprintf(o.err, "skysh: %s\nskysh: the answers to the last writes are held until they are on disk; "+
				"trying again every %v (free space or fix the cause; Ctrl-C saves and quits)\n", render.Printable(err.Error()), commitRetryEvery)
		}
		select {
		case <-o.stopped:
			return nil
		case <-time.After(commitRetryEvery):
		}
	}
	var failed error
	for _, s := range b.segs {
		if s.toErr {
			o.err.Write(s.b)
		} else if _, err := out.Write(s.b); err != nil && failed == nil {
			failed = err
		}
	}
	if len(b.cur) > 0 {
		if _, err := out.Write(b.cur); err != nil && failed == nil {
			failed = err
		}
	}
	return failed
}

// lines counts the lines of answers in b.
func (b batch) lines() int {
	n := bytes.Count(b.cur, []byte("\n"))
	for _, s := range b.segs {
		if !s.toErr {
			n += bytes.Count(s.b, []byte("\n"))
		}
	}
	return n
}

// stop drops answers still held for a failing commit, now and from then on.
func (o *output) stop() { o.stopOnce.Do(func() { close(o.stopped) }) }
