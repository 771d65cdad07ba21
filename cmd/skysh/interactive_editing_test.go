package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// cursor is where the terminal's cursor is: column and row, from 0.
func (term *terminal) cursor() (x, y int) {
	term.t.Helper()
	out := term.tmux("display-message", "-p", "-t", "0", "#{cursor_x} #{cursor_y}")
	if _, err := fmt.Sscan(out, &x, &y); err != nil {
		term.t.Fatalf("cursor position %q: %v", out, err)
	}
	return x, y
}

// cursorAt waits for the cursor to be in column x (just after what was
// typed rather than after a hint), or fails the test.
func (term *terminal) cursorAt(x int) {
	term.t.Helper()
	deadline := time.Now().Add(screenTimeout)
	for {
		got, _ := term.cursor()
		if got == x {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("cursor in column %d, want %d; the screen shows:\n%s", got, x, term.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// resize makes the window cols columns wide, and waits until the terminal
// skysh runs in has that width: tmux redraws its screen for the new width
// at once but tells the program a moment later, and a key typed meanwhile
// is one a person could not type.
func (term *terminal) resize(cols int) {
	term.t.Helper()
	// A resize that meets skysh's output still on its way to tmux has
	// tmux reflow the screen before that output lands, drawn for the old
	// width: a race of the test, not something skysh can see. Resize
	// only once the screen has stopped changing.
	term.settle()
	term.tmux("resize-window", "-t", "0", "-x", strconv.Itoa(cols))
	tty := strings.TrimSpace(term.tmux("display-message", "-p", "-t", "0", "#{pane_tty}"))
	f, err := os.Open(tty)
	if err != nil {
		term.t.Fatal(err)
	}
	defer f.Close()
	deadline := time.Now().Add(screenTimeout)
	for {
		ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
		if err != nil {
			term.t.Fatal(err)
		}
		if int(ws.Col) == cols {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal is %d columns wide, want %d", ws.Col, cols)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits until the screen and the cursor have not changed for a
// while (skysh has drawn all it will for the last key), failing the test
// after screenTimeout.
func (term *terminal) settle() {
	term.t.Helper()
	const quiet = 150 * time.Millisecond
	state := func() string {
		return term.colouredScreen() + term.tmux("display-message", "-p", "-t", "0", "#{cursor_x},#{cursor_y}")
	}
	last, since := state(), time.Now()
	deadline := since.Add(screenTimeout)
	for time.Since(since) < quiet {
		if time.Now().After(deadline) {
			term.t.Fatalf("the screen did not settle in %v:\n%s", screenTimeout, last)
		}
		time.Sleep(25 * time.Millisecond)
		if now := state(); now != last {
			last, since = now, time.Now()
		}
	}
}

// dimHint matches a hint as the terminal shows it: dark grey (SGR 90)
// text, what is typed being in the default colour.
func dimHint(hint string) *regexp.Regexp {
	return regexp.MustCompile(`\x1b\[[0-9;]*\b90(;[0-9;]*)?m` + regexp.QuoteMeta(hint))
}

// TestInteractiveArgumentHints: once an action is typed, the rest of its
// syntax shows dimmed after the cursor, shrinking as arguments are typed,
// gone when the line is complete, is no action, or the cursor is not at
// its end; it never moves the cursor, covers the completion menu, wraps,
// or stays on the line once Enter is pressed.
func TestInteractiveArgumentHints(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("MSET user:1 ada user:2 bob", `\(integer\) 2`)

	term.typeText("SET")
	term.waitFor(`^skysh> SET key value$`, screenTimeout)
	if screen := term.colouredScreen(); !dimHint(" key value").MatchString(screen) {
		t.Errorf("the hint is not dim:\n%q", screen)
	}
	term.cursorAt(len("skysh> SET"))
	term.typeText(" a")
	term.waitFor(`^skysh> SET a value$`, screenTimeout)
	term.cursorAt(len("skysh> SET a"))
	term.typeText(" ")
	term.waitFor(`^skysh> SET a value$`, screenTimeout)
	term.cursorAt(len("skysh> SET a "))
	term.typeText("b")
	term.waitFor(`^skysh> SET a b$`, screenTimeout) // complete: no hint
	term.press("Left")
	term.typeText("c")
	term.waitFor(`^skysh> SET a cb$`, screenTimeout)
	term.press("C-e", "C-u")

	// Optional and repeated arguments; a lower-case action; a continued
	// line, an open quote and an unknown action show none.
	for _, tc := range []struct{ typed, shown string }{
		{"mset a 1 b", "mset a 1 b value [key value ...]"},
		{"DEL a ", "DEL a [key ...]"},
		{"LSKEYS", "LSKEYS [count]"},
		{"LSKEYS 5", "LSKEYS 5"},
		{`SET a \`, `SET a \`},
		{`SET "a b`, `SET "a b`},
		{"FROB ", "FROB"},
	} {
		term.typeText(tc.typed)
		term.waitFor(`^skysh> `+regexp.QuoteMeta(tc.shown)+`$`, screenTimeout)
		term.press("C-e", "C-u")
		term.waitFor(`^skysh>$`, screenTimeout)
	}

	// None at "...>", where the action is on an earlier line, nor in a
	// search, whose line is a query already run.
	term.typeText(`SET a \`)
	term.press("Enter")
	term.typeText("GET")
	term.waitFor(`^   \.\.\.> GET$`, screenTimeout)
	term.press("C-c")
	term.waitFor(`^skysh>$`, screenTimeout)
	term.press("C-r")
	term.typeText("MSET")
	term.waitFor("^\\(reverse-i-search\\)`MSET': MSET user:1 ada user:2 bob$", screenTimeout)
	term.press("C-g")
	term.waitFor(`^skysh>$`, screenTimeout)

	// Beside the completion menu, which stays whole.
	term.typeText("UPDATE us")
	term.waitFor(`^skysh> UPDATE us value\n +user:1 *\n +user:2 *$`, screenTimeout)
	term.cursorAt(len("skysh> UPDATE us"))
	term.press("C-e", "C-u")

	// Wide characters count as two columns.
	term.typeText("SET 日本 ")
	term.waitFor(`^skysh> SET 日本 value$`, screenTimeout)
	term.cursorAt(len("skysh> SET ") + 4 + 1)
	term.press("C-e", "C-u")

	// A line that wraps: the hint follows on the last row; one that ends
	// near the right edge gets what fits, never a wrapped hint.
	long := strings.Repeat("x", 130)
	term.typeText("SET " + long + " ")
	term.waitFor(`^skysh> SET x+\nx+ value$`, screenTimeout)
	term.cursorAt((len("skysh> SET ") + len(long) + 1) % 120)
	term.press("C-e", "C-u")
	term.waitFor(`^skysh>$`, screenTimeout)
	edge := strings.Repeat("y", 120-len("skysh> MSET ")-len(" value [key")-1)
	term.typeText("MSET " + edge)
	screen := term.waitFor(`^skysh> MSET y+ value$`, screenTimeout)
	if strings.Contains(screen, "[key") {
		t.Errorf("a hint that does not fit was drawn:\n%s", screen)
	}
	term.press("C-e", "C-u")

	// Enter erases the hint before the answer.
	term.typeText("GET")
	term.waitFor(`^skysh> GET key$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> GET\n\(Action Error\) GET takes 1 argument: GET key\nskysh>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}

// TestInteractiveHistoryPrefix: Up with text typed recalls the earlier
// queries that start with it, newest first, and Down goes back to the text
// typed; on an empty line Up walks the whole history; while a completion
// is chosen in the menu, Up and Down move in the menu. The queries run are
// on the screen too: the line being edited is the screen's last.
func TestInteractiveHistoryPrefix(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET user:1 ada", `\(Okay\)`)
	term.run("GET user:1", `"ada"`)
	term.run("SET user:2 bob", `\(Okay\)`)
	term.run("DBSIZE", `\(integer\) 2`)

	term.typeText("SET u")
	term.waitFor(`^skysh> SET u value\n\z`, screenTimeout)
	term.press("Up")
	term.waitFor(`^skysh> SET user:2 bob\n\z`, screenTimeout)
	term.press("Up")
	term.waitFor(`^skysh> SET user:1 ada\n\z`, screenTimeout)
	term.press("Up") // no older one: it stays
	term.press("Down")
	term.waitFor(`^skysh> SET user:2 bob\n\z`, screenTimeout)
	term.press("Down")
	term.waitFor(`^skysh> SET u value\n\z`, screenTimeout)
	term.cursorAt(len("skysh> SET u"))

	// Editing what was recalled starts a new search from the edited text.
	term.press("Up")
	term.waitFor(`^skysh> SET user:2 bob\n\z`, screenTimeout)
	term.press("BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
	term.waitFor(`^skysh> SET us value\n\z`, screenTimeout)
	term.press("C-p")
	term.waitFor(`^skysh> SET user:2 bob\n\z`, screenTimeout)
	term.press("C-n")
	term.waitFor(`^skysh> SET us value\n\z`, screenTimeout)
	term.press("C-e", "C-u")

	// An empty line walks every query.
	term.waitFor(`^skysh>$`, screenTimeout)
	term.press("Up")
	term.waitFor(`^skysh> DBSIZE\n +DBSIZE +the number of keys *\n\z`, screenTimeout) // with its menu
	term.press("Up")
	term.waitFor(`^skysh> SET user:2 bob\n\z`, screenTimeout)
	term.press("Up")
	term.waitFor(`^skysh> GET user:1\n +user:1 *\n\z`, screenTimeout)
	term.press("Down")
	term.waitFor(`^skysh> SET user:2 bob\n\z`, screenTimeout)
	term.press("Down", "Down")
	term.waitFor(`^skysh>$`, screenTimeout)

	// A completion chosen with Tab: Up and Down move in the menu.
	term.typeText("GET us")
	term.waitFor(`^skysh> GET us\n +user:1 *\n +user:2 *\n\z`, screenTimeout)
	term.press("Tab")
	term.waitFor(`^skysh> GET user:1\n +user:1 *\n +user:2 *\n\z`, screenTimeout)
	term.press("Down")
	term.waitFor(`^skysh> GET user:2\n +user:1 *\n +user:2 *\n\z`, screenTimeout)
	term.press("Up")
	term.waitFor(`^skysh> GET user:1\n +user:1 *\n +user:2 *\n\z`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> GET user:1\n"ada"\nskysh>\n\z`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}

// TestInteractiveResize: when the window is resized, the prompt is drawn
// again for the new width, once: no stale copies of it are left, however
// the line wraps, and typing goes on where it was.
func TestInteractiveResize(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.typeText("SET abc def")
	term.waitFor(`^skysh> SET abc def$`, screenTimeout)
	onePrompt := func(what string) {
		t.Helper()
		// Rows the terminal wrapped joined, so that a copy cut in two
		// counts.
		screen := term.tmux("capture-pane", "-p", "-J", "-t", "0")
		if n := strings.Count(screen, "skysh>"); n != 1 {
			t.Errorf("%s: the screen shows %d prompts, want 1:\n%s", what, n, screen)
		}
	}
	for _, width := range []int{60, 10, 100, 14} {
		term.resize(width)
		term.typeText("g")
		term.waitFor(`g$`, screenTimeout)
		onePrompt(fmt.Sprintf("resized to %d columns", width))
	}
	term.resize(120)
	term.press("Left", "Left")
	term.typeText("h")
	term.waitFor(`^skysh> SET abc defgghgg$`, screenTimeout)
	onePrompt("back to 120 columns")
	term.press("Enter")
	term.waitFor(`^skysh> SET abc defgghgg\n\(Okay\)\nskysh>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
	assertStored(t, term.data, "GET abc", "defgghgg\n")
}

// TestInteractiveLongLine: a line of more rows than leave room for the
// completion menu below it (a long value pasted) is drawn and edited like
// any other: the screen is not erased for a "too small" notice, and what
// was on it stays.
func TestInteractiveLongLine(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET a 1", `\(Okay\)`)
	// 35 of the window's 40 rows, the greeting and the query above it.
	value := strings.Repeat("v", 35*120-len("skysh> SET long "))
	term.typeText("SET long " + value)
	row := strings.Repeat("v", 120)
	greeting := `^skysh [^\n]*\nType !help[^\n]*\nskysh> SET a 1\n\(Okay\)\n`
	term.waitFor(greeting+`skysh> SET long v{104}\n(`+row+`\n){34}\z`, screenTimeout)
	term.press("BSpace")
	term.waitFor(greeting+`skysh> SET long v{104}\n(`+row+`\n){33}v{119}\n\z`, screenTimeout)
	term.press("Enter")
	term.waitFor(`v{119}\n\(Okay\)\nskysh>\n\z`, screenTimeout)
	term.run("KEYLEN long", fmt.Sprintf(`\(integer\) %d`, len(value)-1))
	if screen := term.tmux("capture-pane", "-p", "-S", "-100", "-t", "0"); strings.Contains(screen, "too small") {
		t.Errorf("the screen was erased for a notice:\n%s", screen)
	}
	term.press("C-d")
	term.exited(0)
}
