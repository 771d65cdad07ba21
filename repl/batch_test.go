package repl_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"skysh/engine"
	"skysh/render"
	"skysh/repl"
)

// setScript is n SET lines of 13-byte keys and 32-byte values: the bulk
// load a shell user pipes in.
func setScript(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "SET key:%09d %032x\n", i, i*7919)
	}
	return b.Bytes()
}

// BenchmarkBatchSet runs a script of 100k SETs through the batch loop into a
// fresh engine, answers rendered raw: the whole path of a piped insert but
// the disk.
func BenchmarkBatchSet(b *testing.B) {
	const lines = 100_000
	script := setScript(lines)
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		sh := repl.New(repl.Config{Store: engine.New(), Out: io.Discard, Err: io.Discard, Format: render.Raw})
		if err := sh.RunBatch(bytes.NewReader(script)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}

// countingWriter counts the write calls that reach it.
type countingWriter struct{ calls, bytes int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.calls++
	w.bytes += len(p)
	return len(p), nil
}

// TestBatchOutputIsBuffered: a script of 100k queries is answered in a few
// dozen write calls, not one per answer.
func TestBatchOutputIsBuffered(t *testing.T) {
	const lines = 100_000
	out := &countingWriter{}
	sh := repl.New(repl.Config{Store: engine.New(), Out: out, Err: io.Discard, Format: render.Raw})
	if err := sh.RunBatch(bytes.NewReader(setScript(lines))); err != nil {
		t.Fatal(err)
	}
	if want := lines * len("(Okay)\n"); out.bytes != want {
		t.Fatalf("wrote %d bytes, want %d", out.bytes, want)
	}
	if out.calls > 100 {
		t.Fatalf("%d answers took %d write calls; want them buffered into at most 100", lines, out.calls)
	}
	t.Logf("%d answers in %d write calls", lines, out.calls)
}

// TestBatchAllocatesPerBlockNotPerLine: the batch loop reads lines into
// blocks and tokenizes them in place, so a script of SETs costs no
// allocation per line on the way to the engine (what is left is the
// engine's own growth, a few per thousand keys).
func TestBatchAllocatesPerBlockNotPerLine(t *testing.T) {
	const lines = 100_000
	script := setScript(lines)
	allocs := testing.AllocsPerRun(1, func() {
		sh := repl.New(repl.Config{Store: engine.New(), Out: io.Discard, Err: io.Discard, Format: render.Raw})
		if err := sh.RunBatch(bytes.NewReader(script)); err != nil {
			t.Fatal(err)
		}
	})
	if perLine := allocs / lines; perLine > 0.5 {
		t.Fatalf("%.0f allocations for %d lines: %.2f a line, want well under one", allocs, lines, perLine)
	}
}
