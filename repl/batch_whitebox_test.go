package repl

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestInputBoundsLogicalLines lowers the line limit to a few bytes and
// checks that it bounds the joined logical line, not only each physical
// line: two halves under the limit once made a line of twice the limit. A
// line over the limit is skipped to its logical end, so no part of it runs
// as a line of its own, and the lines after it are read as usual.
func TestInputBoundsLogicalLines(t *testing.T) {
	type got struct {
		line  string
		first int
		long  bool // an error: too long, or no next line
	}
	long := strings.Repeat("x", 40) // read one byte at a time: skipped in pieces
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
		{"a continuation at the end of input has no next line", "ok\nab \\",
			[]got{{"ok", 1, false}, {"", 2, true}}},
		{"a byte-order mark at the start is skipped", "\xef\xbb\xbfok\r\nb\n",
			[]got{{"ok", 1, false}, {"b", 2, false}}},
		{"a byte-order mark later is not", "ok\n\xef\xbb\xbfb\n",
			[]got{{"ok", 1, false}, {"\xef\xbb\xbfb", 2, false}}},
		{"half a byte-order mark is a line", "\xef\xbb",
			[]got{{"\xef\xbb", 1, false}}},
		{"a short first line is not held back", "a\n",
			[]got{{"a", 1, false}}},
		{"a long middle piece", "a\\\n" + long + "\\\nb\nok\n",
			[]got{{"", 1, true}, {"ok", 4, false}}},
	} {
		for _, reads := range []string{"whole", "bytewise"} {
			t.Run(tc.name+"/"+reads, func(t *testing.T) {
				in := newInput(strings.NewReader(tc.in))
				if reads == "bytewise" {
					in = newInput(iotest.OneByteReader(strings.NewReader(tc.in)))
				}
				in.max = 8
				var all []got
				for !in.done() {
					in.read()
					for {
						line, first, err, ok := in.next()
						if !ok {
							break
						}
						all = append(all, got{line, first, err != nil})
					}
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
}

// TestInputLinesStayPut reads a script of several blocks, with a line longer
// than a block and continuations, in reads of every size, and checks every
// line only at the end: the lines are views of the blocks, not copies, so
// this fails if a later read ever wrote over bytes a line still shows.
func TestInputLinesStayPut(t *testing.T) {
	var script strings.Builder
	var want []string
	for i := 0; script.Len() < 3*blockSize; i++ {
		switch {
		case i == 100:
			long := strings.Repeat("v", blockSize+blockSize/2)
			script.WriteString("SET long " + long + "\r\n")
			want = append(want, "SET long "+long)
		case i%7 == 3:
			script.WriteString("SET joined \\\n" + strings.Repeat("j", i%50) + "\n")
			want = append(want, "SET joined "+strings.Repeat("j", i%50))
		default:
			line := "SET key:" + strings.Repeat("k", i%97) + " value"
			script.WriteString(line + "\n")
			want = append(want, line)
		}
	}
	for _, name := range []string{"whole", "half", "bytewise"} {
		t.Run(name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(script.String())
			switch name {
			case "half":
				r = iotest.HalfReader(r)
			case "bytewise":
				r = iotest.OneByteReader(r)
			}
			in := newInput(r)
			var got []string
			for !in.done() {
				in.read()
				for {
					line, _, err, ok := in.next()
					if !ok {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, line)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("read %d lines, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("line %d reads %.40q…, want %.40q…", i+1, got[i], want[i])
				}
			}
		})
	}
}
