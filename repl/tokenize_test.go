package repl_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"skysh/repl"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string
	}{
		// Blank lines and comments give nothing.
		{"empty", "", nil},
		{"blank", " \t\r\v\f\n", nil},
		{"comment", "# SET a b", nil},
		{"indented comment", " \t# SET a b", nil},
		{"comment with open quote", `# it's "fine`, nil},
		{"comment with bad escape", `# "\q"`, nil},
		{"comment with NUL", "# a\x00", nil},
		{"comment with invalid UTF-8", " #\x80\xff", nil},
		{"hash later is text", "SET #a b#", []string{"SET", "#a", "b#"}},
		{"hash alone after text", "a #", []string{"a", "#"}},
		{"quoted hash first", `"#" a`, []string{"#", "a"}},

		// Every separator, alone and in runs.
		{"space", "a b", []string{"a", "b"}},
		{"tab", "a\tb", []string{"a", "b"}},
		{"carriage return", "a\rb", []string{"a", "b"}},
		{"vertical tab", "a\vb", []string{"a", "b"}},
		{"form feed", "a\fb", []string{"a", "b"}},
		{"newline", "a\nb", []string{"a", "b"}},
		{"runs and ends", " \t a \r\n b\v\f ", []string{"a", "b"}},
		{"no-break space is text", "a\u00a0b", []string{"a\u00a0b"}},
		{"other control is text", "a\x01\x7fb", []string{"a\x01\x7fb"}},

		// Quotes group, keep whitespace and join adjacent text.
		{"double", `SET k "some value"`, []string{"SET", "k", "some value"}},
		{"single", `SET k 'some value'`, []string{"SET", "k", "some value"}},
		{"raw separators inside quotes", "\"a\tb\nc\" 'd\re'", []string{"a\tb\nc", "d\re"}},
		{"join before", `a"b c"`, []string{"ab c"}},
		{"join after", `"a b"c`, []string{"a bc"}},
		{"join mixed", `a'b'"c"d`, []string{"abcd"}},
		{"empty double", `""`, []string{""}},
		{"empty single", `''`, []string{""}},
		{"empty args among others", `SET "" ''`, []string{"SET", "", ""}},
		{"empty quotes join", `a""`, []string{"a"}},
		{"empty quotes join both", `""a''b""`, []string{"ab"}},
		{"other quote inside double", `"it's"`, []string{"it's"}},
		{"other quote inside single", `'say "hi"'`, []string{`say "hi"`}},
		{"hash inside quotes", `"# not a comment"`, []string{"# not a comment"}},

		// Escapes inside double quotes.
		{"escaped quote", `"a\"b"`, []string{`a"b`}},
		{"escaped backslash", `"a\\b"`, []string{`a\b`}},
		{"escaped newline", `"a\nb"`, []string{"a\nb"}},
		{"escaped tab", `"a\tb"`, []string{"a\tb"}},
		{"hex lower", `"\x00\xff\x7f"`, []string{"\x00\xff\x7f"}},
		{"hex upper", `"\xAB\xcD"`, []string{"\xab\xcd"}},
		{"hex then digit", `"\x4142"`, []string{"A42"}},
		{"escape only", `"\\"`, []string{`\`}},
		{"escapes join text", `a"\x20"b`, []string{"a b"}},

		// No escapes in single quotes or outside quotes.
		{"single is literal", `'a\nb\'`, []string{`a\nb\`}},
		{"bare backslash", `C:\dir`, []string{`C:\dir`}},
		{"bare backslashes", `a\ b\\ \q \`, []string{`a\`, `b\\`, `\q`, `\`}},

		// UTF-8 passes through untouched.
		{"utf8 bare", "SET ключ 値", []string{"SET", "ключ", "値"}},
		{"replacement char is valid", "\uFFFD '\uFFFD'", []string{"\uFFFD", "\uFFFD"}},
		{"utf8 quoted", `"héllo wörld" 'ü'`, []string{"héllo wörld", "ü"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := repl.Tokenize(tt.line)
			if err != nil {
				t.Fatalf("Tokenize(%q) error: %v", tt.line, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Tokenize(%q)=%q, want %q", tt.line, got, tt.want)
			}
		})
	}
}

func TestTokenizeError(t *testing.T) {
	tests := []struct {
		name string
		line string
		col  int
		text string // the whole Error()
	}{
		{"unterminated double", `SET k "abc`, 7,
			`unterminated double quote at column 7: no closing " after it`},
		{"unterminated single", `SET k 'abc`, 7,
			`unterminated single quote at column 7: no closing ' after it`},
		{"unterminated after join", `a"b"c"d`, 6,
			`unterminated double quote at column 6: no closing " after it`},
		{"unterminated by escaped quote", `"abc\"`, 1,
			`unterminated double quote at column 1: no closing " after it`},
		{"single ends at first single", `'a\'b'`, 6,
			`unterminated single quote at column 6: no closing ' after it`},
		{"unterminated after multibyte", `ключ "abc`, 6,
			`unterminated double quote at column 6: no closing " after it`},
		{"bad escape", `SET k "ab\q"`, 10,
			`bad escape \q at column 10: inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"bad escape single quote", `"\'"`, 2,
			`bad escape \' at column 2: inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"bad escape multibyte column", `"ü\ü"`, 3,
			`bad escape \ü at column 3: inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"bad escape colon", `"\:"`, 2,
			`bad escape \: at column 2: inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"bad escape space", `"\ "`, 2,
			`bad escape (backslash followed by ' ') at column 2: inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"bad escape tab", "\"\\\t\"", 2,
			`bad escape (backslash followed by '\t') at column 2: inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"invalid byte after backslash", "\"\\\xff\"", 3,
			`invalid UTF-8 byte 0xff at column 3: write binary data as "\xHH" escapes inside double quotes`},
		{"bad escape at end", `"ab\`, 4,
			`bad escape at column 4: the line ends after the backslash; inside double quotes a backslash must start \" \\ \n \t or \xHH (write a backslash as \\)`},
		{"hex one digit", `"\x4"`, 2,
			`bad escape \x at column 2: \x must be followed by exactly two hex digits, as in \x0a or \xFF`},
		{"hex not digits", `"\xZZ"`, 2,
			`bad escape \x at column 2: \x must be followed by exactly two hex digits, as in \x0a or \xFF`},
		{"hex one good digit", `"\xaZ"`, 2,
			`bad escape \x at column 2: \x must be followed by exactly two hex digits, as in \x0a or \xFF`},
		{"hex at end", `"\x`, 2,
			`bad escape \x at column 2: \x must be followed by exactly two hex digits, as in \x0a or \xFF`},
		{"hex one digit at end", `"\xa`, 2,
			`bad escape \x at column 2: \x must be followed by exactly two hex digits, as in \x0a or \xFF`},
		{"NUL bare", "SET\x00", 4,
			`NUL byte at column 4: write binary data as "\xHH" escapes inside double quotes ("\x00" is NUL)`},
		{"NUL quoted", "\"a\x00\"", 3,
			`NUL byte at column 3: write binary data as "\xHH" escapes inside double quotes ("\x00" is NUL)`},
		{"NUL only", "\x00", 1,
			`NUL byte at column 1: write binary data as "\xHH" escapes inside double quotes ("\x00" is NUL)`},
		{"invalid UTF-8 bare", "ab\xff", 3,
			`invalid UTF-8 byte 0xff at column 3: write binary data as "\xHH" escapes inside double quotes`},
		{"invalid UTF-8 single", "'ü\xc3'", 3,
			`invalid UTF-8 byte 0xc3 at column 3: write binary data as "\xHH" escapes inside double quotes`},
		{"invalid UTF-8 beats later quote", "\xfe \"", 1,
			`invalid UTF-8 byte 0xfe at column 1: write binary data as "\xHH" escapes inside double quotes`},
		{"surrogate is invalid", "\xed\xa0\x80", 1,
			`invalid UTF-8 byte 0xed at column 1: write binary data as "\xHH" escapes inside double quotes`},
		{"binary reported before earlier errors", `"\q` + "\x00", 4,
			`NUL byte at column 4: write binary data as "\xHH" escapes inside double quotes ("\x00" is NUL)`},
		{"binary reported before unterminated quote", `'a ` + "\xff", 4,
			`invalid UTF-8 byte 0xff at column 4: write binary data as "\xHH" escapes inside double quotes`},
		{"valid U+FFFD is not invalid", "\uFFFD \xff", 3,
			`invalid UTF-8 byte 0xff at column 3: write binary data as "\xHH" escapes inside double quotes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, err := repl.Tokenize(tt.line)
			var se *repl.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Tokenize(%q)=%q, %v; want a *SyntaxError", tt.line, args, err)
			}
			if args != nil {
				t.Errorf("Tokenize(%q) args=%q, want nil with an error", tt.line, args)
			}
			if got, want := se.Column, tt.col; got != want {
				t.Errorf("Tokenize(%q) Column=%d, want %d", tt.line, got, want)
			}
			if got, want := err.Error(), tt.text; got != want {
				t.Errorf("Tokenize(%q) error:\n got %s\nwant %s", tt.line, got, want)
			}
		})
	}
}

func TestSyntaxErrorWithoutHint(t *testing.T) {
	err := &repl.SyntaxError{Column: 7, Msg: "unterminated double quote"}
	if got, want := err.Error(), "unterminated double quote at column 7"; got != want {
		t.Fatalf("Error()=%q, want %q", got, want)
	}
}

func TestContinues(t *testing.T) {
	tests := []struct {
		line string
		body string
		more bool
	}{
		{``, ``, false},
		{`SET a b`, `SET a b`, false},
		{`SET a \`, `SET a `, true},
		{`SET a\`, `SET a`, true},
		{`\`, ``, true},
		{`SET a \\`, `SET a \\`, false},
		{`SET a \\\`, `SET a \\`, true},
		{`\\\\`, `\\\\`, false},
		{`SET a \ `, `SET a \ `, false},
		{`SET "a \`, `SET "a `, true},
		{`# comment \`, `# comment `, true},
		{"a \\\r", "a \\\r", false},
	}
	for _, tt := range tests {
		body, more := repl.Continues(tt.line)
		if body != tt.body || more != tt.more {
			t.Errorf("Continues(%q)=%q, %v; want %q, %v", tt.line, body, more, tt.body, tt.more)
		}
	}
}

// TestContinuesJoin checks the documented way to join lines, with a
// continuation inside a quoted value.
func TestContinuesJoin(t *testing.T) {
	var line strings.Builder
	for _, physical := range []string{`SET k "hello \`, `world" \`, `x`} {
		body, more := repl.Continues(physical)
		line.WriteString(body)
		if !more {
			break
		}
	}
	got, err := repl.Tokenize(line.String())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"SET", "k", "hello world", "x"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokenize(%q)=%q, want %q", line.String(), got, want)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		arg  string
		want string
	}{
		{"", `""`},
		{"abc", `abc`},
		{"key:000000001", `key:000000001`},
		{"a#b", `"a#b"`},
		{"a=b,c@d%e+f/g.h-i_j", `a=b,c@d%e+f/g.h-i_j`},
		// Inert in a POSIX shell: no bare separator, redirection or glob,
		// and no $ ` ! that a shell expands inside double quotes.
		{";echo${IFS}PWNED>x;#", `";echo\x24{IFS}PWNED>x;#"`},
		{"$(id)", `"\x24(id)"`},
		{"`id`", `"\x60id\x60"`},
		{"!!", `"\x21\x21"`},
		{"a|b&c<d>e*f?g[h]i~j{k}l(m)n", `"a|b&c<d>e*f?g[h]i~j{k}l(m)n"`},
		{"#a", `"#a"`},
		{"#", `"#"`},
		{"a b", `"a b"`},
		{"a\tb", `"a\tb"`},
		{"a\nb", `"a\nb"`},
		{"\r\v\f", `"\x0d\x0b\x0c"`},
		{`"`, `"\""`},
		{`'`, `"'"`},
		{`it's`, `"it's"`},
		{`\`, `"\\"`},
		{`C:\dir`, `"C:\\dir"`},
		{"\x00", `"\x00"`},
		{"a\x00b", `"a\x00b"`},
		{"\xff", `"\xff"`},
		{"\x7f", `"\x7f"`},
		{"\x1b[31m", `"\x1b[31m"`},
		{"é", `"\xc3\xa9"`},
		{"\xc3", `"\xc3"`},
	}
	for _, tt := range tests {
		got := repl.Quote(tt.arg)
		if got != tt.want {
			t.Errorf("Quote(%q)=%s, want %s", tt.arg, got, tt.want)
		}
		back, err := repl.Tokenize(got)
		if err != nil || len(back) != 1 || back[0] != tt.arg {
			t.Errorf("Tokenize(Quote(%q))=%q, %v; want [%q]", tt.arg, back, err, tt.arg)
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ``},
		{[]string{""}, `""`},
		{[]string{"SET", "k", "v"}, `SET k v`},
		{[]string{"SET", "#k", "a b", ""}, `SET "#k" "a b" ""`},
		{[]string{"a\\", "b"}, `"a\\" b`},
	}
	for _, tt := range tests {
		got := repl.Join(tt.args)
		if got != tt.want {
			t.Errorf("Join(%q)=%s, want %s", tt.args, got, tt.want)
		}
		back, err := repl.Tokenize(got)
		if err != nil || len(back) != len(tt.args) || (len(back) > 0 && !reflect.DeepEqual(back, tt.args)) {
			t.Errorf("Tokenize(Join(%q))=%q, %v", tt.args, back, err)
		}
		if _, more := repl.Continues(got); more {
			t.Errorf("Join(%q)=%s reads as a continuation", tt.args, got)
		}
	}
}
