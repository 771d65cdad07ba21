package repl_test

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"skysh/engine"
	"skysh/render"
	"skysh/repl"
)

// fullDisk is an injected writer that fails with ENOSPC while full is set,
// as write(2) does on a full file system.
type fullDisk struct{ full atomic.Bool }

func (d *fullDisk) wrap(w io.Writer) io.Writer { return diskWriter{w, &d.full} }

type diskWriter struct {
	w    io.Writer
	full *atomic.Bool
}

func (w diskWriter) Write(p []byte) (int, error) {
	if w.full.Load() {
		return 0, syscall.ENOSPC
	}
	return w.w.Write(p)
}

// lockedBuffer is written by the shell and read by the test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls cond until it holds, failing the test after a deadline far
// longer than any run needs.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestAnswersWaitForDurability: when the disk is full, neither the journal
// nor a save of data.bin can keep a write, so its answer must not be shown:
// the shell holds it, says why on stderr, and answers once the disk has
// room again and the write is on disk.
func TestAnswersWaitForDurability(t *testing.T) {
	t.Parallel()
	disk := &fullDisk{}
	e, err := engine.Open(t.TempDir(), engine.Options{WrapWriter: disk.wrap, WrapJournal: disk.wrap})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(nil)
	var out, errs lockedBuffer
	sh := repl.New(repl.Config{Store: e, Out: &out, Err: &errs, Format: render.Raw})
	in, feed := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- sh.RunBatch(in) }()

	disk.full.Store(true)
	io.WriteString(feed, "SET a 1\n")
	waitFor(t, "the store to be poisoned by the full disk", func() bool { _, p := e.Poisoned(); return p })
	waitFor(t, "the shell to say the answer is held", func() bool { return strings.Contains(errs.String(), "held") })
	if got := out.String(); got != "" {
		t.Fatalf("answered %q while the write could not be kept", got)
	}
	disk.full.Store(false)
	waitFor(t, "the answer once the disk has room", func() bool { return out.String() == "(Okay)\n" })
	io.WriteString(feed, "GET a\n")
	waitFor(t, "the next answer", func() bool { return out.String() == "(Okay)\n1\n" })
	feed.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs.String(), "no space left on device") {
		t.Errorf("stderr does not give the cause:\n%s", errs.String())
	}
}
