package skyproc_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skysh/bench/internal/skyproc"
)

// echoProc starts, in place of skysh, a script that writes back every line
// it reads: what it is sent is what comes back as answers.
func echoProc(t *testing.T) *skyproc.Proc {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "echo")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexec cat\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := skyproc.Start(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(time.Minute) })
	return p
}

func TestSkipUntilCountsLinesBeforeTheMarker(t *testing.T) {
	p := echoProc(t)
	// Longer than the reader's 64 KiB buffer, and ending as the marker
	// does, right after a full buffer: one answer, not the marker.
	long := strings.Repeat("x", 3<<16) + `"HEY!"`
	script := "a\n" + long + "\n\"HEY\"\nb\n\"HEY!\"\nafter\n"
	sent := make(chan error, 1)
	go func() { sent <- p.Send(strings.NewReader(script)) }()
	n, err := p.SkipUntil(`"HEY!"`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n, 4; got != want {
		t.Errorf("SkipUntil = %d lines before the marker, want %d", got, want)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if got, err := p.Answer(); err != nil || got != "after" {
		t.Errorf("next answer = %q (%v), want %q", got, err, "after")
	}
}
