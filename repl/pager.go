package repl

import (
	"os"
	"os/exec"
)

// defaultPager is the pager when $PAGER is unset: less, leaving at once when
// the answer fits the screen (-F), passing colour through (-R), and leaving
// the answer on the screen when it quits (-X).
const defaultPager = "less -FRX"

// pagerCommand is the pager the prompt uses: $PAGER, or defaultPager.
func pagerCommand() string {
	if p := os.Getenv("PAGER"); p != "" {
		return p
	}
	return defaultPager
}

// flushPaged is flush for the prompt: an answer longer than the screen goes
// through the pager, as psql's do, unless paging is off. If the pager cannot
// start, the answer is written as it would be without one.
func (s *Shell) flushPaged() { s.flushWith(s.writePaged) }

// writePaged writes b through the pager when it is on and b is longer than
// the screen, and as usual otherwise.
func (s *Shell) writePaged(b batch) {
	keys := s.keys.Load()
	if s.pager == "" || keys == nil || b.lines() < int(keys.winSize().Row)-1 || !s.page(b) {
		s.out.write(b)
	}
}

// page runs the pager on b and waits for it; false if it could not start.
func (s *Shell) page(b batch) bool {
	cmd := exec.Command("/bin/sh", "-c", s.pager)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return false
	}
	if err := cmd.Start(); err != nil {
		return false
	}
	// A pager that quits early (q in less) closes its end: the rest of the
	// answer is not wanted, and the write error says only that.
	s.out.writeTo(b, in)
	in.Close()
	cmd.Wait()
	return true
}
