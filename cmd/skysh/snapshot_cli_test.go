package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"skysh/data"
)

// Snapshot, restore and configuration behaviour that a txtar script cannot
// show: names only known once written, damage at a byte offset, and what
// timers and faults do to a skysh that is running. Waits poll for a state
// and fail only after snapCLIDeadline; nothing asserts a duration.

// snapCLIDeadline bounds each wait for the background work of a running skysh.
const snapCLIDeadline = 30 * time.Second

// snapCLIAutoName is the name of an automatic snapshot.
var snapCLIAutoName = regexp.MustCompile(`^\d{8}-\d{6}\.snapshot$`)

// snapCLIRun runs skysh to its end and returns its stdout, stderr and exit
// status.
func snapCLIRun(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	cmd := exec.Command(skyshBinary(t), args...)
	cmd.Env = binaryEnv()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatalf("skysh %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), status
}

// snapCLIMustRun runs skysh and fails the test unless it exits 0 with stdout
// want (when want is not "-") and nothing on stderr.
func snapCLIMustRun(t *testing.T, want string, args ...string) {
	t.Helper()
	stdout, stderr, status := snapCLIRun(t, args...)
	if status != 0 || stderr != "" || (want != "-" && stdout != want) {
		t.Fatalf("skysh %s: status %d, stdout %q, stderr %q; want status 0, stdout %q, no stderr",
			strings.Join(args, " "), status, stdout, stderr, want)
	}
}

// snapCLIRestore restores dir from the snapshot name of {a:1, b:2} and
// checks the answers of MGET a b z and DBSIZE, and that stderr says what
// was restored.
func snapCLIRestore(t *testing.T, dir, name string, keys int) {
	t.Helper()
	stdout, stderr, status := snapCLIRun(t, "-d", dir, "--restore", name, "--json", "-e", "MGET a b z", "-e", "DBSIZE")
	note := fmt.Sprintf("restored %d keys from %s", keys, filepath.Join(dir, data.SnapshotDirName, name))
	if status != 0 || stdout != abJSON || !strings.Contains(stderr, note) {
		t.Fatalf("--restore %s: status %d, stdout %q, stderr %q; want status 0, %q and %q on stderr", name, status, stdout, stderr, abJSON, note)
	}
}

// snapCLIDecode decodes a data file or snapshot with package data.
func snapCLIDecode(path string) (map[string]string, error) {
	m := map[string]string{}
	err := data.ReadFile(path, func(uint64) {}, func(k, v string) error {
		m[k] = v
		return nil
	})
	return m, err
}

// snapCLIAuto lists the automatic snapshots of the data directory dir.
func snapCLIAuto(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, data.SnapshotDirName))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ent := range entries {
		if snapCLIAutoName.MatchString(ent.Name()) {
			names = append(names, ent.Name())
		}
	}
	slices.Sort(names)
	return names
}

// snapCLIWait polls cond until it holds, failing after snapCLIDeadline.
func snapCLIWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(snapCLIDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", snapCLIDeadline, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// snapCLIConfig writes a configuration file for one test and returns its path.
func snapCLIConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "skysh.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// snapCLIRemote runs query and then MKSNAP name in the data directory dir,
// and returns the bytes of the snapshot written.
func snapCLIRemote(t *testing.T, dir, name, query string) []byte {
	t.Helper()
	snapCLIMustRun(t, "-", "-d", dir, "-e", query, "-e", "MKSNAP "+name)
	b, err := os.ReadFile(filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName, name+".snapshot"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// abJSON is the --json answer of MGET a b z and DBSIZE for the store {a:1, b:2}.
const abJSON = `["1","2",{"code":1,"message":"Nil"}]` + "\n2\n"

// TestSnapshotCLIRestoreAutomatic restores from a snapshot the timer's
// naming made (the name is known only once it is written): the store is the
// snapshot's, and data.bin holds it for the next run.
func TestSnapshotCLIRestoreAutomatic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	snapCLIMustRun(t, "2\n(Okay)\n", "-d", dir, "--snapevery", "3600", "-e", "USET a 1 b 2", "-e", "MKSNAP")
	auto := snapCLIAuto(t, dir)
	if len(auto) != 1 {
		t.Fatalf("MKSNAP wrote automatic snapshots %q, want one", auto)
	}
	snapCLIMustRun(t, "(Okay)\n(Okay)\n", "-d", dir, "-e", "FLUSHDB", "-e", "SET z 9")

	snapCLIRestore(t, dir, auto[0], 2)
	snapCLIMustRun(t, abJSON, "-d", dir, "--json", "-e", "MGET a b z", "-e", "DBSIZE")
	m, err := snapCLIDecode(filepath.Join(dir, data.DataFileName))
	if err != nil || !maps.Equal(m, map[string]string{"a": "1", "b": "2"}) {
		t.Errorf("data.bin after the restore: %q, %v; want a=1 b=2", m, err)
	}
}

// TestSnapshotCLIRotationFutureNames: automatic snapshots named in the
// future (the clock was ahead, or they were copied in) sort after the one
// MKSNAP writes now. With --snapkeep 1, MKSNAP must still leave its own
// snapshot, and it must restore.
func TestSnapshotCLIRotationFutureNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := snapCLIRemote(t, dir, "seed", "SET old 1")
	future := []string{"20990101-000000.snapshot", "20991231-235959.snapshot"}
	for _, name := range future {
		if err := os.WriteFile(filepath.Join(dir, data.SnapshotDirName, name), seed, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snapCLIMustRun(t, "(Okay)\n2\n(Okay)\n", "-d", dir, "--snapevery", "3600", "--snapkeep", "1",
		"-e", "FLUSHDB", "-e", "USET a 1 b 2", "-e", "MKSNAP")
	auto := snapCLIAuto(t, dir)
	if len(auto) != 1 || slices.Contains(future, auto[0]) {
		t.Fatalf("MKSNAP with --snapkeep 1 left %q, want only the snapshot it wrote", auto)
	}
	snapCLIRestore(t, dir, auto[0], 2)
}

// TestSnapshotCLIRestoreDamaged refuses snapshots damaged at one byte: exit
// status 1, nothing run, a message naming the file and the reason, the hint,
// and data.bin byte for byte as it was.
func TestSnapshotCLIRestoreDamaged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := snapCLIRemote(t, dir, "good", "USET a 1 b 2")
	snapCLIMustRun(t, "-", "-d", dir, "-e", "FLUSHDB", "-e", "SET kept 1")
	dataFile := filepath.Join(dir, data.DataFileName)
	before, err := os.ReadFile(dataFile)
	if err != nil {
		t.Fatal(err)
	}
	// flip returns good with one bit changed at offset i (from the end when
	// negative).
	flip := func(i int) []byte {
		b := slices.Clone(good)
		if i < 0 {
			i += len(b)
		}
		b[i] ^= 0x01
		return b
	}
	for _, tc := range []struct {
		name   string
		file   []byte
		reason string
	}{
		// The file ends with a 4-byte CRC-32C; the byte before it is the
		// last byte of the last value.
		{"a bit of a value", flip(-5), "checksum mismatch"},
		{"a bit of the checksum", flip(-1), "checksum mismatch"},
		{"a bit of the magic", flip(1), "not a skysh data file"},
		{"the last byte cut off", good[:len(good)-1], "truncated"},
		{"half the file", good[:len(good)/2], "file ends early"},
		{"a byte appended", append(slices.Clone(good), 0), "after the checksum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(tc.name, " ", "-") + ".snapshot"
			path := filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName, name)
			if err := os.WriteFile(path, tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, status := snapCLIRun(t, "-d", dir, "-r", "remote/"+name, "-e", "SET x 1")
			if status != exitFailed || stdout != "" {
				t.Errorf("status %d, stdout %q; want %d and nothing", status, stdout, exitFailed)
			}
			for _, want := range []string{"skysh: cannot restore", name, tc.reason, "hint: --restore"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q does not mention %q", stderr, want)
				}
			}
			if after, err := os.ReadFile(dataFile); err != nil || !bytes.Equal(after, before) {
				t.Errorf("data.bin changed by a failed restore (err %v)", err)
			}
		})
	}
	snapCLIMustRun(t, `"1"`+"\n", "-d", dir, "--json", "-e", "GET kept")
}

// TestSnapshotCLITimers shows each timer of the configuration file at work
// in a running skysh, and the flags that override the file.
func TestSnapshotCLITimers(t *testing.T) {
	t.Parallel()
	// inData reports whether data.bin holds k=v now.
	inData := func(dir string) func() bool {
		return func() bool {
			m, err := snapCLIDecode(filepath.Join(dir, data.DataFileName))
			return err == nil && m["k"] == "v"
		}
	}
	// inSnapshot reports whether an automatic snapshot holds k=v now.
	inSnapshot := func(t *testing.T, dir string) func() bool {
		return func() bool {
			for _, name := range snapCLIAuto(t, dir) {
				m, err := snapCLIDecode(filepath.Join(dir, data.SnapshotDirName, name))
				if err == nil && m["k"] == "v" {
					return true
				}
			}
			return false
		}
	}
	for _, tc := range []struct {
		name   string
		config string
		args   []string
		what   string
		done   func(t *testing.T, dir string) func() bool
	}{
		{"bgsave.every", "[bgsave]\nevery = 1\n", nil,
			"a BGSAVE", func(_ *testing.T, dir string) func() bool { return inData(dir) }},
		{"-S over bgsave.enabled = false", "[bgsave]\nenabled = false\n", []string{"-S", "1"},
			"a BGSAVE", func(_ *testing.T, dir string) func() bool { return inData(dir) }},
		{"snapshot.every", "[snapshot]\nevery = 1\n", nil,
			"an automatic snapshot", inSnapshot},
		{"--snapevery over snapshot.every", "[snapshot]\nevery = 3600\n", []string{"--snapevery", "1"},
			"an automatic snapshot", inSnapshot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := append([]string{"-d", dir, "-c", snapCLIConfig(t, tc.config)}, tc.args...)
			c := startCoprocess(t, args...)
			c.ask("SET k v", "(Okay)")
			snapCLIWait(t, tc.what+" of k=v while skysh runs", tc.done(t, dir))
			c.finish(0)
		})
	}
}

// TestSnapshotCLIFailsafe makes the snapshot directory unusable under a
// running skysh (a regular file in its place). With failsafe, from the file
// or --stop-write-on-fail, the failed snapshot poisons the store until a
// snapshot succeeds again; without, writes go on. The failure is on stderr
// either way.
func TestSnapshotCLIFailsafe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		failsafe string // a line of the [snapshot] table, or ""
		args     []string
		poisons  bool
	}{
		{"default", "", nil, true},
		{"failsafe = false", "failsafe = false", nil, false},
		{"failsafe = true", "failsafe = true", nil, true},
		{"--stop-write-on-fail true over failsafe = false", "failsafe = false", []string{"--stop-write-on-fail", "true"}, true},
		{"--stop-write-on-fail false over failsafe = true", "failsafe = true", []string{"--stop-write-on-fail", "false"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			config := snapCLIConfig(t, "[snapshot]\nevery = 3600\n"+tc.failsafe+"\n")
			// In --json every answer is a line on stdout, failures too.
			c := startCoprocess(t, append([]string{"-d", dir, "-c", config, "--json"}, tc.args...)...)
			c.ask("SET a 1", jsonOkay)

			snaps := filepath.Join(dir, data.SnapshotDirName)
			if err := os.RemoveAll(snaps); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(snaps, []byte("in the way\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			c.send("MKSNAP")
			snapCLIExpectPrefix(c, "MKSNAP", jsonServerError+`"detail":"cannot write snapshot `)
			if tc.poisons {
				c.send("SET b 2")
				snapCLIExpectPrefix(c, "SET b 2", jsonServerError+`"detail":"store is poisoned`)
			} else {
				c.ask("SET b 2", jsonOkay)
			}
			c.ask("GET a", `"1"`)

			if err := os.Remove(snaps); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(snaps, data.RemoteDirName), 0o755); err != nil {
				t.Fatal(err)
			}
			c.ask("MKSNAP", jsonOkay)
			c.ask("SET c 3", jsonOkay)
			c.stdin.Close()

			stderr := strings.Join(snapCLIFinish(t, c, exitFailed), "\n")
			if !strings.Contains(stderr, "cannot write snapshot") {
				t.Errorf("stderr does not report the failed snapshot:\n%s", stderr)
			}
			for _, s := range []string{"store poisoned", "store recovered"} {
				if got := strings.Contains(stderr, s); got != tc.poisons {
					t.Errorf("stderr mentions %q: %v, want %v:\n%s", s, got, tc.poisons, stderr)
				}
			}
		})
	}
}

// Answers in the --json form.
const (
	jsonOkay        = `{"code":0,"message":"Okay"}`
	jsonServerError = `{"code":5,"message":"Server Error",`
)

// snapCLIExpectPrefix waits for the next line of stdout and requires it to
// start with prefix.
func snapCLIExpectPrefix(c *coprocess, query, prefix string) {
	c.t.Helper()
	if got := c.line(c.stdout, "stdout", query, prefix+"…"); !strings.HasPrefix(got, prefix) {
		c.t.Fatalf("after %q: got %q, want %q…", query, got, prefix)
	}
}

// snapCLIFinish requires skysh, whose stdin is closed, to print nothing more
// on stdout and to exit with status want; it returns the lines of stderr.
func snapCLIFinish(t *testing.T, c *coprocess, want int) []string {
	t.Helper()
	stderr := c.drain()
	if got := c.status(); got != want {
		t.Fatalf("skysh exited with status %d, want %d; stderr:\n%s", got, want, strings.Join(stderr, "\n"))
	}
	return stderr
}
