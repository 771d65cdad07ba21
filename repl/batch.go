package repl

import (
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// RunBatch runs every query read from r, one per line, until end of input,
// `exit` or `quit`, or with Bail the first failed line. It returns an error
// only when r cannot be read.
//
// While input comes a little at a time (a program sending one query and
// waiting for its answer), each read's lines run on the goroutine that read
// them: nothing is handed between goroutines on the way from the query to
// its answer. Once more input is waiting than a read took (a script),
// reading and tokenizing move to a goroutine of their own, a block ahead of
// the queries, so that a bulk load uses two cores; they come back when the
// input has been drained.
//
// Before any read that may wait, the answers so far are written out, so
// that a program driving skysh through pipes gets each answer before it
// sends the next query.
func (s *Shell) RunBatch(r io.Reader) (err error) {
	in := newInput(r)
	defer func() {
		s.flush()
		if err == nil {
			err = s.answersLost()
		}
	}()
	c := newChunk()
	defer chunkPool.Put(c)
	var released atomic.Int64 // in.bytes when memory was last given back
	for !in.done() {
		if !in.queued() {
			s.flush()
			if s.out.writeFailed() != nil {
				return nil // answersLost says why
			}
			disarm := releaseWhenIdle(in.bytes, &released)
			in.read()
			disarm()
		} else {
			in.read()
		}
		c.reset()
		in.parse(c)
		stop := false
		if in.filled() {
			stop = s.runAhead(in, c)
		} else {
			stop = s.runChunk(c)
		}
		if stop {
			return nil
		}
	}
	if in.err != nil {
		return fmt.Errorf("cannot read input: %w", in.err)
	}
	return nil
}

// A burst of input leaves garbage behind (its blocks, the index copies
// its writes replaced) that Go keeps until memory is short. Once skysh has
// waited idleRelease for more input after at least releaseBurstBytes, it
// gives that memory back, so that a bulk load leaves it the size of its
// store. A trickle of queries never pays for the collection this forces.
const (
	releaseBurstBytes = 8 << 20
	idleRelease       = 100 * time.Millisecond
)

// releaseWhenIdle arms the release for a read that may wait and returns
// the function that disarms it, for when the read returns. released holds
// the input read when memory was last given back.
func releaseWhenIdle(read int64, released *atomic.Int64) (disarm func()) {
	if read-released.Load() < releaseBurstBytes {
		return func() {}
	}
	t := time.AfterFunc(idleRelease, func() {
		released.Store(read)
		debug.FreeOSMemory()
	})
	return func() { t.Stop() }
}

// runAhead runs first, and then the lines a goroutine of its own reads
// while they run, until the input is drained or ends. It reports whether
// the shell should stop; if so the reader is left to finish on its own,
// and in must not be used again.
func (s *Shell) runAhead(in *input, first *chunk) (stop bool) {
	chunks := make(chan *chunk, 2)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(chunks)
		for in.queued() {
			c := newChunk()
			in.read()
			in.parse(c)
			select {
			case chunks <- c:
			case <-done:
				return
			}
		}
	}()
	if s.runChunk(first) {
		return true
	}
	for c := range chunks {
		stop := s.runChunk(c)
		chunkPool.Put(c)
		if stop {
			return true
		}
	}
	return false
}

// runChunk runs c's lines and reports whether the shell should stop: a
// line said so, or the answers can no longer be written.
func (s *Shell) runChunk(c *chunk) bool {
	if s.out.writeFailed() != nil {
		return true
	}
	for i := 0; i < len(c.lines); i++ {
		// Asked at each line: a shell command (!timer on) may change it.
		if batcher, ok := s.batcher(); ok {
			if n := queryRun(c.lines[i:]); n > 1 {
				if s.runGroup(batcher, c.lines[i:i+n]) {
					return true
				}
				i += n - 1
				continue
			}
		}
		l := &c.lines[i]
		at := where{"line", l.first}
		res := s.step(func() outcome {
			if l.err != nil {
				s.reportLineError(at, l.text, l.err, false)
				return lineFailed
			}
			return s.runArgs(l.args, at, false)
		})
		if res == lineQuit || res == lineStopped || (res == lineFailed && s.cfg.Bail) {
			return true
		}
	}
	return false
}

// chunk is the lines of one read, tokenized, on their way to be run.
type chunk struct {
	lines []parsedLine
	args  []string // the arguments of every line, back to back
}

// parsedLine is one logical line, tokenized.
type parsedLine struct {
	args  []string // within chunk.args
	err   error    // a syntax error or errLineTooLong
	text  string   // the line, when it has a syntax error
	first int      // number of its first physical line
}

var chunkPool = sync.Pool{New: func() any {
	return &chunk{lines: make([]parsedLine, 0, 512), args: make([]string, 0, 2048)}
}}

// newChunk takes an empty chunk from the pool.
func newChunk() *chunk {
	c := chunkPool.Get().(*chunk)
	c.reset()
	return c
}

func (c *chunk) reset() {
	clear(c.args) // let go of the blocks the last lines were in
	c.lines, c.args = c.lines[:0], c.args[:0]
}

// parse tokenizes every whole line read so far into c. Blank lines and
// comments are left out.
func (in *input) parse(c *chunk) {
	for {
		line, first, err, ok := in.next()
		if !ok {
			return
		}
		l := parsedLine{first: first, err: err}
		if err == nil {
			start := len(c.args)
			c.args, l.err = appendTokens(c.args, line)
			l.args = c.args[start:len(c.args):len(c.args)]
			if l.err != nil {
				l.text = line
			}
		}
		if l.err != nil || len(l.args) > 0 {
			c.lines = append(c.lines, l)
		}
	}
}
