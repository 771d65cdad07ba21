package repl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"
)

// maxLineBytes bounds one logical line so that a runaway input (a binary file
// with no newline) is an error, not an unbounded allocation.
const maxLineBytes = 256 << 20

// blockSize is how much input one block holds. Reads go into the free end of
// the current block until fewer than minRead bytes are left.
const (
	blockSize = 256 << 10
	minRead   = 4 << 10
)

// errLineTooLong reports a line over maxLineBytes; the rest of it is skipped.
var errLineTooLong = fmt.Errorf("line is longer than %d MiB; skipped", maxLineBytes>>20)

// errNoNextLine reports a continuation at the very end of the input: the
// line it promised never came, so the query may be cut short, and it is
// not run.
var errNoNextLine = errors.New(`continued line has no next line: the input ends after a \ at the end of a line; remove the \ or add the line it continues`)

// byteOrderMark is UTF-8's, which some editors put at the start of a file.
const byteOrderMark = "\xef\xbb\xbf"

// input splits a script into logical lines: any length up to max bytes (the
// joined line, continuations included), a trailing CR dropped, and lines
// ending in a lone backslash joined with the next.
//
// The lines it returns are not copies: they are strings over the block the
// bytes were read into. That is safe because a block is only ever written
// once, front to back: a read goes into the free space after every byte read
// before, and when the space runs out the unfinished line is copied into a
// new block and the old one is left to the strings that point into it. So a
// bulk load costs no copy per line, and the garbage collector one object per
// block, not one per line.
type input struct {
	r   io.Reader
	max int // maxLineBytes; tests lower it

	block      []byte
	start, end int // block[start:end] is read and not yet handed out
	scanned    int // block[start:scanned] holds no newline

	n     int   // physical lines handed out or skipped
	bytes int64 // bytes read so far
	eof   bool  // the reader said io.EOF
	err   error // the reader failed; reported once the lines before it are out
	short bool  // the last read did not fill the space it was given

	// The logical line being gathered, when its first physical lines ended
	// in a continuation: the joined bodies so far, the number of its first
	// physical line, and whether it is over max (then it is skipped to its
	// end, and skippedSlashes counts the backslashes that ended the part
	// of the current physical line already dropped).
	joined         []byte
	continued      bool
	first          int
	tooLong        bool
	skippedSlashes int

	started bool // the start of the input was checked for a byte-order mark
}

func newInput(r io.Reader) *input {
	return &input{r: r, max: maxLineBytes}
}

// read reads once from the reader, into the current block or a new one,
// blocking until some input comes, the input ends, or it fails.
func (in *input) read() {
	if in.eof || in.err != nil {
		return
	}
	if len(in.block)-in.end < minRead {
		in.newBlock()
	}
	n, err := in.r.Read(in.block[in.end:])
	in.short = in.end+n < len(in.block)
	in.end += n
	in.bytes += int64(n)
	switch {
	case errors.Is(err, io.EOF):
		in.eof = true
	case err != nil:
		in.err = err
	}
}

// newBlock moves the unfinished line into a new block with room to read.
func (in *input) newBlock() {
	rest := in.block[in.start:in.end]
	size := blockSize
	for size-len(rest) < minRead {
		size *= 2
	}
	b := make([]byte, size)
	copy(b, rest)
	in.block, in.scanned, in.start, in.end = b, in.scanned-in.start, 0, len(rest)
}

// next returns the next logical line already read, and the number of its
// first physical line. ok is false when no whole line is left: more must be
// read first, or the input is over (done says which). A logical line over
// max is returned as errLineTooLong, once its end has been read; none of it
// runs. So is a continuation at the very end of the input, as errNoNextLine.
func (in *input) next() (line string, first int, err error, ok bool) {
	if !in.started && !in.skipByteOrderMark() {
		return "", 0, nil, false
	}
	for {
		if !in.continued {
			in.first = in.n + 1
		}
		i := bytes.IndexByte(in.block[in.scanned:in.end], '\n')
		if i < 0 {
			in.scanned = in.end
			if !in.eof {
				in.dropIfTooLong()
				return "", 0, nil, false
			}
			if in.start == in.end && !in.continued {
				return "", 0, nil, false
			}
			// The last line of the input has no newline.
			i = in.end - in.scanned
		}
		nl := in.scanned + i
		phys := in.block[in.start:nl]
		in.start = min(nl+1, in.end)
		in.scanned = in.start
		in.n++
		if n := len(phys); n > 0 && phys[n-1] == '\r' {
			phys = phys[:n-1]
		}
		body, more := continues(phys, in.skippedSlashes)
		in.skippedSlashes = 0
		if !in.tooLong && len(in.joined)+len(body) > in.max {
			in.tooLong, in.joined = true, nil
		}
		last := in.eof && nl == in.end // a continuation there has no next line
		if more && !last {
			in.continued = true
			if !in.tooLong {
				in.joined = append(in.joined, body...)
			}
			continue
		}
		first = in.first
		switch {
		case in.tooLong:
			err = errLineTooLong
		case more:
			err = errNoNextLine
		case in.continued:
			line = string(append(in.joined, body...))
		default:
			line = bytesString(body)
		}
		in.joined, in.continued, in.tooLong = in.joined[:0], false, false
		return line, first, err, true
	}
}

// skipByteOrderMark drops a byte-order mark at the start of the input. It
// reports false while the bytes read so far could still be the start of
// one, so more must be read first.
func (in *input) skipByteOrderMark() bool {
	head := in.block[in.start:in.end]
	if len(head) < len(byteOrderMark) && strings.HasPrefix(byteOrderMark, string(head)) && !in.eof && in.err == nil {
		return false
	}
	if bytes.HasPrefix(head, []byte(byteOrderMark)) {
		in.start += len(byteOrderMark)
		in.scanned = max(in.scanned, in.start)
	}
	in.started = true
	return true
}

// dropIfTooLong drops the part of an unfinished physical line read so far
// once the logical line is surely over max, so that memory stays bounded by
// max. The last byte is kept: it may be the CR of a CRLF.
func (in *input) dropIfTooLong() {
	pending := in.end - in.start
	if !in.tooLong && len(in.joined)+pending-2 > in.max {
		in.tooLong, in.joined = true, nil
	}
	if in.tooLong && pending > 1 {
		in.skippedSlashes = trailingBackslashes(in.block[in.start:in.end-1], in.skippedSlashes)
		in.start = in.end - 1
	}
}

// done reports whether every line has been handed out and nothing more will
// come: the input ended or failed.
func (in *input) done() bool {
	return in.err != nil || (in.eof && in.start == in.end && !in.continued)
}

// filled reports whether the last read filled the space it was given, so
// that more input is likely waiting: a read from a pipe or a terminal takes
// all there is. It costs no system call, unlike queued.
func (in *input) filled() bool {
	return !in.short && !in.eof && in.err == nil
}

// queued reports whether more input can be read without waiting. Where
// the system cannot tell, a read that filled its space is taken to mean
// that more is waiting.
func (in *input) queued() bool {
	if in.eof || in.err != nil {
		return false
	}
	if n, ok := readable(in.r); ok {
		return n > 0
	}
	return !in.short
}

// continues is Continues for a physical line whose dropped beginning ended
// in before backslashes (a line too long to keep whole).
func continues(phys []byte, before int) ([]byte, bool) {
	if trailingBackslashes(phys, before)%2 == 1 {
		if len(phys) == 0 {
			return phys, true // the backslash was in the dropped part
		}
		return phys[:len(phys)-1], true
	}
	return phys, false
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

// bytesString views b as a string without copying. Only for bytes that are
// never written again: input's blocks.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
