package render

import (
	"bytes"
	"io"
)

// messageWriter escapes what is written through it line by line, keeping
// the line breaks.
type messageWriter struct{ w io.Writer }

// Messages returns a writer for diagnostics made of text that may hold
// user input (a path given with -d, a file name found on disk, a reason
// quoting either): each line is passed through Printable before it reaches
// w, so nothing a user or a file name holds can drive the terminal, while
// the messages keep their lines. Text already escaped is unchanged.
func Messages(w io.Writer) io.Writer { return messageWriter{w} }

func (m messageWriter) Write(p []byte) (int, error) {
	var out []byte
	for rest := p; len(rest) > 0; {
		line, after, found := bytes.Cut(rest, []byte{'\n'})
		out = append(out, Printable(string(line))...)
		if found {
			out = append(out, '\n')
		}
		rest = after
	}
	if _, err := m.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
