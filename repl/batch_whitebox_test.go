package repl

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestLineReaderBoundsLogicalLines lowers the line limit to a few bytes and
// checks that it bounds the joined logical line, not only each physical
// line: two halves under the limit once made a line of twice the limit. A
// line over the limit is skipped to its logical end, so no part of it runs
// as a line of its own, and the lines after it are read as usual.
func TestLineReaderBoundsLogicalLines(t *testing.T) {
	type got struct {
		line  string
		first int
		long  bool
	}
	long := strings.Repeat("x", 40) // over the 16-byte read buffer: skipped in pieces
	for _, tc := range []struct {
		name, in string
		want     []got
	}{
		{"halves under the limit, joined over it", "aaaaa\\\nbbbbb\nSET ok 1\n",
			[]got{{"", 1, true}, {"SET ok 1", 3, false}}},
		{"three pieces over the limit", "aaa\\\nbbb\\\nccc\nok\n",
			[]got{{"", 1, true}, {"ok", 4, false}}},
		{"exactly the limit joined", "aaaa\\\r\nbbbb\r\nok\n",
			[]got{{"aaaabbbb", 1, false}, {"ok", 3, false}}},
		{"one byte over in the last piece", "aaaa\\\nbbbbb\nok\n",
			[]got{{"", 1, true}, {"ok", 3, false}}},
		{"a long physical line that continues", long + "\\\ntail\nok\n",
			[]got{{"", 1, true}, {"ok", 3, false}}},
		{"a long physical line ending in an escaped backslash", long + "\\\\\nnext\n",
			[]got{{"", 1, true}, {"next", 2, false}}},
		{"a long continuation at the end of input", "aaaaa\\\nbbbbb\\",
			[]got{{"", 1, true}}},
		{"a long middle piece", "a\\\n" + long + "\\\nb\nok\n",
			[]got{{"", 1, true}, {"ok", 4, false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lr := &lineReader{r: bufio.NewReaderSize(strings.NewReader(tc.in), 16), max: 8}
			var all []got
			for {
				line, first, err := lr.next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil && !errors.Is(err, errLineTooLong) {
					t.Fatal(err)
				}
				all = append(all, got{line, first, err != nil})
			}
			if len(all) != len(tc.want) {
				t.Fatalf("read %+v, want %+v", all, tc.want)
			}
			for i := range all {
				if all[i] != tc.want[i] {
					t.Fatalf("read %+v, want %+v", all, tc.want)
				}
			}
		})
	}
}
