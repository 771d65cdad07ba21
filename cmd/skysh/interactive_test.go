package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// screenTimeout bounds every wait for the terminal to show something.
const screenTimeout = 15 * time.Second

// terminal is skysh running at a real terminal: a detached tmux session of a
// fixed size on a private server. A wrapper shell records `stty -a` before
// and after skysh, and skysh's exit status, in files in dir, then waits so
// that the pane stays.
type terminal struct {
	t      *testing.T
	socket string
	dir    string // the wrapper's files: before, after, status, pid, hist
	data   string // skysh's data directory
}

// startTerminal starts skysh in tmux. It skips the test when tmux is
// missing, unless CI is set: CI must run these tests.
// args are extra flags for skysh.
func startTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	return startTerminalWith(t, "", "", args...)
}

// startTerminalRedirected is startTerminal with skysh's stdout redirected
// to the file stdout in its directory.
func startTerminalRedirected(t *testing.T, stdout string, args ...string) *terminal {
	t.Helper()
	return startTerminalWith(t, stdout, "", args...)
}

// startTerminalWith is startTerminal with skysh's stdout redirected to the
// file stdout in its directory, when stdout is not "", and PAGER set to
// pager, when it is not "".
func startTerminalWith(t *testing.T, stdout, pager string, args ...string) *terminal {
	t.Helper()
	return startTerminalIn(t, t.TempDir(), stdout, pager, args...)
}

// startTerminalIn is startTerminalWith in the directory dir, which may
// hold files skysh finds at its start (hist, its history).
func startTerminalIn(t *testing.T, dir, stdout, pager string, args ...string) *terminal {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("tmux is not installed")
		}
		t.Fatalf("tmux is required when CI is set: %v", err)
	}
	bin := skyshBinary(t)
	term := &terminal{
		t:      t,
		socket: fmt.Sprintf("skysh-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-")),
		dir:    dir,
		data:   filepath.Join(dir, "data"),
	}
	// The inner sh writes its pid and execs skysh, so the pid is skysh's and
	// skysh runs in the foreground of the terminal.
	wrapper := fmt.Sprintf(`cd %[1]s || exit 1
unset NO_COLOR TMUX PAGER
%[6]s
export HOME=%[1]s TERM=xterm-256color SKYSH_HISTFILE=%[1]s/hist GORACE=atexit_sleep_ms=0
stty -a > before.tmp && mv before.tmp before
sh -c 'echo $$ > pid.tmp && mv pid.tmp pid && exec "$0" "$@"' %[2]s -d %[3]s %[4]s %[5]s
echo $? > status.tmp
stty -a > after
mv status.tmp status
exec sleep 600
`, shellQuote(dir), shellQuote(bin), shellQuote(term.data), quoteAll(args), redirect(stdout), exportPager(pager))
	script := filepath.Join(dir, "wrap.sh")
	if err := os.WriteFile(script, []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tmux, "-L", term.socket, "-f", "/dev/null",
		"new-session", "-d", "-x", "120", "-y", "40", "sh "+shellQuote(script))
	cmd.Env = tmuxEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screen at failure:\n%s", term.screen())
		}
		exec.Command(tmux, "-L", term.socket, "kill-server").Run()
	})
	return term
}

// tmuxEnv is the environment for tmux commands: outside any tmux the
// tests themselves may run in.
func tmuxEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") && !strings.HasPrefix(kv, "TMUX_PANE=") {
			env = append(env, kv)
		}
	}
	return env
}

// exportPager is the shell line that sets PAGER, or nothing.
func exportPager(pager string) string {
	if pager == "" {
		return ""
	}
	return "export PAGER=" + shellQuote(pager)
}

// redirect is the shell redirection of stdout to file, or nothing.
func redirect(file string) string {
	if file == "" {
		return ""
	}
	return "> " + shellQuote(file)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func quoteAll(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return strings.Join(quoted, " ")
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...)
	cmd.Env = tmuxEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typeText types text literally, as one burst.
func (term *terminal) typeText(text string) {
	term.t.Helper()
	term.tmux("send-keys", "-t", "0", "-l", text)
}

// press sends keys by tmux name: Enter, Tab, C-d, ….
func (term *terminal) press(keys ...string) {
	term.t.Helper()
	term.tmux(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// screen is the visible pane as text, without colours, with trailing spaces
// and blank lines dropped: an empty prompt reads "skysh>".
func (term *terminal) screen() string {
	cmd := exec.Command("tmux", "-L", term.socket, "capture-pane", "-p", "-t", "0")
	cmd.Env = tmuxEnv()
	out, err := cmd.Output()
	if err != nil {
		return fmt.Sprintf("(capture-pane failed: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), " \n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// colouredScreen is the visible pane with its colours as escape sequences.
func (term *terminal) colouredScreen() string {
	return term.tmux("capture-pane", "-p", "-e", "-t", "0")
}

// waitFor polls the screen until it matches pattern (a regexp, multi-line
// mode) and returns it, or fails the test after timeout.
func (term *terminal) waitFor(pattern string, timeout time.Duration) string {
	term.t.Helper()
	re := regexp.MustCompile("(?m)" + pattern)
	deadline := time.Now().Add(timeout)
	for {
		s := term.screen()
		if re.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the screen did not show %q within %v; it shows:\n%s", pattern, timeout, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForFile waits for the wrapper to write name and returns its contents.
func (term *terminal) waitForFile(name string, timeout time.Duration) string {
	term.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b, err := os.ReadFile(filepath.Join(term.dir, name))
		if err == nil {
			return string(b)
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("%s was not written within %v; the screen shows:\n%s", name, timeout, term.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// run types a line, presses Enter and waits for the line and its answer.
// Before Enter the line may show a hint of the arguments still to come
// after it; after Enter it must be gone.
func (term *terminal) run(line, answer string) {
	term.t.Helper()
	term.typeText(line)
	term.waitFor(`^skysh> `+regexp.QuoteMeta(line)+`( [^\n]*)?$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> `+regexp.QuoteMeta(line)+`\n`+answer+`\nskysh>$`, screenTimeout)
}

// exited waits for skysh to end and checks its status and that the
// terminal's settings are as they were before it started.
func (term *terminal) exited(wantStatus int) {
	term.t.Helper()
	status := strings.TrimSpace(term.waitForFile("status", screenTimeout))
	if status != strconv.Itoa(wantStatus) {
		term.t.Errorf("skysh exited with status %s, want %d", status, wantStatus)
	}
	before := term.waitForFile("before", time.Second)
	after := term.waitForFile("after", time.Second)
	if before != after {
		term.t.Errorf("terminal settings not restored:\nbefore: %s\nafter:  %s", before, after)
	}
}

// TestInteractive types at skysh in a real terminal: greeting, queries and
// their human answers, completion, inline errors, ?ACTION, a pasted burst
// of lines, history, and Ctrl-D leaving with the terminal restored.
func TestInteractive(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh \d+\.\d+\.\d+: 0 keys in `+regexp.QuoteMeta(term.data)+`\nType !help for help, \?ACTION for one action, exit or Ctrl-D to leave\.\nskysh>$`, screenTimeout)

	term.run("SET greeting hello", `\(Okay\)`)
	term.run("GET greeting", `"hello"`)

	// Completion: DBSI, Tab → DBSIZE (with its description in a menu), Enter
	// runs it. Wait for each key's effect, as a person would.
	term.typeText("DBSI")
	term.waitFor(`^skysh> DBSI$`, screenTimeout)
	term.press("Tab")
	term.waitFor(`^skysh> DBSIZE\n +DBSIZE +the number of keys$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> DBSIZE\n\(integer\) 1\nskysh>$`, screenTimeout)

	// Errors are shown inline and the shell goes on.
	term.run("FROB x", `\(error\) Unknown action\nhint: no action is called FROB \(!help lists them all\)`)
	term.run("SETT a b", `\(error\) Unknown action\nhint: no action is called SETT; did you mean SET\? \(!help lists them all\)`)
	term.run("SET greeting again", `\(Overwrite Error\)\nhint: the key exists; UPDATE or USET replace it`)
	term.run("GET", `\(Action Error\) GET takes 1 argument: GET key`)
	term.run("help get", `GET key\n  the value of key, or code 1 \(Nil\)\n  example: GET user:1`)
	term.run(`SET "open`, `\(error\) unterminated double quote at column 5: no closing " after it\n  SET "open\n      \^`)

	// ?ACTION shows the syntax and an example.
	term.run("?GET", `GET key\n  the value of key, or code 1 \(Nil\)\n  example: GET user:1`)

	// A pasted burst of two lines runs both.
	term.typeText("SET p1 a\rSET p2 b\r")
	term.waitFor(`^skysh> SET p1 a\n\(Okay\)\nskysh> SET p2 b\n\(Okay\)\nskysh>$`, screenTimeout)
	term.run("GET p2", `"b"`)
	term.run("EXISTS p1 p2", `\(integer\) 2`)

	// A line ending in a backslash continues at a "...>" prompt.
	term.typeText(`MSET c1 x \`)
	term.waitFor(`^skysh> MSET c1 x \\$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> MSET c1 x \\\n   \.\.\.>$`, screenTimeout)
	term.typeText("c2 y")
	term.waitFor(`^   \.\.\.> c2 y$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^   \.\.\.> c2 y\n\(integer\) 2\nskysh>$`, screenTimeout)
	// History holds the continued query whole: Up recalls it as one line.
	term.press("Up")
	term.waitFor(`^skysh> MSET c1 x c2 y \[key value \.\.\.\]$`, screenTimeout) // with the hint of what may follow
	term.press("Up")
	term.waitFor(`^skysh> EXISTS p1 p2$`, screenTimeout)
	term.press("C-e")
	term.press("C-u")
	term.waitFor(`^skysh>$`, screenTimeout)

	// Ctrl-D leaves, status 0, terminal restored.
	term.press("C-d")
	term.exited(0)

	// History: every line entered, in order, in a file only its owner can read.
	hist := filepath.Join(term.dir, "hist")
	b, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"SET greeting hello", "GET greeting", "DBSIZE", "FROB x", "SETT a b", "SET greeting again", "GET", "help get", `SET "open`, "?GET",
		"SET p1 a", "SET p2 b", "GET p2", "EXISTS p1 p2", "MSET c1 x c2 y", "",
	}, "\n")
	if got := string(b); got != want {
		t.Errorf("history file:\n%s\nwant:\n%s", got, want)
	}
	fi, err := os.Stat(hist)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("history file mode %v, want 0600", got)
	}

	// What was typed was saved when skysh left.
	assertStored(t, term.data, "EXISTS greeting p1 p2 c1 c2", "5\n")
}

// TestInteractiveSIGTERM: SIGTERM at the prompt ends skysh, with the
// terminal's settings restored and what was written saved.
func TestInteractiveSIGTERM(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET k v", `\(Okay\)`)
	// Leave a half-typed line at the prompt, with the completion menu open.
	term.typeText("GE")
	term.waitFor(`^skysh> GE$`, screenTimeout)

	pid, err := strconv.Atoi(strings.TrimSpace(term.waitForFile("pid", screenTimeout)))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	term.exited(128 + int(syscall.SIGTERM))
	assertStored(t, term.data, "GET k", "v\n")
}

// assertStored runs one query with skysh -e on the data directory that an
// interactive session left, and checks its raw answer.
func assertStored(t *testing.T, data, query, want string) {
	t.Helper()
	cmd := exec.Command(skyshBinary(t), "-d", data, "-e", query)
	cmd.Env = binaryEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("skysh -e %q after the session: %v", query, err)
	}
	if string(out) != want {
		t.Errorf("skysh -e %q after the session: got %q, want %q", query, out, want)
	}
}

// TestInteractivePoisonedPrompt: when a BGSAVE fails, the prompt turns red
// and says poisoned without the user pressing a key, writes are refused, and
// the prompt comes back once a save succeeds.
func TestInteractivePoisonedPrompt(t *testing.T) {
	t.Parallel()
	term := startTerminal(t, "-S", "1")
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET a 1", `\(Okay\)`)

	// The fault: a directory where data.bin must be renamed.
	dataFile := filepath.Join(term.data, "data.bin")
	if err := os.Remove(dataFile); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dataFile, 0o755); err != nil {
		t.Fatal(err)
	}
	term.waitFor(`^skysh \(poisoned\)>$`, screenTimeout)
	red := regexp.MustCompile(`\x1b\[[0-9;]*\b(31|91)(;[0-9;]*)?m[^\n]*skysh \(poisoned\)>`)
	if screen := term.colouredScreen(); !red.MatchString(screen) {
		t.Fatalf("the poisoned prompt is not drawn in red:\n%q", screen)
	}
	term.typeText("SET b 2")
	term.press("Enter")
	term.waitFor(`^\(Server Error\) store is poisoned`, screenTimeout)
	term.typeText("GET a")
	term.press("Enter")
	term.waitFor(`^skysh \(poisoned\)> GET a\n"1"\nskysh \(poisoned\)>$`, screenTimeout)

	if err := os.Remove(dataFile); err != nil {
		t.Fatal(err)
	}
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET b 2", `\(Okay\)`)
	term.press("C-d")
	term.exited(0)
	assertStored(t, term.data, "MGET a b", "1\n2\n")
}

// TestInteractiveCtrlCDropsContinuedQuery: Ctrl-C at the "...>" prompt
// drops the whole unfinished query, not only the line being typed: the next
// line runs on its own, and the prompt is "skysh>" again at once.
func TestInteractiveCtrlCDropsContinuedQuery(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET k v", `\(Okay\)`)
	term.typeText(`DEL k \`)
	term.waitFor(`^skysh> DEL k \\$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^   \.\.\.>$`, screenTimeout)
	term.typeText("half")
	term.waitFor(`^   \.\.\.> half$`, screenTimeout)
	term.press("C-c")
	term.waitFor(`^   \.\.\.> half\nskysh>$`, screenTimeout)
	term.run("GET k", `"v"`)
	term.press("C-d")
	term.exited(0)
	assertStored(t, term.data, "GET k", "v\n")
}

// TestInteractiveLeavesTitle: the terminal window's title is as it was
// while skysh runs queries and after it leaves; go-prompt once blanked it
// after every line.
func TestInteractiveLeavesTitle(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.tmux("select-pane", "-t", "0", "-T", "my work")
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET k v", `\(Okay\)`)
	if got := strings.TrimSpace(term.tmux("display-message", "-p", "-t", "0", "#{pane_title}")); got != "my work" {
		t.Errorf("title after a query = %q, want %q", got, "my work")
	}
	term.press("C-d")
	term.exited(0)
	if got := strings.TrimSpace(term.tmux("display-message", "-p", "-t", "0", "#{pane_title}")); got != "my work" {
		t.Errorf("title after skysh left = %q, want %q", got, "my work")
	}
}

// TestInteractiveWordKeys: Alt-B, Alt-F, Alt-Left, Ctrl-Right and
// Alt-Backspace move and delete by word, and an escape sequence skysh does
// not know is ignored, never inserted as text.
func TestInteractiveWordKeys(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)

	term.typeText("SET ab cd")
	term.waitFor(`^skysh> SET ab cd$`, screenTimeout)
	term.press("M-b")
	term.press("M-b")
	term.typeText("Z")
	term.waitFor(`^skysh> SET Zab cd$`, screenTimeout)
	term.press("M-f")
	term.typeText("Y")
	term.waitFor(`^skysh> SET ZabY cd$`, screenTimeout)
	term.press("M-Left")
	term.press("C-Right")
	term.press("C-Right")
	term.typeText("W")
	term.waitFor(`^skysh> SET ZabY cdW$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> SET ZabY cdW\n\(Okay\)\nskysh>$`, screenTimeout)

	term.typeText("GET ZabY xyz")
	term.waitFor(`^skysh> GET ZabY xyz$`, screenTimeout)
	term.press("M-BSpace")
	term.waitFor(`^skysh> GET ZabY ?$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> GET ZabY ?\n"cdW"\nskysh>$`, screenTimeout)

	// Words of characters longer than a byte: a word is counted in
	// characters, never in bytes.
	term.typeText("SET 日本 é😀")
	term.waitFor(`^skysh> SET 日本 é😀$`, screenTimeout)
	term.press("M-b")
	term.typeText("a")
	term.waitFor(`^skysh> SET 日本 aé😀$`, screenTimeout)
	term.press("C-Left", "C-Left")
	term.typeText("b")
	term.waitFor(`^skysh> SET b日本 aé😀$`, screenTimeout)
	term.press("M-f", "M-Right")
	term.typeText("c")
	term.waitFor(`^skysh> SET b日本 aé😀c$`, screenTimeout)
	term.press("M-b", "M-f")
	term.typeText("d")
	term.waitFor(`^skysh> SET b日本 aé😀cd$`, screenTimeout)
	term.press("M-BSpace")
	term.waitFor(`^skysh> SET b日本 value$`, screenTimeout)
	term.cursorAt(len("skysh> SET b") + 4 + 1)
	term.press("M-BSpace")
	term.waitFor(`^skysh> SET key value$`, screenTimeout)
	term.cursorAt(len("skysh> SET "))
	term.press("C-u")
	term.waitFor(`^skysh>$`, screenTimeout)

	// Shift-Alt-Left and an F-key with modifiers: no key skysh knows.
	term.typeText("\x1b[1;4D\x1b[15;2~HEYA")
	term.waitFor(`^skysh> HEYA$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> HEYA\n"HEY!"\nskysh>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}

// TestInteractiveHistorySearch: Ctrl-R finds earlier queries by substring,
// newest first, in any case; Ctrl-R again goes further back; Enter runs
// what was found; Ctrl-G puts the line back; another key leaves the search
// with the entry on the line to edit.
func TestInteractiveHistorySearch(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("SET user:1 ada", `\(Okay\)`)
	term.run("SET user:2 bob", `\(Okay\)`)
	term.run("DBSIZE", `\(integer\) 2`)

	term.press("C-r")
	term.waitFor("^\\(reverse-i-search\\)`': ?$", screenTimeout)
	term.typeText("USER")
	term.waitFor("^\\(reverse-i-search\\)`USER': SET user:2 bob$", screenTimeout)
	term.press("C-r")
	term.waitFor("^\\(reverse-i-search\\)`USER': SET user:1 ada$", screenTimeout)
	term.press("BSpace")
	term.waitFor("^\\(reverse-i-search\\)`USE': SET user:2 bob$", screenTimeout)
	term.typeText("Rx")
	term.waitFor("^\\(failing reverse-i-search\\)`USERx': SET user:2 bob$", screenTimeout)
	term.press("C-g")
	term.waitFor(`^skysh>$`, screenTimeout)

	term.press("C-r")
	term.typeText("user:1")
	term.waitFor("^\\(reverse-i-search\\)`user:1': SET user:1 ada$", screenTimeout)
	// Enter runs the entry found, echoed after the ready prompt: no piece
	// of the search's longer prompt is left before it.
	term.press("Enter")
	term.waitFor(`^skysh> SET user:1 ada\n\(Overwrite Error\)\nhint: [^\n]*\nskysh>$`, screenTimeout)

	// Ctrl-C gives up the search and the line, as at any prompt; at
	// "...>" it drops the unfinished query.
	term.press("C-r")
	term.typeText("DB")
	term.waitFor("^\\(reverse-i-search\\)`DB': DBSIZE$", screenTimeout)
	term.press("C-c")
	term.waitFor(`^skysh> DBSIZE\nskysh>$`, screenTimeout)
	term.typeText(`GET \`)
	term.press("Enter")
	term.waitFor(`^   \.\.\.>$`, screenTimeout)
	term.press("C-r")
	term.typeText("DB")
	term.waitFor("^\\(reverse-i-search\\)`DB': DBSIZE$", screenTimeout)
	term.press("C-c")
	term.waitFor(`^   \.\.\.> DBSIZE\nskysh>$`, screenTimeout)

	// A key that is not part of the search edits what was found.
	term.press("C-r")
	term.typeText("bob")
	term.waitFor("^\\(reverse-i-search\\)`bob': SET user:2 bob$", screenTimeout)
	term.press("C-a")
	term.press("C-d")
	term.typeText("U")
	term.waitFor(`^skysh> UET user:2 bob$`, screenTimeout)
	term.press("C-a")
	term.press("Right")
	term.typeText("S")
	term.waitFor(`^skysh> USET user:2 bob$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> USET user:2 bob\n\(integer\) 1\nskysh>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}

// TestInteractiveStdoutRedirected: `skysh > out.txt` at a terminal draws
// its greeting, prompt, echo and menus on the terminal, and writes only
// the answers to the file.
func TestInteractiveStdoutRedirected(t *testing.T) {
	t.Parallel()
	term := startTerminalRedirected(t, "out.txt")
	term.waitFor(`^skysh \d+\.\d+\.\d+: 0 keys in .*\nType !help`, screenTimeout)
	term.typeText("SET k v")
	term.waitFor(`^skysh> SET k v$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> SET k v\nskysh>$`, screenTimeout)
	term.typeText("GET k")
	term.waitFor(`^skysh> GET k$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> GET k\nskysh>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
	b, err := os.ReadFile(filepath.Join(term.dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "(Okay)\nv\n"; got != want {
		t.Errorf("out.txt holds %q, want only the answers %q", got, want)
	}
}

// TestInteractiveCompletesKeys: after an action that takes a key, Tab
// offers the existing keys with what was typed as their prefix; shell
// commands and ?ACTION complete as the first word.
func TestInteractiveCompletesKeys(t *testing.T) {
	t.Parallel()
	term := startTerminal(t)
	term.waitFor(`^skysh>$`, screenTimeout)
	term.run("MSET user:1 ada user:2 bob order:9 x", `\(integer\) 3`)

	term.typeText("GET us")
	term.waitFor(`^skysh> GET us\n +user:1 *\n +user:2 *$`, screenTimeout)
	term.press("Tab")
	term.waitFor(`^skysh> GET user:1\n`, screenTimeout)
	term.press("Tab")
	term.waitFor(`^skysh> GET user:2\n`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^skysh> GET user:2\n"bob"\nskysh>$`, screenTimeout)

	// The value of a pair is not a key: nothing is offered there.
	term.typeText("USET order:9 us")
	// go-prompt draws the line and its menu in one go.
	if screen := term.waitFor(`^skysh> USET order:9 us \[key value \.\.\.\]$`, screenTimeout); strings.Contains(screen[strings.LastIndex(screen, "USET"):], "user:1") {
		t.Errorf("a value was offered keys:\n%s", screen)
	}
	term.press("C-e")
	term.press("C-u")

	term.typeText("!ke")
	term.waitFor(`^skysh> !ke\n +!keys +keys matching a glob`, screenTimeout)
	term.press("C-u")
	term.typeText("?MG")
	term.waitFor(`^skysh> \?MG\n +\?MGET +syntax and an example of MGET`, screenTimeout)
	term.press("C-u")
	term.press("C-d")
	term.exited(0)
}

// TestInteractivePager: an answer longer than the screen goes through
// $PAGER (here a command that keeps what it got); a short one does not;
// !pager off shows long answers on the screen.
func TestInteractivePager(t *testing.T) {
	t.Parallel()
	term := startTerminalWith(t, "", "cat > paged.txt; echo paged")
	var script strings.Builder
	for i := range 60 {
		fmt.Fprintf(&script, "SET k%02d v\n", i)
	}
	if err := os.WriteFile(filepath.Join(term.dir, "keys.sky"), []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	term.waitFor(`^skysh>$`, screenTimeout)
	term.typeText("!read keys.sky")
	term.waitFor(`^skysh> !read keys.sky$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^paged\nskysh>$`, screenTimeout) // 60 answers: paged too
	term.run("!keys", "paged")
	paged := term.waitForFile("paged.txt", screenTimeout)
	if !strings.HasPrefix(paged, " 1) \"k00\"\n") || !strings.HasSuffix(paged, "60) \"k59\"\n60 of 60 keys match\n") {
		t.Errorf("the pager got %q", paged)
	}
	term.run("GET k07", `"v"`)
	term.run("!pager off", "pager off")
	term.typeText("!keys")
	term.waitFor(`^skysh> !keys$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`^60\) "k59"\n60 of 60 keys match\nskysh>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}

// TestInteractiveNoPager: with --no-pager a long answer is shown on the
// screen, and $PAGER never runs.
func TestInteractiveNoPager(t *testing.T) {
	t.Parallel()
	term := startTerminalWith(t, "", "cat > paged.txt; echo paged", "--no-pager")
	term.waitFor(`^skysh>$`, screenTimeout)
	term.typeText("MGET " + strings.Repeat("k ", 60))
	term.press("Enter")
	term.waitFor(`^│ "k" +│ \(Nil\) +│\n└`, screenTimeout)
	term.press("C-d")
	term.exited(0)
	if _, err := os.Stat(filepath.Join(term.dir, "paged.txt")); err == nil {
		t.Error("the pager ran with --no-pager")
	}
}

// TestInteractiveTablesFit: at the prompt a table is cut to the terminal's
// width (120 columns here), with a note saying how to see the values
// whole; !width off draws it whole.
func TestInteractiveTablesFit(t *testing.T) {
	t.Parallel()
	term := startTerminalWith(t, "", "", "--no-pager")
	term.waitFor(`^skysh>$`, screenTimeout)
	long := strings.Repeat("abcdefghij", 20)
	if err := os.WriteFile(filepath.Join(term.dir, "long.sky"), []byte("SET long "+long+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	term.run("!read long.sky", `\(Okay\)`)
	term.typeText("MGET long long")
	term.press("Enter")
	screen := term.waitFor(`^\(cut to fit the screen: GET key or --raw shows a value whole; !width off stops cutting\)\nskysh>$`, screenTimeout)
	for _, line := range strings.Split(screen, "\n") {
		if n := utf8.RuneCountInString(line); n > 120 {
			t.Errorf("a line of %d columns: %q", n, line)
		}
	}
	term.run("!width off", "width off")
	term.typeText("MGET long")
	term.waitFor(`^skysh> MGET long \[key \.\.\.\]$`, screenTimeout)
	term.press("Enter")
	term.waitFor(`abcdefghij" +│\n(?s).*─┘\nskysh>$`, screenTimeout)
	if screen := term.screen(); strings.Count(screen, "cut to fit") != 1 {
		t.Errorf("the table was cut with !width off:\n%s", screen)
	}
	term.press("C-d")
	term.exited(0)
}
