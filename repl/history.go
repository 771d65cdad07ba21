package repl

import (
	"bufio"
	"fmt"
	"os"
	"strings"
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
	f, err := os.Open(path)
	if os.IsNotExist(err) {
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
		if line := sc.Text(); strings.TrimSpace(line) != "" {
			h.entries = append(h.entries, line)
		}
	}
	if len(h.entries) > historyLimit {
		h.entries = h.entries[len(h.entries)-historyLimit:]
	}
	return h, nil
}

// add records a line in memory and appends it to the file.
func (h *history) add(line string) error {
	if strings.TrimSpace(line) == "" || (len(h.entries) > 0 && h.entries[len(h.entries)-1] == line) {
		return nil
	}
	h.entries = append(h.entries, line)
	if h.path == "" {
		return nil
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write history %s: %w", h.path, err)
	}
	defer f.Close()
	// The file may predate us with a wider mode; history is private.
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("cannot write history %s: %w", h.path, err)
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		return fmt.Errorf("cannot write history %s: %w", h.path, err)
	}
	return nil
}
