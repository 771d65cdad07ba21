package repl

import (
	"errors"
	"fmt"
	"os"

	prompt "github.com/c-bata/go-prompt"
	"golang.org/x/term"

	"skysh/render"
)

// Prompts drawn before the cursor.
const (
	promptReady      = "skysh> "
	promptPoisoned   = "skysh (poisoned)> "
	promptContinued  = "   ...> "
	interactiveGreet = "skysh %s: %s in %s\nType !help for help, ?ACTION for one action, exit or Ctrl-D to leave.\n"
)

// Terminal is what the interactive loop needs besides the shell's Config.
type Terminal struct {
	Version     string
	HistoryFile string // "" keeps no history
	NoPager     bool   // never page long answers (--no-pager)
}

// ErrNoTerminal is returned by RunInteractive when stdin is a terminal but
// the process has no controlling terminal (/dev/tty), which go-prompt reads
// keys from; the caller can run the batch loop instead.
var ErrNoTerminal = errors.New("no controlling terminal")

// RunInteractive reads queries typed at the terminal on stdin until exit,
// quit, Ctrl-D or Stop. The caller must have checked that stdin is a
// terminal: go-prompt panics without one. The terminal's settings are put
// back on every way out.
func (s *Shell) RunInteractive(t Terminal) error {
	// go-prompt opens /dev/tty and panics if it cannot (setsid, some CI
	// runners): find out first.
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoTerminal, err)
	}
	tty.Close()
	fd := int(os.Stdin.Fd())
	saved, err := term.GetState(fd)
	if err != nil {
		return fmt.Errorf("cannot read the terminal's settings: %w", err)
	}
	restore := func() { term.Restore(fd, saved) }
	defer restore()

	hist, err := loadHistory(t.HistoryFile)
	if err != nil {
		fmt.Fprintf(s.cfg.Err, "skysh: %s; history is not kept\n", render.Printable(err.Error()))
	}
	// The prompt, the echo of what is typed and the menus are for the
	// terminal: with stdout redirected (skysh > out.txt), they go to
	// stderr, if that is the terminal, and only the answers to stdout.
	screen, greet := prompt.NewStdoutWriter(), s.cfg.Out
	if !term.IsTerminal(int(os.Stdout.Fd())) && term.IsTerminal(int(os.Stderr.Fd())) {
		screen, greet = prompt.NewStderrWriter(), s.cfg.Err
	}
	// Long answers go through a pager, when they go to the terminal.
	if !t.NoPager && term.IsTerminal(int(os.Stdout.Fd())) {
		s.pager = pagerCommand()
	}
	keys := newKeyParser(prompt.NewStandardInputParser())
	continued := false
	writer := &promptWriter{ConsoleWriter: screen, colour: s.cfg.Colour, poisoned: s.poisoned, keys: keys,
		hinting: func() bool {
			_, searching := keys.searchPrompt()
			return !continued && !searching
		}}
	// A prompt is made for each query: go-prompt adds every line entered
	// to its history, so a query continued over lines would be recalled in
	// pieces. Up and Down walk the shell's history, which holds whole
	// queries, in the key reader (recall.go); go-prompt is given none.
	newPrompt := func() *prompt.Prompt {
		return prompt.New(func(string) {}, func(d prompt.Document) []prompt.Suggest {
			keys.saw(d) // asked right before each draw
			return s.complete(d)
		},
			prompt.OptionParser(keys),
			prompt.OptionWriter(writer),
			prompt.OptionPrefixTextColor(prefixColour),
			prompt.OptionPreviewSuggestionTextColor(previewColour),
			prompt.OptionLivePrefix(func() (string, bool) {
				if searching, ok := keys.searchPrompt(); ok {
					return searching, true
				}
				if continued {
					return continuedPrompt(s.readyPrompt()), true
				}
				return s.readyPrompt(), true
			}),
			prompt.OptionAddASCIICodeBind(wordKeys...),
			prompt.OptionAddASCIICodeBind(prompt.ASCIICodeBind{ASCIICode: syncKey, Fn: keys.syncLine}),
			prompt.OptionAddKeyBind(wordKeyBinds...),
			prompt.OptionAddKeyBind(prompt.KeyBind{Key: prompt.ControlR, Fn: keys.startSearch}),
			// A resize ends the prompt, to start it again (resize.go).
			prompt.OptionAddKeyBind(prompt.KeyBind{Key: prompt.Ignore, Fn: func(buf *prompt.Buffer) {
				if keys.keepLine(buf, writer.prefix) {
					writer.mute()
				}
			}}),
			prompt.OptionSetExitCheckerOnInput(func(string, bool) bool { return keys.restartDue() }),
			// go-prompt breaks the line on Enter, Ctrl-C, Ctrl-D and a
			// restart, which the key reader counts as drawn. After Ctrl-C,
			// once the line is drawn as it was, the prompt that follows is
			// "skysh>" again (see sawInterrupt below).
			prompt.OptionBreakLineCallback(func(d *prompt.Document) {
				keys.brokeLine(d)
				if keys.sawInterrupt() {
					continued = false
				}
			}),
		)
	}
	stopResize := notifyResize(keys.resized)
	defer stopResize()

	s.busy.Lock()
	s.restore = restore
	s.keys.Store(keys)
	stopping := s.stopping
	s.busy.Unlock()
	if stopping {
		return nil
	}

	fmt.Fprintf(greet, interactiveGreet, t.Version, keyCount(s.cfg.Store.Len()), render.Printable(s.place()))
	var pending []byte // a line continued with a trailing backslash
	n := 0
	for {
		keys.arm(hist.entries)
		typed := readLine(newPrompt, keys, writer)
		if keys.sawInterrupt() {
			// Ctrl-C at the "...>" prompt drops the whole unfinished
			// query, as in a shell, not just the line being typed.
			pending, continued = nil, false
		}
		if typed == "" && keys.sawEOF() {
			if pending != nil {
				// Ctrl-D in a continuation drops the unfinished query, as a shell does.
				pending, continued = nil, false
				continue
			}
			fmt.Fprintln(greet)
			return nil
		}
		n++
		body, more := Continues(typed)
		if len(pending)+len(body) > maxLineBytes {
			// The same bound as a script's: the joined line, not each piece.
			pending, continued = nil, false
			s.step(func() outcome {
				s.reportError(where{"line", n}, errLineTooLong.Error(), true)
				return lineFailed
			})
			s.flush()
			continue
		}
		if more {
			pending = append(pending, body...)
			continued = true
			continue
		}
		line := string(append(pending, typed...))
		pending, continued = nil, false
		if err := hist.add(line); err != nil {
			fmt.Fprintf(s.cfg.Err, "skysh: %s\n", render.Printable(err.Error()))
		}
		res := s.step(func() outcome {
			s.fitToScreen(keys)
			return s.runLine(line, where{"line", n}, true)
		})
		s.flushPaged()
		if res == lineQuit || res == lineStopped {
			return nil
		}
	}
}

// fitToScreen makes tables fit the terminal's width as it is now, unless
// !width off.
func (s *Shell) fitToScreen(keys *keyParser) {
	width := 0
	if !s.noFit {
		width = int(keys.GetWinSize().Col)
	}
	s.r.SetWidth(width)
}

// poisoned reports whether the store refuses writes, for the prompt.
func (s *Shell) poisoned() bool {
	_, p := s.cfg.Store.Poisoned()
	return p
}
