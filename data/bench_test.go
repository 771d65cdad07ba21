package data_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"skysh/data"
)

// The store of the performance targets in DESIGN.md: 1M keys of 13 bytes
// ("key:000000000") with 32-byte values.
const benchEntries = 1_000_000

func benchStore() []kv {
	entries := make([]kv, benchEntries)
	value := strings.Repeat("v", 32)
	for i := range entries {
		entries[i] = kv{fmt.Sprintf("key:%09d", i), value}
	}
	return entries
}

// benchFile is benchStore encoded. It is kept between benchmarks, the store
// is not: its million pointers would make every garbage collection during a
// decode benchmark slower.
var benchFile = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	e, _ := data.NewEncoder(&buf, benchEntries)
	for _, x := range benchStore() {
		e.Add(x.k, x.v)
	}
	e.Close()
	return buf.Bytes()
})

func BenchmarkEncode(b *testing.B) {
	entries, file := benchStore(), benchFile()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		e, _ := data.NewEncoder(io.Discard, uint64(len(entries)))
		for _, x := range entries {
			e.Add(x.k, x.v)
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	file := benchFile()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := data.Decode(bytes.NewReader(file), func(uint64) {}, func(k, v string) error {
			n++
			return nil
		})
		if err != nil || n != benchEntries {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkDecodeIntoMap adds what a caller pays to keep the entries, for
// comparison with BenchmarkDecode.
func BenchmarkDecodeIntoMap(b *testing.B) {
	file := benchFile()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]string
		err := data.Decode(bytes.NewReader(file), func(n uint64) {
			m = make(map[string]string, n)
		}, func(k, v string) error {
			m[k] = v
			return nil
		})
		if err != nil || len(m) != benchEntries {
			b.Fatal(len(m), err)
		}
	}
}
