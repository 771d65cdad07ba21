package repl_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skysh/engine"
	"skysh/render"
	"skysh/repl"
)

// FuzzShell feeds whole scripts to the batch loop, in each output format,
// and checks, for any script:
//   - the shell never panics and always returns;
//   - stderr is the same whatever the format (diagnostics do not depend on
//     it), every line of it starts with `line N: `, and it holds no control
//     byte: user input echoed in a message is escaped;
//   - the human form without colour holds no control byte but newlines;
//   - every line of the JSON form is valid JSON;
//   - whether the run failed does not depend on the format;
//   - with a data directory, what the store held at the end is what a
//     reopened engine loads: nothing written is lost at exit.
//
// testdata/fuzz/FuzzShell holds the inputs that found bugs (empty-action:
// a crash before the final save; escape-in-message: terminal escapes echoed
// on stderr) and the corpus of a few minutes' fuzzing.
func FuzzShell(f *testing.F) {
	for _, seed := range []string{
		"SET a 1\nGET a\n",
		"\"\"\n'' x\n",
		"!help\n?SET\n?\n? nosuch\n!nosuch\n",
		"MSET a 1 b 2\nMGET a b c\nPOP a c\nLSKEYS\nLSKEYS 0\nLSKEYS -1\nLSKEYS x\n",
		"SSET a 1\nSUPDATE a 2\nSDEL a b\nUSET a 1 b\nKEYLEN a\nDBSIZE\nFLUSHDB\n",
		"!status\n!save\n!snapshots\n!dump\nMKSNAP\nMKSNAP x\nMKSNAP ..\n",
		"!dump out.sky\n!dump out.sky\n!dump --force out.sky\n",
		"SET \"a\\\n b\" c\\\nd\nGET \"\\x1b]2;title\\x07\"\n",
		"!\x1b]2;x\x07\n\"\\x1b[31m\" a\n",
		"exit\nSET after 1\n",
		"SET k \"unterminated\n# comment\n\n",
	} {
		f.Add(seed, false)
	}
	f.Add("SET a 1\nMKSNAP snap\n!save\n!dump d.sky\n", true)
	f.Fuzz(func(t *testing.T, script string, withDir bool) {
		if writesOutside(script) {
			t.Skip("!dump to a path that leaves the test's directory")
		}
		t.Chdir(t.TempDir()) // !dump FILE writes here
		var stderrs [3]string
		var failed [3]bool
		for i, format := range []render.Format{render.Human, render.Raw, render.JSON} {
			out, errs, fail := runScript(t, script, format, withDir)
			stderrs[i], failed[i] = errs, fail
			checkStderr(t, script, errs)
			switch format {
			case render.Human:
				checkPrintable(t, script, out)
			case render.JSON:
				checkJSONLines(t, script, out)
			}
		}
		if stderrs[0] != stderrs[1] || stderrs[1] != stderrs[2] {
			t.Fatalf("script %q: stderr differs by format:\nhuman %q\nraw   %q\njson  %q", script, stderrs[0], stderrs[1], stderrs[2])
		}
		if failed[0] != failed[1] || failed[1] != failed[2] {
			t.Fatalf("script %q: Failed() by format (human, raw, json) = %v", script, failed)
		}
	})
}

// runScript runs script through a fresh shell and returns its stdout,
// stderr and Failed(). With withDir the engine has a data directory, and
// the store is checked to come back whole after Close.
func runScript(t *testing.T, script string, format render.Format, withDir bool) (string, string, bool) {
	t.Helper()
	e := engine.New()
	dir := ""
	if withDir {
		dir = t.TempDir()
		var err error
		if e, err = engine.Open(dir, engine.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs bytes.Buffer
	sh := repl.New(repl.Config{Store: e, Out: &out, Err: &errs, Format: format})
	if err := sh.RunBatch(strings.NewReader(script)); err != nil {
		t.Fatalf("script %q: RunBatch: %v", script, err)
	}
	if withDir {
		want := dumpOf(t, e)
		// Every answer has been written out, so every write is in the
		// journal: the files as they are now are what kill -9 would leave,
		// and they must load into the same store.
		crashed := copyFiles(t, dir)
		if err := e.Close(nil); err != nil {
			t.Fatalf("script %q: Close: %v", script, err)
		}
		back, err := engine.Open(dir, engine.Options{})
		if err != nil {
			t.Fatalf("script %q: reopen: %v", script, err)
		}
		if got := dumpOf(t, back); got != want {
			t.Fatalf("script %q: store after reopening differs:\n got %q\nwant %q", script, got, want)
		}
		back.Close(nil)
		after, err := engine.Open(crashed, engine.Options{})
		if err != nil {
			t.Fatalf("script %q: open after a crash: %v", script, err)
		}
		if got := dumpOf(t, after); got != want {
			t.Fatalf("script %q: store after a crash differs:\n got %q\nwant %q", script, got, want)
		}
		after.Close(nil)
	}
	return out.String(), errs.String(), sh.Failed()
}

// copyFiles copies the files of the data directory dir (not its
// subdirectories) into a new directory, as they are at this moment.
func copyFiles(t *testing.T, dir string) string {
	t.Helper()
	to := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		if !ent.Type().IsRegular() || ent.Name() == "skysh.lock" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, ent.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// dumpOf is every pair of e, sorted, as one string.
func dumpOf(t *testing.T, e *engine.Engine) string {
	t.Helper()
	var b strings.Builder
	err := e.RangeSorted(func(k, v string) error {
		b.WriteString(repl.Join([]string{k, v}) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// writesOutside reports whether a logical line of script is a !dump to a
// path with a separator, which could write anywhere on this machine. Lines
// are joined the way the batch loop joins them.
func writesOutside(script string) bool {
	var joined string
	for _, phys := range strings.Split(script, "\n") {
		phys = strings.TrimSuffix(phys, "\r")
		body, more := repl.Continues(phys)
		joined += body
		if more {
			continue
		}
		args, err := repl.Tokenize(joined)
		joined = ""
		if err != nil || len(args) < 2 || !strings.EqualFold(args[0], "!dump") {
			continue
		}
		for _, a := range args[1:] {
			if strings.ContainsRune(a, '/') || strings.HasPrefix(a, "..") {
				return true
			}
		}
	}
	return false
}

func checkStderr(t *testing.T, script, errs string) {
	t.Helper()
	after := false // a `line N: …` came before: a syntax error's caret may follow, indented
	for _, line := range strings.SplitAfter(errs, "\n") {
		if line == "" {
			continue
		}
		indented := after && strings.HasPrefix(line, "  ")
		if !(strings.HasPrefix(line, "line ") || indented) || !strings.HasSuffix(line, "\n") {
			t.Fatalf("script %q: stderr line %q is not `line N: …` or the caret under one", script, line)
		}
		after = true
		checkPrintable(t, script, line)
	}
}

// checkPrintable fails if s holds a control byte other than a newline.
func checkPrintable(t *testing.T, script, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\n') || c == 0x7f {
			t.Fatalf("script %q: output holds control byte %#x: %q", script, c, s)
		}
	}
	for _, r := range s {
		if r >= 0x80 && r < 0xa0 {
			t.Fatalf("script %q: output holds C1 control %U: %q", script, r, s)
		}
	}
}

func checkJSONLines(t *testing.T, script, out string) {
	t.Helper()
	for _, line := range strings.SplitAfter(out, "\n") {
		if line == "" {
			continue
		}
		if !json.Valid([]byte(line)) || !strings.HasSuffix(line, "\n") {
			t.Fatalf("script %q: JSON output line %q is not one JSON value", script, line)
		}
	}
}
