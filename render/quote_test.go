package render_test

import (
	"bytes"
	"strconv"
	"testing"
	"unicode/utf8"

	"skysh/engine"
	"skysh/render"
)

// FuzzHumanString checks that the quoted form of any value is printable,
// valid UTF-8 on one line, and reads back as the same bytes. Its escapes are
// a subset of Go's, so strconv.Unquote stands in for the shell's tokenizer.
func FuzzHumanString(f *testing.F) {
	for _, s := range []string{"", "hello world", "a\nb\x00c\xff", `say "hi" \ there`, "\x1b[31m", "é 日本 \u00a0 \ufffd \u2028", "\xe6\x97"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		if err := render.New(&buf, render.Human, false).Response([]string{"GET", "k"}, engine.String(s)); err != nil {
			t.Fatal(err)
		}
		out, ok := bytes.CutSuffix(buf.Bytes(), []byte("\n"))
		if !ok || bytes.IndexByte(out, '\n') >= 0 {
			t.Fatalf("quoted form of %q is not one line: %q", s, buf.Bytes())
		}
		if !utf8.Valid(out) {
			t.Fatalf("quoted form of %q is not valid UTF-8: %q", s, out)
		}
		for _, r := range string(out) {
			if !strconv.IsPrint(r) {
				t.Fatalf("quoted form of %q holds non-printable %U: %q", s, r, out)
			}
		}
		back, err := strconv.Unquote(string(out))
		if err != nil {
			t.Fatalf("quoted form %s of %q does not unquote: %v", out, s, err)
		}
		if back != s {
			t.Fatalf("quoted form %s reads back as %q, want %q", out, back, s)
		}
	})
}
