package repl

import (
	"strings"
	"testing"
)

// TestWordSearchesFindEveryByte puts each byte value at each position of a
// line of ordinary bytes, with another byte after it, and checks that the
// eight-at-a-time searches stop exactly where byte-by-byte ones do.
func TestWordSearchesFindEveryByte(t *testing.T) {
	for _, search := range []struct {
		name string
		fast func(string, int) int
		stop func(byte) bool
	}{
		{"nextSpecial", nextSpecial, func(c byte) bool { return c <= ' ' || c == '"' || c == '\'' || c >= 0x80 }},
		{"quoteOrBackslash", quoteOrBackslash, func(c byte) bool { return c == '"' || c == '\\' }},
	} {
		checkWordSearch(t, search.name, search.fast, search.stop)
	}
}

func checkWordSearch(t *testing.T, name string, fast func(string, int) int, stop func(byte) bool) {
	slow := func(line string, i int) int {
		for ; i < len(line); i++ {
			if stop(line[i]) {
				return i
			}
		}
		return len(line)
	}
	base := strings.Repeat("a", 24)
	for c := range 256 {
		for pos := range len(base) {
			for _, after := range []byte{'a', 0, ' ', '"', '\\', 0xff} {
				b := []byte(base)
				b[pos] = byte(c)
				if pos+1 < len(b) {
					b[pos+1] = after
				}
				line := string(b)
				for from := range 3 {
					if got, want := fast(line, from), slow(line, from); got != want {
						t.Fatalf("%s(%q, %d) = %d, want %d", name, line, from, got, want)
					}
				}
			}
		}
	}
}
