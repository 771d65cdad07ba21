package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInteractiveHistoryOddEntries: entries of a history file that could
// not have been typed at the prompt (control characters, bytes that are
// not UTF-8), written by hand or by another program, are never drawn on
// the line, where they would move the cursor, colour or erase the screen:
// Up and Ctrl-R pass them over, and the screen shows only what is typed.
func TestInteractiveHistoryOddEntries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	entries := []string{
		"SET a 1",
		"GET \x1b[31mred\x1b[0m",
		"SET bell \ax",
		"SET cr a\rb",
		"SET bad \xff\xfe",
		"SET tab a\tb",
		"SET csi \u009b2J",
		"DBSIZE",
	}
	if err := os.WriteFile(filepath.Join(dir, "hist"), []byte(strings.Join(entries, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	term := startTerminalIn(t, dir, "", "")
	greeting := `^skysh [^\n]*\nType !help[^\n]*\n`
	term.waitFor(greeting+`skysh>\n\z`, screenTimeout)
	term.press("Up")
	term.waitFor(greeting+`skysh> DBSIZE\n +DBSIZE +the number of keys *\n\z`, screenTimeout)
	term.press("Up")
	term.waitFor(greeting+`skysh> SET a 1\n\z`, screenTimeout)
	term.press("Up") // no older one
	term.press("Down")
	term.waitFor(greeting+`skysh> DBSIZE\n +DBSIZE +the number of keys *\n\z`, screenTimeout)
	term.press("C-e", "C-u")
	term.press("C-r")
	term.typeText("set ")
	term.waitFor(greeting+"\\(reverse-i-search\\)`set ': SET a 1\\n\\z", screenTimeout)
	term.press("C-r") // no older one
	term.press("Enter")
	term.waitFor(greeting+`skysh> SET a 1\n\(Okay\)\nskysh>\n\z`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}
