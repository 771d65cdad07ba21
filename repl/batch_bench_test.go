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
		sh := repl.New(repl.Config{Engine: engine.New(), Out: io.Discard, Err: io.Discard, Format: render.Raw})
		if err := sh.RunBatch(bytes.NewReader(script)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
