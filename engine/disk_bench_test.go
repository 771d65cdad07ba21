package engine_test

import (
	"fmt"
	"testing"

	"skysh/engine"
)

// BenchmarkLoad1M opens a data directory holding 1M keys of 13 bytes with
// 32-byte values: skysh's start-up with a full store.
func BenchmarkLoad1M(b *testing.B) { benchLoad(b, benchKeys, benchValue) }

// BenchmarkSave1M saves a store of 1M keys to data.bin: encoding, writing,
// fsync and rename.
func BenchmarkSave1M(b *testing.B) {
	e, err := engine.Open(b.TempDir(), engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close(nil)
	fill1M(e)
	for b.Loop() {
		e.Exec([]string{"USET", "dirty", "1"})
		if _, err := e.Save(); err != nil {
			b.Fatal(err)
		}
	}
}

// fill1M writes 1M keys of 13 bytes with 32-byte values, a USET of a
// thousand pairs at a time.
func fill1M(e *engine.Engine) {
	args := []string{"USET"}
	for i := range 1_000_000 {
		args = append(args, fmt.Sprintf("key:%09d", i), fmt.Sprintf("%032x", i*7919))
		if len(args) > 2000 {
			e.Exec(args)
			args = args[:1]
		}
	}
	e.Exec(args)
}
