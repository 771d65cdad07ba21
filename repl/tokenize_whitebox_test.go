package repl

import (
	"strings"
	"testing"
)

// TestNextSpecialFindsEveryByte puts each byte value at each position of a
// line of ordinary bytes, with another byte after it, and checks that the
// eight-at-a-time search stops exactly where a byte-by-byte one does.
func TestNextSpecialFindsEveryByte(t *testing.T) {
	slow := func(line string, i int) int {
		for ; i < len(line); i++ {
			if c := line[i]; c <= ' ' || c == '"' || c == '\'' || c >= 0x80 {
				return i
			}
		}
		return len(line)
	}
	base := strings.Repeat("a", 24)
	for c := range 256 {
		for pos := range len(base) {
			for _, after := range []byte{'a', 0, ' ', '"', 0xff} {
				b := []byte(base)
				b[pos] = byte(c)
				if pos+1 < len(b) {
					b[pos+1] = after
				}
				line := string(b)
				for from := range 3 {
					if got, want := nextSpecial(line, from), slow(line, from); got != want {
						t.Fatalf("nextSpecial(%q, %d) = %d, want %d", line, from, got, want)
					}
				}
			}
		}
	}
}
