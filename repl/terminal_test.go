package repl

import (
	"reflect"
	"testing"

	prompt "github.com/c-bata/go-prompt"
)

// fakeTerminal hands out scripted reads, as a terminal would deliver them.
type fakeTerminal struct {
	prompt.ConsoleParser
	reads [][]byte
}

// GetWinSize implements prompt.ConsoleParser: the terminal never changes
// size.
func (f *fakeTerminal) GetWinSize() *prompt.WinSize { return &prompt.WinSize{Row: 24, Col: 80} }

func (f *fakeTerminal) Read() ([]byte, error) {
	if len(f.reads) == 0 {
		return nil, nil
	}
	r := f.reads[0]
	f.reads = f.reads[1:]
	return r, nil
}

// readAll collects the pieces a keyParser hands out, arming it after each
// Enter as the interactive loop does after each line.
func readAll(p *keyParser, n int) []string {
	var got []string
	for range n {
		b, _ := p.Read()
		if b == nil {
			p.arm(nil)
			continue
		}
		got = append(got, string(b))
	}
	return got
}

func TestKeyParserSplitsKeys(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reads []string
		want  []string
	}{
		{"typed fast before Tab", []string{"DBSI\t"}, []string{"DBSI", "\t"}},
		{"pasted lines", []string{"SET a 1\rGET a\r"}, []string{"SET a 1", "\r", "GET a", "\r"}},
		{"arrow keys", []string{"\x1b[D\x1b[Cx"}, []string{"\x1b[D", "\x1b[C", "x"}},
		{"lone escape", []string{"\x1b"}, []string{"\x1b"}},
		{"ctrl-d", []string{"ab\x04"}, []string{"ab", "\x04"}},
		{"utf-8 text", []string{"SET é ü\r"}, []string{"SET é ü", "\r"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var reads [][]byte
			for _, r := range tc.reads {
				reads = append(reads, []byte(r))
			}
			p := newKeyParser(&fakeTerminal{reads: reads})
			if got := readAll(p, 2*len(tc.want)+2); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("pieces %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKeyParserHoldsAfterEnter(t *testing.T) {
	p := newKeyParser(&fakeTerminal{reads: [][]byte{[]byte("a\rb\r")}})
	for _, want := range []string{"a", "\r"} {
		if b, _ := p.Read(); string(b) != want {
			t.Fatalf("Read()=%q, want %q", b, want)
		}
	}
	// Until the shell asks for the next line, nothing more is handed out:
	// go-prompt would drop it.
	if b, _ := p.Read(); b != nil {
		t.Fatalf("Read() after Enter=%q, want nothing until arm", b)
	}
	p.arm(nil)
	if b, _ := p.Read(); string(b) != "b" {
		t.Fatalf("Read() after arm=%q, want %q", b, "b")
	}
}

func TestKeyParserEOFAndHangUp(t *testing.T) {
	p := newKeyParser(&fakeTerminal{reads: [][]byte{{keyCtrlD}}})
	p.Read()
	if !p.sawEOF() {
		t.Fatal("sawEOF()=false after Ctrl-D")
	}
	p.arm(nil)
	p.hangUp()
	var got []string
	for range 3 {
		b, _ := p.Read()
		got = append(got, string(b))
	}
	if want := []string{"\x05", "\x15", "\x04"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("hangUp pieces %q, want %q", got, want)
	}
	if !p.sawEOF() {
		t.Fatal("sawEOF()=false after hangUp")
	}
}

// hungUpTerminal is a terminal that no longer answers: go-prompt's reader
// panics when asked its size.
type hungUpTerminal struct{ fakeTerminal }

func (*hungUpTerminal) GetWinSize() *prompt.WinSize { panic("inappropriate ioctl for device") }

// TestKeyParserTerminalHungUp: a terminal that cannot say its size is
// taken as 80×24 and as unchanged, rather than ending the shell: the key
// reader asks before every key.
func TestKeyParserTerminalHungUp(t *testing.T) {
	p := newKeyParser(&hungUpTerminal{fakeTerminal{reads: [][]byte{[]byte("GET a\r")}}})
	if ws := p.winSize(); ws.Col != fallbackCols || ws.Row != fallbackRows {
		t.Errorf("winSize() = %d×%d, want %d×%d", ws.Col, ws.Row, fallbackCols, fallbackRows)
	}
	if ws := p.GetWinSize(); ws.Col != fallbackCols {
		t.Errorf("GetWinSize() is %d columns wide, want %d", ws.Col, fallbackCols)
	}
	if got, want := readAll(p, 3), []string{"GET a", "\r"}; !reflect.DeepEqual(got, want) {
		t.Errorf("pieces %q, want %q", got, want)
	}
}
