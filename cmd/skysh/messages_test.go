package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMessagesEscapeUserText: skysh's own messages quote what the command
// line gave (here a snapshot name holding a terminal escape that sets the
// window title): the escape reaches stderr escaped, never as control bytes.
func TestMessagesEscapeUserText(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	_, stderr, status := persistRun(t, "", "-d", dir, "--restore", "x\x1b]2;pwned\x07", "-e", "HEYA")
	if status != 1 {
		t.Fatalf("status %d, want 1; stderr %q", status, stderr)
	}
	if strings.ContainsAny(stderr, "\x1b\x07") || !strings.Contains(stderr, `x\x1b]2;pwned`) {
		t.Fatalf("stderr %q: want the escape shown escaped, and no control bytes", stderr)
	}
}
