package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
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
func (s *Shell) RunBatch(in io.Reader) error {
	lr := newLineReader(in)
	defer s.flush() // exit and quit return with answers still buffered
	for {
		if lr.buffered() == 0 {
			// The next read may block: flush first, so that a program driving
			// skysh through pipes gets each answer before it sends the next query.
			s.flush()
		}
		line, first, err := lr.next()
		at := where{"line", first}
		var res outcome
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, errLineTooLong):
			res = s.step(func() outcome {
				s.reportError(at, err.Error(), false)
				return lineFailed
			})
		case err != nil:
			return fmt.Errorf("cannot read input: %w", err)
		default:
			res = s.step(func() outcome { return s.runLine(line, at, false) })
		}
		if res == lineQuit || res == lineStopped || (res == lineFailed && s.cfg.Bail) {
			return nil
		}
	}
}

// lineReader reads logical lines: any length up to maxLineBytes, a trailing
// CR dropped, and lines ending in a lone backslash joined with the next.
type lineReader struct {
	r *bufio.Reader
	n int // physical lines read so far
}

func newLineReader(in io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(in, inBufferSize)}
}

func (lr *lineReader) buffered() int { return lr.r.Buffered() }

// next returns the next logical line and the number of its first physical
// line, or io.EOF when the input has ended. A continuation at the very end of
// the input is run as it stands.
func (lr *lineReader) next() (line string, first int, err error) {
	first = lr.n + 1
	var joined []byte
	for {
		phys, err := lr.physical()
		if errors.Is(err, io.EOF) && joined != nil {
			return string(joined), first, nil
		}
		if err != nil {
			return "", first, err
		}
		body, more := Continues(phys)
		if !more {
			if joined == nil {
				return phys, first, nil
			}
			return string(append(joined, phys...)), first, nil
		}
		if len(joined)+len(body) > maxLineBytes {
			return "", first, errLineTooLong
		}
		joined = append(joined, body...)
	}
}

// physical reads one line without its line ending.
func (lr *lineReader) physical() (string, error) {
	var long []byte // a line longer than the read buffer, gathered
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(chunk) > maxLineBytes {
				lr.n++
				lr.skipLine()
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
		return trimEOL(chunk), nil
	}
}

// skipLine discards input up to and including the next newline.
func (lr *lineReader) skipLine() {
	for {
		if _, err := lr.r.ReadSlice('\n'); !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
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
