package repl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// maxLineBytes bounds one logical line so that a runaway input (a binary file
// with no newline) is an error, not an unbounded allocation.
const maxLineBytes = 256 << 20

// inBufferSize is the read buffer of the batch loop.
const inBufferSize = 256 << 10

// errLineTooLong reports a line over maxLineBytes; the rest of it is skipped.
var errLineTooLong = fmt.Errorf("line is longer than %d MiB; skipped", maxLineBytes>>20)

// RunBatch runs every query read from in, one per line, until end of input,
// `exit` or `quit`, or with Bail the first failed line. It returns an error
// only when in cannot be read.
//
// Reading and tokenizing run on a goroutine of their own, a chunk of lines
// ahead of the goroutine that runs the queries: a bulk load uses two cores.
// A chunk ends early when no more input is buffered, and its answers are
// flushed once it has run, so that a program driving skysh through pipes
// gets each answer before it sends the next query.
func (s *Shell) RunBatch(in io.Reader) error {
	chunks := make(chan *chunk, 2)
	done := make(chan struct{})
	defer close(done)
	go readChunks(newLineReader(in), chunks, done)
	defer s.flush()
	for c := range chunks {
		for i := range c.lines {
			l := &c.lines[i]
			at := where{"line", l.first}
			res := s.step(func() outcome {
				if l.err != nil {
					s.reportError(at, l.err.Error(), false)
					return lineFailed
				}
				return s.runArgs(l.args, at, false)
			})
			if res == lineQuit || res == lineStopped || (res == lineFailed && s.cfg.Bail) {
				return nil
			}
		}
		if c.flush {
			s.flush()
		}
		if c.err != nil {
			return fmt.Errorf("cannot read input: %w", c.err)
		}
		chunkPool.Put(c)
	}
	return nil
}

// chunkLines is how many lines the reader hands over at a time.
const chunkLines = 512

// chunk is a run of lines read and tokenized, on its way to be run.
type chunk struct {
	lines []parsedLine
	args  []string // the arguments of every line, back to back
	flush bool     // no more input was buffered after these lines
	err   error    // reading failed after these lines
}

// parsedLine is one logical line, tokenized.
type parsedLine struct {
	args  []string // within chunk.args
	err   error    // a syntax error or errLineTooLong
	first int      // number of its first physical line
}

var chunkPool = sync.Pool{New: func() any {
	return &chunk{lines: make([]parsedLine, 0, chunkLines), args: make([]string, 0, 4*chunkLines)}
}}

// readChunks reads and tokenizes lines into chunks until the input ends, it
// fails, or done is closed. It closes out when it stops.
//
// A chunk is handed over when it is full, and also whenever the next read
// may block (nothing is buffered), even in the middle of a continued line:
// the queries before it are answered while skysh waits.
func readChunks(lr *lineReader, out chan<- *chunk, done <-chan struct{}) {
	defer close(out)
	c := newChunk()
	stopped := false
	ship := func(flush bool) {
		if stopped {
			return
		}
		c.flush = flush
		select {
		case out <- c:
			c = newChunk()
		case <-done:
			stopped = true
		}
	}
	lr.beforeWait = func() {
		if len(c.lines) > 0 {
			ship(true)
		}
	}
	for !stopped {
		line, first, err := lr.next()
		if errors.Is(err, io.EOF) {
			ship(true)
			return
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			c.err = err
			ship(true)
			return
		}
		l := parsedLine{first: first, err: err}
		if err == nil {
			start := len(c.args)
			c.args, l.err = appendTokens(c.args, line)
			l.args = c.args[start:len(c.args):len(c.args)]
		}
		if l.err != nil || len(l.args) > 0 {
			c.lines = append(c.lines, l)
		}
		if len(c.lines) == chunkLines {
			ship(false)
		}
	}
}

// newChunk takes an empty chunk from the pool.
func newChunk() *chunk {
	c := chunkPool.Get().(*chunk)
	c.lines, c.args, c.flush, c.err = c.lines[:0], c.args[:0], false, nil
	return c
}

// lineReader reads logical lines: any length up to max bytes (the joined
// line, continuations included), a trailing CR dropped, and lines ending in
// a lone backslash joined with the next.
type lineReader struct {
	r   *bufio.Reader
	max int // maxLineBytes; tests lower it
	n   int // physical lines read so far
	// beforeWait, if set, is called when the next read may block.
	beforeWait func()
	// skippedMore says whether the physical line physical last skipped as
	// too long ended in a continuation.
	skippedMore bool
}

func newLineReader(in io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(in, inBufferSize), max: maxLineBytes}
}

// next returns the next logical line and the number of its first physical
// line, or io.EOF when the input has ended. A continuation at the very end of
// the input is run as it stands. A logical line over max bytes is read to its
// end, continuations included, and reported as errLineTooLong, so that no
// part of it runs and memory stays bounded by max.
func (lr *lineReader) next() (line string, first int, err error) {
	first = lr.n + 1
	var joined []byte
	started, tooLong := false, false
	for {
		phys, err := lr.physical()
		switch {
		case errors.Is(err, errLineTooLong):
			if !lr.skippedMore {
				return "", first, errLineTooLong
			}
			started, tooLong, joined = true, true, nil
			continue
		case errors.Is(err, io.EOF) && tooLong:
			return "", first, errLineTooLong
		case errors.Is(err, io.EOF) && started:
			return string(joined), first, nil
		case err != nil:
			return "", first, err
		}
		body, more := Continues(phys)
		if !tooLong && len(joined)+len(body) > lr.max {
			tooLong, joined = true, nil
		}
		if !more {
			switch {
			case tooLong:
				return "", first, errLineTooLong
			case !started:
				return phys, first, nil
			}
			return string(append(joined, phys...)), first, nil
		}
		started = true
		if !tooLong {
			joined = append(joined, body...)
		}
	}
}

// physical reads one line without its line ending. A line over max bytes is
// skipped to its end and reported as errLineTooLong.
func (lr *lineReader) physical() (string, error) {
	var long []byte // a line longer than the read buffer, gathered
	for {
		if lr.r.Buffered() == 0 && lr.beforeWait != nil {
			lr.beforeWait()
		}
		chunk, err := lr.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(chunk) > lr.max {
				lr.n++
				lr.skippedMore = lr.skipLine(chunk)
				return "", errLineTooLong
			}
			long = append(long, chunk...)
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if errors.Is(err, io.EOF) && len(chunk) == 0 && long == nil {
			return "", io.EOF
		}
		lr.n++
		if long != nil {
			chunk = append(long, chunk...)
		}
		line := trimEOL(chunk)
		if len(line) > lr.max {
			_, lr.skippedMore = Continues(line)
			return "", errLineTooLong
		}
		return line, nil
	}
}

// skipLine discards input up to and including the next newline, after tail,
// the part of the line already read, and reports whether the line ended in
// a continuation (an odd number of backslashes).
func (lr *lineReader) skipLine(tail []byte) bool {
	n := trailingBackslashes(tail, 0)
	for {
		chunk, err := lr.r.ReadSlice('\n')
		body := bytes.TrimSuffix(bytes.TrimSuffix(chunk, []byte("\n")), []byte("\r"))
		n = trailingBackslashes(body, n)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return n%2 == 1
		}
	}
}

// trailingBackslashes counts the backslashes at the end of a line read in
// pieces: b is the next piece, before the count up to it.
func trailingBackslashes(b []byte, before int) int {
	i := len(b)
	for i > 0 && b[i-1] == '\\' {
		i--
	}
	if i == 0 {
		return before + len(b)
	}
	return len(b) - i
}

// trimEOL drops a trailing LF or CRLF and copies the bytes into a string.
func trimEOL(b []byte) string {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b)
}
