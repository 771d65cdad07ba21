package repl

import (
	"fmt"
	"slices"
	"strings"

	"skysh/engine"
	"skysh/render"
)

// metaCommand is one of the shell's own commands, which never reach the engine.
type metaCommand struct {
	name    string
	summary string
	run     func(s *Shell, args []string, at where, interactive bool) outcome
}

// metaCommands lists the shell's own commands; help and completion read it.
var metaCommands []metaCommand

func init() {
	// Assigned in init because !help lists metaCommands itself.
	metaCommands = []metaCommand{
		{"!help", "this help", (*Shell).metaHelp},
		{"!status", "keys, unsaved changes, last save, journal, poisoned or not; on a cluster: members, leader, size, alarms", (*Shell).metaStatus},
		{"!save", "save to data.bin now and say how it went (a cluster already keeps every acknowledged write)", (*Shell).metaSave},
		{"!keys [PATTERN [LIMIT]]", "keys matching a glob (* ? [a-z]), sorted, and how many match; LIMIT defaults to 100", (*Shell).metaKeys},
		{"!read FILE", "run the queries in a script file; its errors name the file and line", (*Shell).metaRead},
		{"!pager [on|off]", "page answers longer than the screen at the prompt ($PAGER, default less -FRX)", (*Shell).metaSetting},
		{"!width [on|off]", "cut tables to the screen's width (on at the prompt), or draw them whole", (*Shell).metaSetting},
		{"!timer [on|off]", "after each query, say how long it took (as sqlite3's .timer)", (*Shell).metaSetting},
		{"!mode [human|raw|json|csv]", "switch the form answers are printed in", (*Shell).metaMode},
		{"!snapshots", "list snapshots: name, kind, time, size, keys", (*Shell).metaSnapshots},
		{"!dump [--force] [FILE]", "the store as a script of USET lines (to FILE, or here); --force replaces a file that is not a dump", (*Shell).metaDump},
		{"?ACTION", "syntax and an example of one action, e.g. ?MSET", nil},
		{"clear", "clear the screen", (*Shell).metaClear},
		{"exit", "leave the shell (also quit, or Ctrl-D)", nil},
	}
}

// runMeta runs args if they are a shell command. It reports false when they
// are a query for the engine.
func (s *Shell) runMeta(args []string, at where, interactive bool) (outcome, bool) {
	name := args[0]
	if name == "" {
		return lineOK, false // "" is no shell command: the engine answers Unknown action
	}
	switch name[0] {
	case '!', '?', 'e', 'E', 'q', 'Q', 'c', 'C', 'h', 'H':
	default:
		return lineOK, false // the usual case, a query: decided in one byte
	}
	switch {
	case (strings.EqualFold(name, "exit") || strings.EqualFold(name, "quit")) && len(args) == 1:
		return lineQuit, true
	case (name == "?" || strings.EqualFold(name, "help")) && len(args) == 2:
		// ? GET and HELP GET: what a Redis user types for one action's help.
		return s.metaAction(args[1], at, interactive), true
	case (name == "?" || strings.EqualFold(name, "help")) && len(args) == 1:
		return s.metaHelp(args, at, interactive), true
	case len(name) > 1 && name[0] == '?':
		return s.metaAction(name[1:], at, interactive), true
	case strings.EqualFold(name, "clear") && len(args) == 1:
		return s.metaClear(args, at, interactive), true
	case name[0] == '!':
		for _, m := range metaCommands {
			if cmd, _, _ := strings.Cut(m.name, " "); cmd == strings.ToLower(name) && m.run != nil {
				return m.run(s, args, at, interactive), true
			}
		}
		s.reportError(at, fmt.Sprintf("unknown shell command %s; type !help for the list", name), interactive)
		return lineFailed, true
	}
	return lineOK, false
}

// text writes a block of text for a person; in JSON it is one JSON string so
// that outputs stay one line per input.
func (s *Shell) text(args []string, text string) {
	if s.cfg.Format == render.JSON {
		s.r.Response(args, engine.String(text))
		return
	}
	s.out.WriteString(text)
}

func (s *Shell) metaHelp(args []string, _ where, interactive bool) outcome {
	var b strings.Builder
	b.WriteString("Actions (names in any case; quote values with spaces: SET k \"a b\"):\n")
	for _, a := range engine.Actions() {
		fmt.Fprintf(&b, "  %-34s %s\n", a.Syntax, a.Summary)
	}
	b.WriteString("\nShell commands:\n")
	for _, m := range metaCommands {
		fmt.Fprintf(&b, "  %-34s %s\n", m.name, m.summary)
	}
	b.WriteString("\nQuoting: \"…\" understands \\\" \\\\ \\n \\t \\xHH; '…' is literal; # starts a comment line;\n" +
		"a line ending in \\ continues on the next.\n")
	b.WriteString("\nDurability: every write is journaled (DIR/journal-*.log) before its answer is shown,\n" +
		"so a crash loses nothing (--fsync always, the default); data.bin is saved every\n" +
		"--saveduration seconds and at exit. --fsync everysec|no trades that for speed.\n")
	if interactive {
		b.WriteString(promptKeysHelp)
	}
	s.text(args, b.String())
	return lineOK
}

func (s *Shell) metaAction(name string, at where, interactive bool) outcome {
	info, ok := engine.LookupAction(name)
	if !ok {
		s.reportError(at, fmt.Sprintf("no action named %q; type !help for the list", name), interactive)
		return lineFailed
	}
	s.text([]string{"?" + name}, fmt.Sprintf("%s\n  %s\n  example: %s\n", info.Syntax, info.Summary, info.Example))
	return lineOK
}

// promptKeysHelp ends !help at the prompt: what the keys do there.
const promptKeysHelp = "\nKeys at the prompt: Tab completes actions, shell commands and existing keys; once an\n" +
	"action is typed, the rest of its syntax follows the cursor in grey. Up and Down recall\n" +
	"earlier queries (with text typed, those that start with it); Ctrl-R searches them.\n" +
	"Alt-B and Alt-F move by word, Ctrl-W deletes one; Ctrl-C drops the line.\n"

// outputForms are the forms !mode switches between, by name.
var outputForms = []render.Format{render.Human, render.Raw, render.JSON, render.CSV}

func (s *Shell) metaMode(args []string, at where, interactive bool) outcome {
	if len(args) > 2 {
		s.reportError(at, "!mode takes one form: !mode human, raw, json or csv", interactive)
		return lineFailed
	}
	if len(args) == 2 {
		i := slices.IndexFunc(outputForms, func(f render.Format) bool { return strings.EqualFold(f.String(), args[1]) })
		if i < 0 {
			s.reportError(at, fmt.Sprintf("no output form %s; !mode takes human, raw, json or csv", Quote(args[1])), interactive)
			return lineFailed
		}
		s.cfg.Format = outputForms[i]
		s.setRenderer()
	}
	s.text(args, "mode "+s.cfg.Format.String()+"\n")
	return lineOK
}

// setting is a shell setting a `!NAME [on|off]` command shows or switches.
type setting struct {
	set   func(s *Shell, on bool)
	state func(s *Shell, interactive bool) string
}

// settings are the switches of !pager, !width and !timer.
var settings = map[string]setting{
	"!pager": {
		set: func(s *Shell, on bool) {
			s.pager = ""
			if on {
				s.pager = pagerCommand()
			}
		},
		state: func(s *Shell, interactive bool) string {
			state := "off"
			if s.pager != "" {
				state = "on: " + s.pager
			}
			if !interactive {
				state += " (only answers at the prompt are paged)"
			}
			return state
		},
	},
	"!width": {
		set: func(s *Shell, on bool) {
			s.noFit = !on
			if !on {
				s.r.SetWidth(0)
			}
		},
		state: func(s *Shell, _ bool) string {
			if s.noFit {
				return "off"
			}
			return "on (tables are cut to the screen at the prompt)"
		},
	},
	"!timer": {
		set: func(s *Shell, on bool) { s.timer = on },
		state: func(s *Shell, _ bool) string {
			if s.timer {
				return "on"
			}
			return "off"
		},
	},
}

// metaSetting runs `!NAME [on|off]`: it switches the setting when told to,
// then says how it stands.
func (s *Shell) metaSetting(args []string, at where, interactive bool) outcome {
	name := strings.ToLower(args[0])
	st := settings[name]
	switch {
	case len(args) == 2 && (args[1] == "on" || args[1] == "off"):
		st.set(s, args[1] == "on")
	case len(args) != 1:
		s.reportError(at, fmt.Sprintf("%s takes on or off: %s off", name, name), interactive)
		return lineFailed
	}
	s.text(args, strings.TrimPrefix(name, "!")+" "+st.state(s, interactive)+"\n")
	return lineOK
}

// clearScreen homes the cursor and erases the screen.
const clearScreen = "\x1b[H\x1b[2J"

func (s *Shell) metaClear(_ []string, _ where, interactive bool) outcome {
	// A script has no screen to clear; escape sequences never go down a pipe.
	if interactive {
		s.out.WriteString(clearScreen)
	}
	return lineOK
}
