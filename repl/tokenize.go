package repl

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// SyntaxError is returned by Tokenize when a line cannot be split into arguments.
type SyntaxError struct {
	// Column is where the problem is, 1-based and counted in runes (an invalid
	// UTF-8 byte counts as one), so a caret can be drawn under it. For an
	// unterminated quote it is the column of the opening quote.
	Column int
	// Msg says what is wrong, without the column, optionally followed by ": "
	// and a hint on how to fix it, so it can also be shown beside a caret.
	Msg string
}

// Error puts the column between what is wrong and the hint, e.g.
// `bad escape \q at column 12: inside double quotes …`.
func (e *SyntaxError) Error() string {
	what, hint, ok := strings.Cut(e.Msg, ": ")
	if !ok {
		return fmt.Sprintf("%s at column %d", e.Msg, e.Column)
	}
	return fmt.Sprintf("%s at column %d: %s", what, e.Column, hint)
}

// The hints of the error messages, shared so they read the same everywhere.
const (
	binaryHint = `write binary data as "\xHH" escapes inside double quotes`
	escapeHint = `inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`
)

// Tokenize splits one logical line (continuations already joined) into arguments.
// A blank line or a comment line (first non-blank char is '#') returns nil, nil.
//
// Whitespace (space, \t, \r, \v, \f, \n) separates arguments. "…" and '…' group
// and join adjacent text (a"b c" is `ab c`, "" is an empty argument). Inside
// double quotes \" \\ \n \t and \xHH are escapes and any other backslash is an
// error; single quotes are literal; outside quotes a backslash is ordinary.
//
// The line must be valid UTF-8 without NUL bytes, so that binary data is
// always written visibly as \xHH; a comment is ignored whatever it holds,
// since it never reaches the store. Raw binary is reported before
// any other error on the line: it is what the user must fix first, and it is
// often the cause of the rest. Errors are *SyntaxError.
//
// The arguments may share memory with line.
func Tokenize(line string) ([]string, error) {
	args, err := appendTokens(make([]string, 0, 4), line)
	if err != nil || len(args) == 0 {
		return nil, err
	}
	return args, nil
}

// appendTokens is Tokenize appending the arguments to dst, so that a loop
// over many lines can keep them in one slice: nothing downstream keeps the
// slice, only its strings. On error dst is returned as it was.
func appendTokens(dst []string, line string) ([]string, error) {
	if args, ok := splitPlain(dst, line); ok {
		return args, nil
	}
	if strings.IndexByte(line, 0) >= 0 || !utf8.ValidString(line) {
		return dst, firstBadRune(line)
	}
	return tokenizeQuoted(dst, line)
}

// Byte classes for splitPlain and tokenizeQuoted, looked up in a table
// because these loops run over every byte of every line of a bulk load. Only
// ASCII whitespace separates: Unicode spaces such as U+00A0 are ordinary
// characters, as they are easy to paste by accident and invisible.
const (
	space   uint8 = 1 << iota // separates arguments
	quote                     // needs the full tokenizer
	suspect                   // NUL or non-ASCII: the line must be validated
)

var classes = func() (t [256]uint8) {
	for _, c := range []byte(" \t\r\v\f\n") {
		t[c] = space
	}
	t['"'], t['\''], t[0] = quote, quote, suspect
	for c := utf8.RuneSelf; c < len(t); c++ {
		t[c] = suspect
	}
	return t
}()

// splitPlain is the one-pass path for the lines a bulk load is made of: no
// quotes and nothing but ASCII. It splits line into dst and reports true,
// or reports false, leaving dst as it was, at the first quote, NUL or
// non-ASCII byte, for the full path to take over. A comment line gives no
// arguments, whatever it holds.
func splitPlain(dst []string, line string) ([]string, bool) {
	args := dst
	start := -1
	for i := 0; i < len(line); {
		switch classes[line[i]] {
		case space:
			if start >= 0 {
				args = append(args, line[start:i])
				start = -1
			}
			i++
			continue
		case 0:
		default:
			return dst, false
		}
		if start < 0 {
			if len(args) == len(dst) && line[i] == '#' {
				return dst, true
			}
			start = i
		}
		i = nextSpecial(line, i+1)
	}
	if start >= 0 {
		args = append(args, line[start:])
	}
	return args, true
}

// nextSpecial returns the index of the first byte of line at or after i
// that may end a run of ordinary bytes or need a closer look: a byte up to
// 0x20 (whitespace, NUL and the other control characters), a quote, or a
// byte of 0x80 or more; len(line) if there is none. It looks at eight bytes
// at a time, as values are long runs of ordinary bytes.
func nextSpecial(line string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(line); i += 8 {
		w := word(line, i)
		dq, sq := w^(ones*'"'), w^(ones*'\'')
		// The lowest byte flagged is exact: a borrow only runs upwards.
		m := (w-ones*0x21)&^w | (dq-ones)&^dq | (sq-ones)&^sq | w
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(line); i++ {
		if c := line[i]; c <= ' ' || c == '"' || c == '\'' || c >= utf8.RuneSelf {
			return i
		}
	}
	return len(line)
}

// quoteOrBackslash returns the index of the first '"' or '\\' in line at
// or after i, or len(line). Like nextSpecial it looks at eight bytes at a
// time (strings.IndexAny costs more than it saves on short values).
func quoteOrBackslash(line string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(line); i += 8 {
		w := word(line, i)
		dq, bs := w^(ones*'"'), w^(ones*'\\')
		if m := ((dq-ones)&^dq | (bs-ones)&^bs) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(line); i++ {
		if line[i] == '"' || line[i] == '\\' {
			return i
		}
	}
	return len(line)
}

// word reads the eight bytes of line at i, little-endian.
func word(line string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(line[i:]), 8))
}

// tokenizeQuoted is the full tokenizer, for a clean line. It moves from one
// special character to the next rather than rune by rune: every special
// character is ASCII, and no byte of a multibyte UTF-8 rune is ASCII.
// Columns are only counted when there is an error to report.
func tokenizeQuoted(dst []string, line string) ([]string, error) {
	args := dst
	a := argument{line: line}
	for i := 0; i < len(line); {
		switch line[i] {
		case ' ', '\t', '\r', '\v', '\f', '\n':
			if a.started {
				args = append(args, a.take())
			}
			i++
		case '\'':
			n := strings.IndexByte(line[i+1:], '\'')
			if n < 0 {
				return dst, &SyntaxError{Column: column(line, i), Msg: `unterminated single quote: no closing ' after it`}
			}
			a.add(i+1, i+1+n)
			i += n + 2
		case '"':
			end, err := a.addDoubleQuoted(i)
			if err != nil {
				return dst, err
			}
			i = end
		default:
			j := i + 1
			for j < len(line) && classes[line[j]]&(space|quote) == 0 {
				j++
			}
			a.add(i, j)
			i = j
		}
	}
	if a.started {
		args = append(args, a.take())
	}
	return args, nil
}

// column returns the 1-based column, in runes, of line[i].
func column(line string, i int) int {
	return utf8.RuneCountInString(line[:i]) + 1
}

// argument accumulates one argument of line. While the argument is a single
// run of line (the usual case, even when quoted) it stays a substring and
// costs nothing; only joined parts and escapes copy bytes into buf, which is
// reused from one argument to the next.
type argument struct {
	line     string
	from, to int    // the substring, while !inBuf
	buf      []byte // the bytes, while inBuf
	inBuf    bool
	started  bool // an argument exists, even if empty ("")
}

// add appends line[from:to].
func (a *argument) add(from, to int) {
	a.started = true
	switch {
	case from == to:
	case a.inBuf:
		a.buf = append(a.buf, a.line[from:to]...)
	case a.from == a.to:
		a.from, a.to = from, to
	case a.to == from:
		a.to = to
	default:
		a.toBuf()
		a.buf = append(a.buf, a.line[from:to]...)
	}
}

// addByte appends a byte that is not in line (the value of an escape).
func (a *argument) addByte(b byte) {
	if !a.inBuf {
		a.toBuf()
	}
	a.buf = append(a.buf, b)
}

// toBuf switches from the substring to buf, which later parts extend.
func (a *argument) toBuf() {
	if a.buf == nil {
		a.buf = make([]byte, 0, len(a.line)) // an argument never outgrows its line
	}
	a.buf = append(a.buf[:0], a.line[a.from:a.to]...)
	a.inBuf = true
}

// take returns the argument and starts a new one.
func (a *argument) take() string {
	s := a.line[a.from:a.to]
	if a.inBuf {
		s = string(a.buf)
	}
	a.from, a.to, a.inBuf, a.started = 0, 0, false, false
	return s
}

// addDoubleQuoted appends the double-quoted part that opens at line[open],
// decoding its escapes, and returns the index just after its closing quote.
func (a *argument) addDoubleQuoted(open int) (int, error) {
	line := a.line
	a.started = true
	for i := open + 1; ; {
		j := quoteOrBackslash(line, i)
		if j == len(line) {
			return 0, &SyntaxError{Column: column(line, open), Msg: `unterminated double quote: no closing " after it`}
		}
		a.add(i, j)
		i = j
		if line[i] == '"' {
			return i + 1, nil
		}
		b, size, err := unescape(line, i)
		if err != nil {
			return 0, err
		}
		a.addByte(b)
		i += size
	}
}

// firstBadRune returns the error for the first NUL byte or invalid UTF-8 in
// line, which must have one. Raw binary in a line is almost always a mistake
// (a wrong encoding, a pasted file) and would be invisible in history and in
// error messages.
func firstBadRune(line string) error {
	for i, col := 0, 1; i < len(line); col++ {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case r == 0:
			return &SyntaxError{Column: col, Msg: `NUL byte: ` + binaryHint + ` ("\x00" is NUL)`}
		case r == utf8.RuneError && size == 1:
			return &SyntaxError{Column: col, Msg: fmt.Sprintf("invalid UTF-8 byte 0x%02x: %s", line[i], binaryHint)}
		}
		i += size
	}
	panic("repl: firstBadRune called on a clean line")
}

// unescape decodes the escape whose backslash is line[i] and returns its byte
// and its length in line.
func unescape(line string, i int) (byte, int, error) {
	if i+1 == len(line) {
		return 0, 0, &SyntaxError{Column: column(line, i), Msg: "bad escape: the line ends after the backslash; " + escapeHint}
	}
	switch line[i+1] {
	case '"', '\\':
		return line[i+1], 2, nil
	case 'n':
		return '\n', 2, nil
	case 't':
		return '\t', 2, nil
	case 'x':
		if i+3 < len(line) {
			hi, ok1 := unhex(line[i+2])
			lo, ok2 := unhex(line[i+3])
			if ok1 && ok2 {
				return hi<<4 | lo, 4, nil
			}
		}
		return 0, 0, &SyntaxError{Column: column(line, i), Msg: `bad escape \x: \x must be followed by exactly two hex digits, as in \x0a or \xFF`}
	}
	return 0, 0, &SyntaxError{Column: column(line, i), Msg: "bad escape " + showEscaped(line[i+1:]) + ": " + escapeHint}
}

// showEscaped shows the character after a bad backslash: as itself when it is
// visible, else in Go syntax so that a tab is not misread as spaces.
func showEscaped(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return `\` + string(r)
	}
	return "(backslash followed by " + strconv.QuoteRune(r) + ")"
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Continues reports whether a physical line ends in a lone backslash (a line
// continuation) and returns the line without that backslash. Backslashes pair
// up from the end, so "a \\" (two) does not continue while "a \\\" (three)
// does, as in a POSIX shell. Quotes are not considered: a backslash at the end
// continues inside quotes too, which lets a long quoted value span lines.
// The caller joins: body + next line (no separator, like a POSIX shell's
// backslash-newline).
func Continues(line string) (body string, more bool) {
	n := 0
	for n < len(line) && line[len(line)-1-n] == '\\' {
		n++
	}
	if n%2 == 1 {
		return line[:len(line)-1], true
	}
	return line, false
}

// Quote returns arg written as one token that Tokenize reads back as exactly
// arg, for any bytes at all. The output is printable ASCII only, so it is safe
// to print to any terminal and to paste back in, and it is inert in a POSIX
// shell: a dump fed to sh by mistake cannot run anything. It is bare when
// that is safe in both (non-empty, only letters, digits and _ - . / : @ % + , =),
// otherwise double-quoted with \" \\ \n \t, and \xHH for every other byte
// outside printable ASCII (also the bytes of valid UTF-8: one simple rule
// that is always visible) and for $ ` and !, which a shell expands even
// inside double quotes.
func Quote(arg string) string {
	if isBare(arg) {
		return arg
	}
	var b strings.Builder
	b.Grow(len(arg) + 2)
	appendQuoted(&b, arg)
	return b.String()
}

// Join quotes each arg and joins them with single spaces, so that
// Tokenize(Join(args)) returns args.
func Join(args []string) string {
	var b strings.Builder
	for i, arg := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if isBare(arg) {
			b.WriteString(arg)
		} else {
			appendQuoted(&b, arg)
		}
	}
	return b.String()
}

// isBare reports whether arg reads back as itself without quotes, in skysh
// and in a POSIX shell alike.
func isBare(arg string) bool {
	if arg == "" {
		return false
	}
	for i := 0; i < len(arg); i++ {
		if !bareByte[arg[i]] {
			return false
		}
	}
	return true
}

// bareByte marks the bytes that mean themselves unquoted to skysh and to a
// POSIX shell.
var bareByte = func() (t [256]bool) {
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:@%+,=") {
		t[c] = true
	}
	return t
}()

// appendQuoted writes arg double-quoted, escaping all but printable ASCII,
// and $ ` ! as \xHH so that a shell cannot expand them.
func appendQuoted(b *strings.Builder, arg string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(arg); i++ {
		switch c := arg[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case ' ' <= c && c < 0x7f && c != '$' && c != '`' && c != '!':
			b.WriteByte(c)
		default:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	b.WriteByte('"')
}
