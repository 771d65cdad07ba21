package repl_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"skysh/repl"
)

// FuzzTokenize checks, for any input line:
//   - Tokenize never panics, and fails only with a *SyntaxError whose column
//     lies on the line; it always fails on a NUL byte or invalid UTF-8
//     outside a comment.
//   - What it accepts round-trips: Tokenize(Join(args)) == args.
//   - Appending ` ""` (which forces the quote-aware path) appends one empty
//     argument and changes nothing else, so the fast path for plain lines
//     agrees with the full tokenizer.
//   - Quote is binary-safe: Tokenize(Quote(line)) == []string{line}, and
//     Quote's output is printable ASCII.
//   - Continues removes exactly one trailing backslash when it says so.
//
// The seed corpus in testdata/fuzz/FuzzTokenize covers each rule.
func FuzzTokenize(f *testing.F) {
	f.Fuzz(func(t *testing.T, line string) {
		args, err := repl.Tokenize(line)
		checkError(t, line, err)
		if err == nil {
			checkRoundTrip(t, line, args)
			checkSlowPath(t, line, args)
		}
		checkQuote(t, line)
		checkContinues(t, line)
	})
}

func checkError(t *testing.T, line string, err error) {
	t.Helper()
	if err == nil {
		if strings.HasPrefix(strings.TrimLeft(line, " \t\r\v\f\n"), "#") {
			return // a comment is ignored whatever bytes it holds
		}
		if strings.IndexByte(line, 0) >= 0 || !utf8.ValidString(line) {
			t.Fatalf("Tokenize(%q) accepted a NUL byte or invalid UTF-8", line)
		}
		return
	}
	var se *repl.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Tokenize(%q) error %T %v, want *repl.SyntaxError", line, err, err)
	}
	if n := utf8.RuneCountInString(line); se.Column < 1 || se.Column > n {
		t.Fatalf("Tokenize(%q) error column %d outside 1..%d: %v", line, se.Column, n, err)
	}
}

func checkRoundTrip(t *testing.T, line string, args []string) {
	t.Helper()
	joined := repl.Join(args)
	back, err := repl.Tokenize(joined)
	if err != nil {
		t.Fatalf("Tokenize(%q)=%q; Tokenize(Join)=Tokenize(%q) error %v", line, args, joined, err)
	}
	if len(back) != len(args) || (len(args) > 0 && !reflect.DeepEqual(back, args)) {
		t.Fatalf("Tokenize(%q)=%q; Tokenize(Join)=Tokenize(%q)=%q", line, args, joined, back)
	}
}

func checkSlowPath(t *testing.T, line string, args []string) {
	t.Helper()
	if args == nil {
		return // blank or comment: appending would change that
	}
	got, err := repl.Tokenize(line + ` ""`)
	want := append(append([]string(nil), args...), "")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokenize(%q)=%q but Tokenize(%q)=%q, %v", line, args, line+` ""`, got, err)
	}
}

func checkQuote(t *testing.T, s string) {
	t.Helper()
	q := repl.Quote(s)
	for i := 0; i < len(q); i++ {
		if q[i] < ' ' || q[i] > '~' {
			t.Fatalf("Quote(%q)=%q has a byte outside printable ASCII", s, q)
		}
	}
	back, err := repl.Tokenize(q)
	if err != nil || len(back) != 1 || back[0] != s {
		t.Fatalf("Tokenize(Quote(%q))=Tokenize(%s)=%q, %v", s, q, back, err)
	}
	if _, more := repl.Continues(q); more {
		t.Fatalf("Quote(%q)=%s reads as a continuation", s, q)
	}
}

func checkContinues(t *testing.T, line string) {
	t.Helper()
	body, more := repl.Continues(line)
	switch {
	case more && body+`\` != line:
		t.Fatalf("Continues(%q)=%q, true: not the line minus its last backslash", line, body)
	case !more && body != line:
		t.Fatalf("Continues(%q)=%q, false: changed the line", line, body)
	}
}
