package main

import (
	"bufio"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// answerTimeout bounds the wait for one answer. An answer that skysh keeps
// in its buffer never comes, and the test fails after this long instead of
// hanging.
const answerTimeout = 10 * time.Second

// coprocess is skysh driven through pipes, one query at a time, the way a
// program that uses it as a coprocess does.
type coprocess struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout chan string // lines, closed at end of output
	stderr chan string
}

func startCoprocess(t *testing.T, args ...string) *coprocess {
	t.Helper()
	cmd := exec.Command(skyshBinary(t), append([]string{"-d", t.TempDir()}, args...)...)
	cmd.Env = binaryEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &coprocess{
		t: t, cmd: cmd, stdin: stdin,
		stdout: lines(stdout), stderr: lines(stderr),
	}
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		c.stdin.Close()
	})
	return c
}

// lines sends each line read from r (without its newline) on the channel it
// returns, and closes it at EOF.
func lines(r io.Reader) chan string {
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			if line != "" {
				ch <- strings.TrimSuffix(line, "\n")
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}

// send writes one line of input.
func (c *coprocess) send(line string) {
	c.t.Helper()
	if _, err := io.WriteString(c.stdin, line+"\n"); err != nil {
		c.t.Fatalf("writing %q: %v", line, err)
	}
}

// line waits for the next line of stream (which names it in messages) after
// query was sent, and fails the test if the stream ends or stays silent:
// an answer not flushed before skysh waited for input never arrives.
func (c *coprocess) line(stream chan string, name, query, want string) string {
	c.t.Helper()
	got, ok := next(stream)
	switch {
	case !ok:
		c.t.Fatalf("after %q: %s ended, want %q", query, name, want)
	case got == timedOut:
		c.t.Fatalf("after %q: nothing on %s within %v, want %q: the answer was not flushed before skysh waited for input", query, name, answerTimeout, want)
	}
	return got
}

// expect waits for the next lines of stdout and requires them to be want.
func (c *coprocess) expect(query string, want ...string) {
	c.t.Helper()
	for _, w := range want {
		if got := c.line(c.stdout, "stdout", query, w); got != w {
			c.t.Fatalf("after %q: got %q, want %q", query, got, w)
		}
	}
}

// expectErr waits for the next line of stderr and requires it to be want.
func (c *coprocess) expectErr(query, want string) {
	c.t.Helper()
	if got := c.line(c.stderr, "stderr", query, want); got != want {
		c.t.Fatalf("after %q: stderr %q, want %q", query, got, want)
	}
}

// ask sends one query and requires its answer lines.
func (c *coprocess) ask(query string, want ...string) {
	c.t.Helper()
	c.send(query)
	c.expect(query, want...)
}

// timedOut is what next returns when nothing came in time; skysh never
// prints NUL bytes, so it cannot be a real line.
const timedOut = "\x00timed out"

func next(ch chan string) (string, bool) {
	select {
	case line, ok := <-ch:
		return line, ok
	case <-time.After(answerTimeout):
		return timedOut, true
	}
}

// quiet requires that nothing more arrives on stdout for a moment: the
// lines sent so far have no answer.
func (c *coprocess) quiet(after string) {
	c.t.Helper()
	select {
	case line, ok := <-c.stdout:
		if ok {
			c.t.Fatalf("after %q: unexpected output %q", after, line)
		}
		c.t.Fatalf("after %q: stdout ended", after)
	case <-time.After(100 * time.Millisecond):
	}
}

// finish closes stdin and requires skysh to exit with status want, with
// nothing more on stdout or stderr.
func (c *coprocess) finish(want int) {
	c.t.Helper()
	c.stdin.Close()
	c.exit(want)
}

// exit requires skysh to end its output and exit with status want, with
// nothing more on stdout or stderr.
func (c *coprocess) exit(want int) {
	c.t.Helper()
	for _, line := range c.drain() {
		c.t.Errorf("unexpected stderr line at exit: %q", line)
	}
	if got := c.status(); got != want {
		c.t.Fatalf("skysh exited with status %d, want %d", got, want)
	}
}

// drain reads stdout and stderr to their end, failing the test on any
// stdout line or if either stays open, and returns the stderr lines.
func (c *coprocess) drain() []string {
	c.t.Helper()
	var stderr []string
	for name, ch := range map[string]chan string{"stdout": c.stdout, "stderr": c.stderr} {
		for line, ok := next(ch); ok; line, ok = next(ch) {
			switch {
			case line == timedOut:
				c.t.Fatalf("%s still open %v after stdin was closed", name, answerTimeout)
			case name == "stdout":
				c.t.Errorf("unexpected stdout line at exit: %q", line)
			default:
				stderr = append(stderr, line)
			}
		}
	}
	return stderr
}

// status waits for skysh to exit and returns its exit status.
func (c *coprocess) status() int {
	c.t.Helper()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(answerTimeout):
		c.t.Fatalf("skysh did not exit within %v of the end of its input", answerTimeout)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		c.t.Fatalf("waiting for skysh: %v", err)
	}
	return 0
}

// TestCoprocess writes one query at a time and reads its answer before
// writing the next: each answer must be flushed before skysh waits for more
// input, or the test times out.
func TestCoprocess(t *testing.T) {
	t.Parallel()
	c := startCoprocess(t)
	c.ask("HEYA", "HEY!")
	c.ask("SET k v", "(Okay)")
	c.ask("GET k", "v")
	c.ask("MGET k missing", "v", "(Nil)")
	c.ask("GET missing", "(Nil)")

	// Lines without an answer give nothing; the next query still gets its own.
	c.send("# a comment")
	c.send("")
	c.quiet("a comment and a blank line")
	c.ask("DBSIZE", "1")

	// A continued line waits for its continuation, then answers once.
	c.send(`SET long \`)
	c.quiet("a continued line")
	c.ask(`"a b"`, "(Okay)")
	c.ask("GET long", "a b")

	// A query and the first half of a continued one, in one write: the
	// answer to the first comes while skysh waits for the second half.
	c.send("SET pair 1\nSET half \\")
	c.expect("SET pair 1", "(Okay)")
	c.ask("2", "(Okay)")
	c.ask("MGET pair half", "1", "2")

	// A failure goes to stderr, at once, with its line number, and nothing
	// to stdout; the shell carries on.
	c.send("SET k again")
	c.expectErr("SET k again", "line 16: Overwrite Error (code 2): the key exists; UPDATE or USET replace it")
	c.quiet("a failed SET")
	c.send(`SET "open`)
	c.expectErr(`SET "open`, `line 17: unterminated double quote at column 5: no closing " after it`)
	c.expectErr(`SET "open`, `  SET "open`)
	c.expectErr(`SET "open`, `      ^`)
	c.ask("GET k", "v")
	c.ask("EXISTS k long", "2")

	c.finish(1)
}

// TestCoprocessJSON is TestCoprocess with --json: one JSON line per query,
// failures included, each flushed before skysh reads on.
func TestCoprocessJSON(t *testing.T) {
	t.Parallel()
	c := startCoprocess(t, "--json")
	c.ask("HEYA", `"HEY!"`)
	c.ask("SET k v", `{"code":0,"message":"Okay"}`)
	c.ask("GET k", `"v"`)
	c.ask("MGET k missing", `["v",{"code":1,"message":"Nil"}]`)
	c.send("# a comment")
	c.quiet("a comment")
	c.ask("DBSIZE", "1")
	c.ask("SET k again", `{"code":2,"message":"Overwrite Error"}`)
	c.expectErr("SET k again", "line 7: Overwrite Error (code 2): the key exists; UPDATE or USET replace it")
	c.ask(`SET "open`, `{"error":"unterminated double quote at column 5: no closing \" after it"}`)
	c.expectErr(`SET "open`, `line 8: unterminated double quote at column 5: no closing " after it`)
	c.expectErr(`SET "open`, `  SET "open`)
	c.expectErr(`SET "open`, `      ^`)
	c.ask("NOSUCH", `{"error":"Unknown action"}`)
	c.expectErr("NOSUCH", "line 9: Unknown action: no action is called NOSUCH (!help lists them all)")
	c.ask("GET k", `"v"`)
	c.finish(1)
}

// TestCoprocessExit: exit ends the session at once, status 0, while stdin
// is still open.
func TestCoprocessExit(t *testing.T) {
	t.Parallel()
	c := startCoprocess(t)
	c.ask("SET k v", "(Okay)")
	c.send("exit")
	c.exit(0)
}
