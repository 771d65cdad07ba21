package repl_test

import (
	"strings"
	"testing"

	"skysh/repl"
)

// BenchmarkTokenize measures the lines a batch insert is made of: a quoted
// value (the quote-aware path) and a bare one (the fast path).
func BenchmarkTokenize(b *testing.B) {
	lines := []struct{ name, line string }{
		{"quoted", `SET key:000000001 "some value with spaces"`},
		{"bare", `SET key:000000001 0123456789abcdef0123456789abcdef`},
		{"escaped", `SET key:000000001 "tab\there\x00\xff and \"quotes\""`},
		{"bare-1KiB", `SET key:000000001 ` + strings.Repeat("0123456789abcdef", 64)},
		{"quoted-1KiB", `SET key:000000001 "` + strings.Repeat("0123456789 bcdef", 64) + `"`},
	}
	for _, l := range lines {
		b.Run(l.name, func(b *testing.B) {
			b.SetBytes(int64(len(l.line)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := repl.Tokenize(l.line); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
