package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"skysh/data"
)

// Persistence seen from outside: a real skysh binary, built once per run of
// the tests, driven through pipes and signals, with data.bin checked by
// decoding it with package data. No assertion is about time: each wait
// polls for a state, and fails only after a deadline no healthy run comes
// near.

// persistDeadline bounds each wait for skysh.
const persistDeadline = 30 * time.Second

// persistBuilt is skysh, built once for the tests in this file and
// crash_test.go.
var persistBuilt struct {
	once sync.Once
	path string
	err  error
}

// persistSkysh returns the path of a skysh binary built from this module.
// It goes next to the test binary when that is in go test's work directory,
// which go test removes when the run ends; otherwise in a new temp dir.
func persistSkysh(t testing.TB) string {
	t.Helper()
	persistBuilt.once.Do(func() {
		exe, err := os.Executable()
		dir := filepath.Dir(exe)
		if err != nil || !strings.Contains(dir, "go-build") {
			if dir, err = os.MkdirTemp("", "skysh-persist-test-"); err != nil {
				persistBuilt.err = err
				return
			}
		}
		persistBuilt.path = filepath.Join(dir, "skysh-persist")
		out, err := exec.Command("go", "build", "-o", persistBuilt.path, "skysh/cmd/skysh").CombinedOutput()
		if err != nil {
			persistBuilt.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if persistBuilt.err != nil {
		t.Fatalf("cannot build skysh: %v", persistBuilt.err)
	}
	return persistBuilt.path
}

// persistEnv is the environment of skysh: the test's own with no history
// file and no colour, plus extra.
func persistEnv(extra ...string) []string {
	return append(os.Environ(), append([]string{"SKYSH_HISTFILE=", "NO_COLOR=1"}, extra...)...)
}

// persistRun runs skysh to completion with stdin as its input and returns
// its output and exit status.
func persistRun(t testing.TB, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	return persistRunEnv(t, nil, stdin, args...)
}

// persistRunEnv is persistRun with extra environment variables.
func persistRunEnv(t testing.TB, env []string, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), persistDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, persistSkysh(t), args...)
	cmd.Env = persistEnv(env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("skysh %q did not finish within %v; stderr:\n%s", args, persistDeadline, errOut.String())
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatalf("skysh %q: %v", args, err)
	}
	return out.String(), errOut.String(), status
}

// persistSyncBuffer collects what a process writes, for polling.
type persistSyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *persistSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *persistSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// persistProc is a skysh running with a stdin pipe the test writes to,
// stdout read line by line, and stderr collected.
type persistProc struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout chan string // closed at the end of output
	stderr *persistSyncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // from Wait, once done is closed
}

// persistStart starts skysh with args and extra environment variables.
func persistStart(t testing.TB, env []string, args ...string) *persistProc {
	t.Helper()
	return persistStartIn(t, "", env, args...)
}

// persistStartIn is persistStart with the working directory cwd ("" for the
// test's own).
func persistStartIn(t testing.TB, cwd string, env []string, args ...string) *persistProc {
	t.Helper()
	cmd := exec.Command(persistSkysh(t), args...)
	cmd.Dir = cwd
	cmd.Env = persistEnv(env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	// An os.Pipe of our own, not StdoutPipe: Wait must not close the read
	// side while lines are still being read from it.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	p := &persistProc{t: t, cmd: cmd, stdin: stdin, stdout: make(chan string, 1024), stderr: &persistSyncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	go func() {
		defer close(p.stdout)
		defer r.Close()
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return // a line without its newline is an answer cut short
			}
			p.stdout <- strings.TrimSuffix(line, "\n")
		}
	}()
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.stdin.Close()
		<-p.done
	})
	return p
}

// send writes one line to skysh.
func (p *persistProc) send(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		p.t.Fatalf("writing %q to skysh: %v", line, err)
	}
}

// answer returns the next line of stdout.
func (p *persistProc) answer(query string) string {
	p.t.Helper()
	select {
	case line, ok := <-p.stdout:
		if !ok {
			p.t.Fatalf("after %q: stdout ended; stderr:\n%s", query, p.stderr)
		}
		return line
	case <-time.After(persistDeadline):
		p.t.Fatalf("after %q: no answer within %v; stderr:\n%s", query, persistDeadline, p.stderr)
	}
	return ""
}

// ask sends a query and requires its one-line answer to be want.
func (p *persistProc) ask(query, want string) {
	p.t.Helper()
	p.send(query)
	if got := p.answer(query); got != want {
		p.t.Fatalf("%s answered %q, want %q; stderr:\n%s", query, got, want, p.stderr)
	}
}

// waitStderr polls stderr until it contains each of want.
func (p *persistProc) waitStderr(want ...string) {
	p.t.Helper()
	persistWaitFor(p.t, fmt.Sprintf("%q on stderr", want), func() bool {
		s := p.stderr.String()
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}, func() string { return "stderr:\n" + p.stderr.String() })
}

// exit waits for skysh to exit and returns its status.
func (p *persistProc) exit() int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(persistDeadline):
		p.t.Fatalf("skysh still running %v later; stderr:\n%s", persistDeadline, p.stderr)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(p.err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal())
		}
		return exit.ExitCode()
	case p.err != nil:
		p.t.Fatalf("waiting for skysh: %v", p.err)
	}
	return 0
}

// exited reports whether skysh exits within d (has exited, for 0).
func (p *persistProc) exited(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	default:
	}
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// signal sends sig to skysh.
func (p *persistProc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %v: %v", sig, err)
	}
}

// persistWaitFor polls cond until it holds, and fails the test with what
// show returns if it never does within persistDeadline.
func persistWaitFor(t testing.TB, what string, cond func() bool, show func() string) {
	t.Helper()
	deadline := time.Now().Add(persistDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s; %s", persistDeadline, what, show())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// persistDecode decodes a data file into a map.
func persistDecode(path string) (map[string]string, error) {
	m := make(map[string]string)
	err := data.ReadFile(path, func(uint64) {}, func(k, v string) error {
		if _, dup := m[k]; dup {
			return fmt.Errorf("key %q stored twice", k)
		}
		m[k] = v
		return nil
	})
	return m, err
}

// persistDirAtDataFile replaces data.bin in dir with a directory, which
// makes every save of it fail at the rename, root or not.
func persistDirAtDataFile(t testing.TB, dir string) {
	t.Helper()
	file := filepath.Join(dir, data.DataFileName)
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(file, 0o755); err != nil {
		t.Fatal(err)
	}
}

const (
	persistOkay = `{"code":0,"message":"Okay"}`
	persistNil  = `{"code":1,"message":"Nil"}`
)

// TestPersistCLIRoundTrip writes with one skysh and reads with the next.
func TestPersistCLIRoundTrip(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	stdout, stderr, status := persistRun(t, "SET a 1\nUSET b 2\nSET \"with space\" \"x\\x00y\"\n", "-d", dir)
	if status != 0 || stdout != "(Okay)\n1\n(Okay)\n" || stderr != "" {
		t.Fatalf("first run: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	m, err := persistDecode(filepath.Join(dir, data.DataFileName))
	if want := map[string]string{"a": "1", "b": "2", "with space": "x\x00y"}; err != nil || !maps.Equal(m, want) {
		t.Fatalf("data.bin after the first run: %q, %v; want %q", m, err, want)
	}

	stdout, stderr, status = persistRun(t, "", "-d", dir, "-e", "MGET a b", "-e", `KEYLEN "with space"`)
	if status != 0 || stdout != "1\n2\n3\n" || stderr != "" {
		t.Fatalf("second run: status %d, stdout %q, stderr %q; want the values 1, 2 and length 3", status, stdout, stderr)
	}
}

// TestPersistCLILock starts one skysh on a directory; a second on the same
// directory fails at once naming the first; once the first is killed with
// SIGKILL, which gives it no chance to clean up, a third starts.
func TestPersistCLILock(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	first := persistStart(t, nil, "-d", dir, "--json")
	first.ask("HEYA", `"HEY!"`) // the directory is open and locked

	_, stderr, status := persistRun(t, "", "-d", dir, "-e", "HEYA")
	if status != 1 || !strings.Contains(stderr, "in use") || !strings.Contains(stderr, fmt.Sprintf("pid %d", first.cmd.Process.Pid)) {
		t.Errorf("second skysh: status %d, stderr %q; want 1 and a message that the directory is in use by pid %d", status, stderr, first.cmd.Process.Pid)
	}

	first.signal(syscall.SIGKILL)
	if got := first.exit(); got != -int(syscall.SIGKILL) {
		t.Fatalf("first skysh ended with %d, want killed by SIGKILL", got)
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "SET after kill", "-e", "GET after")
	if status != 0 || stdout != "(Okay)\nkill\n" {
		t.Errorf("third skysh: status %d, stdout %q, stderr %q; want it to start and work", status, stdout, stderr)
	}
}

// TestPersistCLICorrupt damages data.bin in each way a disk or a person
// can: skysh must refuse to start, say which file, why, and how to go on,
// and leave the file exactly as it was.
func TestPersistCLICorrupt(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "data")
	script := "SET a 1\nSET long " + strings.Repeat("v", 1000) + "\nSET z 26\n"
	if _, stderr, status := persistRun(t, script, "-d", src); status != 0 {
		t.Fatalf("making data.bin: status %d, stderr %q", status, stderr)
	}
	good, err := os.ReadFile(filepath.Join(src, data.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0x10
		return b
	}
	newer := bytes.Clone(good)
	binary.LittleEndian.PutUint32(newer[8:12], data.Version+1)

	for _, c := range []struct {
		name string
		file []byte
		// reasons are what skysh may say: a length cut short by a
		// truncation is as likely a corrupt one, and the decoder says so.
		reasons []data.Reason
	}{
		{"byte flipped in a value", flip(len(good) / 2), []data.Reason{data.ErrChecksum}},
		{"byte flipped in the checksum", flip(len(good) - 1), []data.Reason{data.ErrChecksum}},
		{"byte flipped in the magic", flip(1), []data.Reason{data.ErrBadMagic}},
		{"truncated in an entry", good[:len(good)/2], []data.Reason{data.ErrTruncated, data.ErrCorrupt}},
		{"truncated in the checksum", good[:len(good)-1], []data.Reason{data.ErrTruncated}},
		{"truncated in the header", good[:10], []data.Reason{data.ErrTruncated}},
		{"empty", []byte{}, []data.Reason{data.ErrTruncated}},
		{"hello", []byte("hello"), []data.Reason{data.ErrBadMagic}},
		{"newer version", newer, []data.Reason{data.ErrNewerVersion}},
		{"data after the checksum", append(bytes.Clone(good), '\n'), []data.Reason{data.ErrTrailingData}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			file := filepath.Join(dir, data.DataFileName)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, c.file, 0o600); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, status := persistRun(t, "SET b 2\n", "-d", dir, "-S", "1")
			if status != 1 {
				t.Errorf("status %d, want 1", status)
			}
			if !strings.Contains(stderr, file) || !strings.Contains(stderr, "--restore") {
				t.Errorf("stderr does not name %s and --restore:\n%s", file, stderr)
			}
			// The path holds the test's name: look for the reason elsewhere.
			said := strings.ReplaceAll(stderr, file, "")
			if !slices.ContainsFunc(c.reasons, func(r data.Reason) bool { return strings.Contains(said, string(r)) }) {
				t.Errorf("stderr gives none of the reasons %q:\n%s", c.reasons, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing: no query may run", stdout)
			}
			if got, err := os.ReadFile(file); err != nil || !bytes.Equal(got, c.file) {
				t.Errorf("data.bin changed: %d bytes, %v; want the %d bytes it had", len(got), err, len(c.file))
			}
		})
	}
}

// TestPersistCLIPoison breaks BGSAVE under a running script: the script is
// told on stderr when writes start being refused and when they are
// accepted again, a write in between answers code 5, reads go on, and the
// next run finds every acknowledged write.
func TestPersistCLIPoison(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	file := filepath.Join(dir, data.DataFileName)
	p := persistStart(t, nil, "-d", dir, "-S", "1", "--json")
	p.ask("SET a 1", persistOkay)
	persistWaitFor(t, "BGSAVE to write a", func() bool {
		m, err := persistDecode(file)
		return err == nil && m["a"] == "1"
	}, func() string { return "stderr:\n" + p.stderr.String() })

	persistDirAtDataFile(t, dir)
	// Nothing was unsaved when the fault came, so no save has failed yet.
	p.ask("SET b 2", persistOkay)
	p.waitStderr("poisoned")

	p.send("SET c 3")
	if got := p.answer("SET c 3"); !strings.HasPrefix(got, `{"code":5,"message":"Server Error"`) || !strings.Contains(got, "poisoned") {
		t.Errorf("SET while poisoned answered %q, want code 5 saying poisoned", got)
	}
	p.ask("GET a", `"1"`)
	p.ask("MGET b c", `["2",`+persistNil+`]`)

	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	p.waitStderr("recovered")
	p.ask("SET d 4", persistOkay)
	p.stdin.Close()
	// The refused write failed the script.
	if got := p.exit(); got != 1 {
		t.Errorf("exit status %d, want 1 for the refused write; stderr:\n%s", got, p.stderr)
	}
	if s := p.stderr.String(); !strings.Contains(s, "line 3: ") || !strings.Contains(s, "code 5") {
		t.Errorf("stderr does not report line 3 as code 5:\n%s", s)
	}

	stdout, stderr, status := persistRun(t, "", "-d", dir, "--json", "-e", "MGET a b c d")
	if want := `["1","2",` + persistNil + `,"4"]` + "\n"; status != 0 || stdout != want {
		t.Errorf("after restart: status %d, stdout %q, stderr %q; want %q", status, stdout, stderr, want)
	}
}

// persistFillBinary sets 100 keys whose values hold NUL and 0xff bytes, and
// returns them.
func persistFillBinary(p *persistProc) map[string]string {
	p.t.Helper()
	want := make(map[string]string)
	for i := range 100 {
		k, v := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d\x00\xff", i)
		p.ask(fmt.Sprintf(`SET %s "%s"`, k, strings.ReplaceAll(strings.ReplaceAll(v, "\x00", `\x00`), "\xff", `\xff`)), "(Okay)")
		want[k] = v
	}
	return want
}

// giveUp sends SIGINTs to a skysh whose final save is failing until gaveUp
// holds, and fails the test if it holds before the third. The kernel merges
// a signal into one still pending, so three sent at once may arrive as one:
// they are sent apart, as a person presses keys.
func (p *persistProc) giveUp(gaveUp func() bool) {
	p.t.Helper()
	for sent := 1; ; sent++ {
		p.signal(syscall.SIGINT)
		deadline := time.Now().Add(300 * time.Millisecond)
		for !gaveUp() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if gaveUp() {
			if sent < 3 {
				p.t.Fatalf("skysh gave up after %d SIGINTs, want 3; stderr:\n%s", sent, p.stderr)
			}
			return
		}
		if p.exited(0) {
			p.t.Fatalf("skysh exited after %d SIGINTs without giving up as expected; stderr:\n%s", sent, p.stderr)
		}
		if sent == 30 {
			p.t.Fatalf("skysh did not give up after %d SIGINTs; stderr:\n%s", sent, p.stderr)
		}
	}
}

// rescueCopy fails the test unless dir holds exactly one rescue copy,
// named on stderr and holding want.
func (p *persistProc) rescueCopy(dir string, want map[string]string) {
	p.t.Helper()
	copies, err := filepath.Glob(filepath.Join(dir, "skysh-rescue-*.bin"))
	if err != nil || len(copies) != 1 {
		p.t.Fatalf("rescue copies in %s: %q, %v; want one; stderr:\n%s", dir, copies, err, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), copies[0]) {
		p.t.Errorf("stderr does not name the rescue copy %s:\n%s", copies[0], p.stderr)
	}
	m, err := persistDecode(copies[0])
	if err != nil || !maps.Equal(m, want) {
		p.t.Errorf("rescue copy holds %d keys (%v), want the %d written", len(m), err, len(want))
	}
}

// persistStartCornered starts skysh on dir with base/tmp as $TMPDIR and
// base/home as $HOME, both regular files that no rescue copy can go into,
// and base/cwd, a new directory, as its working directory; it sets 100 keys
// with persistFillBinary and returns them.
func persistStartCornered(t *testing.T, base, dir string) (*persistProc, map[string]string) {
	t.Helper()
	tmp, home, cwd := filepath.Join(base, "tmp"), filepath.Join(base, "home"), filepath.Join(base, "cwd")
	for _, file := range []string{tmp, home} {
		if err := os.WriteFile(file, []byte("not a directory\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	p := persistStartIn(t, cwd, []string{"TMPDIR=" + tmp, "HOME=" + home}, "-d", dir)
	return p, persistFillBinary(p)
}

// TestPersistCLIFinalSaveRescue makes the final save fail after SIGTERM:
// skysh says so and retries; three SIGINTs make it give up, write a rescue
// copy in the temp directory, print its path and exit 1. When the temp
// directory cannot take the copy, the data directory (where only data.bin
// fails) does.
func TestPersistCLIFinalSaveRescue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		usable  bool   // whether $TMPDIR is a directory
		rescued string // where the copy must go: "tmp" or "data"
	}{
		{"in TMPDIR", true, "tmp"},
		{"in the data directory when TMPDIR is a file", false, "data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := t.TempDir()
			dirs := map[string]string{"data": filepath.Join(base, "data"), "tmp": filepath.Join(base, "tmp")}
			if err := os.WriteFile(dirs["tmp"], []byte("not a directory\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.usable {
				if err := os.Remove(dirs["tmp"]); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(dirs["tmp"], 0o700); err != nil {
					t.Fatal(err)
				}
			}
			p := persistStartIn(t, base, []string{"TMPDIR=" + dirs["tmp"], "HOME=" + base}, "-d", dirs["data"])
			want := persistFillBinary(p)
			persistDirAtDataFile(t, dirs["data"])

			p.signal(syscall.SIGTERM)
			p.waitStderr("Failed to write data with error '", "Attempting to retry in 10s")
			p.giveUp(func() bool { return p.exited(0) })
			if got := p.exit(); got != 1 {
				t.Errorf("exit status %d after giving up, want 1; stderr:\n%s", got, p.stderr)
			}
			p.rescueCopy(dirs[tc.rescued], want)
		})
	}
}

// TestPersistCLIRescueRetries gives up on a failing final save when no place
// can take the rescue copy either: not $TMPDIR nor $HOME (regular files),
// not the data directory nor the working directory (removed). skysh must
// say so, not exit (more signals do not end it: that would lose the data),
// and try again; once $TMPDIR can take the copy, it writes it there and
// exits 1.
func TestPersistCLIRescueRetries(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir, tmp, home, cwd := filepath.Join(base, "data"), filepath.Join(base, "tmp"), filepath.Join(base, "home"), filepath.Join(base, "cwd")
	p, want := persistStartCornered(t, base, dir)
	for _, gone := range []string{dir, cwd} {
		if err := os.RemoveAll(gone); err != nil {
			t.Fatal(err)
		}
	}
	// A file where the data directory was: skysh cannot make it again,
	// nor write a rescue copy into it.
	if err := os.WriteFile(dir, []byte("not a directory\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	p.signal(syscall.SIGTERM)
	p.waitStderr("Failed to write data with error '", "Attempting to retry in 10s")
	const nowhere = "Could not write a rescue copy in any of these places"
	p.giveUp(func() bool { return strings.Contains(p.stderr.String(), nowhere) })
	p.waitStderr(tmp+": ", home+": ", dir+": ", "working directory", "does not exit before a copy is written")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGINT} {
		p.signal(sig)
	}
	if p.exited(0) {
		t.Fatalf("skysh exited with no rescue copy written; stderr:\n%s", p.stderr)
	}

	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := p.exit(); got != 1 {
		t.Errorf("exit status %d after the rescue copy, want 1; stderr:\n%s", got, p.stderr)
	}
	p.rescueCopy(tmp, want)
	if s := p.stderr.String(); strings.Contains(s, "lost") || strings.Count(s, nowhere) < 1 {
		t.Errorf("stderr must report the failed round and no lost data:\n%s", s)
	}
}

// TestPersistCLISignalSaves ends skysh with each signal that must save:
// the status tells the signal, and the next run finds the writes.
func TestPersistCLISignalSaves(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "data")
			p := persistStart(t, nil, "-d", dir)
			p.ask("SET a 1", "(Okay)")
			p.ask("USET b 2", "1")
			p.signal(sig)
			if got, want := p.exit(), 128+int(sig); got != want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, want, p.stderr)
			}
			stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "MGET a b")
			if status != 0 || stdout != "1\n2\n" {
				t.Errorf("after %v: status %d, stdout %q, stderr %q; want both values", sig, status, stdout, stderr)
			}
		})
	}
}
