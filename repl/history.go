package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// historyLimit is how many past entries are loaded at start.
const historyLimit = 1000

// history keeps the lines typed at the prompt across sessions, in a file only
// its owner can read: queries may hold secrets.
type history struct {
	path    string // "" disables history
	entries []string
}

// loadHistory reads the last historyLimit entries of path. A missing file is
// an empty history; an unreadable one is reported and history goes on in
// memory only.
func loadHistory(path string) (*history, error) {
	h := &history{path: path}
	if path == "" {
		return h, nil
	}
	f, err := openRegular(path, os.O_RDONLY)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		h.path = ""
		return h, fmt.Errorf("cannot read history %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxLineBytes)
	for sc.Scan() {
		if line := sc.Text(); strings.TrimSpace(line) != "" && typeable(line) {
			h.entries = append(h.entries, line)
		}
	}
	if len(h.entries) > historyLimit {
		h.entries = h.entries[len(h.entries)-historyLimit:]
	}
	return h, nil
}

// typeable reports whether line could have been typed at the prompt:
// UTF-8 without control characters, which are keys there. An entry that
// is not (a history file written by hand or by another program) is left
// out, as drawn on the line it would drive the terminal: move the cursor,
// change colours, erase the screen, and go-prompt's idea of where the
// line ends with it.
func typeable(line string) bool {
	if !utf8.ValidString(line) {
		return false
	}
	for _, r := range line {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// add records a line in memory and appends it to the file. When the file
// cannot be written, history goes on in memory only and the error is
// returned once.
func (h *history) add(line string) error {
	if strings.TrimSpace(line) == "" || (len(h.entries) > 0 && h.entries[len(h.entries)-1] == line) {
		return nil
	}
	h.entries = append(h.entries, line)
	if h.path == "" {
		return nil
	}
	if err := appendHistory(h.path, line); err != nil {
		path := h.path
		h.path = ""
		return fmt.Errorf("cannot write history %s: %w; history is kept in memory only", path, err)
	}
	return nil
}

func appendHistory(path, line string) error {
	f, err := openRegular(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE)
	if err != nil {
		return err
	}
	defer f.Close()
	// The file may predate us with a wider mode; history is private. Fchmod
	// on what was opened: the path itself may have changed since.
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	_, err = f.WriteString(line + "\n")
	return err
}
