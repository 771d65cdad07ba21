package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// copyPairs are n keys with binary values (every byte value occurs), and
// the empty key.
func copyPairs(n int) map[string]string {
	m := map[string]string{"": "the empty key's value"}
	for i := range n {
		v := make([]byte, 8+i%48)
		for j := range v {
			v[j] = byte(i*7 + j*31)
		}
		m[fmt.Sprintf("key:%07d", i)] = string(v)
	}
	return m
}

// copyScript is a skysh script that stores m: USETs of binary values
// written with \xHH escapes.
func copyScript(m map[string]string) string {
	var b []byte
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b = append(b, `USET "`...)
		b = copyEscape(b, k)
		b = append(b, `" "`...)
		b = copyEscape(b, m[k])
		b = append(b, "\"\n"...)
	}
	return string(b)
}

// copyEscape appends every byte of s to b as \xHH.
func copyEscape(b []byte, s string) []byte {
	const digits = "0123456789abcdef"
	for i := range len(s) {
		b = append(b, '\\', 'x', digits[s[i]>>4], digits[s[i]&15])
	}
	return b
}

// copyDigest is the digest of m from its definition, computed here: the
// SHA-256 of the pairs in byte order of the keys, each as u64 LE key
// length, key, u64 LE value length, value.
func copyDigest(m map[string]string) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(m)) {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(k))))
		h.Write([]byte(k))
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(m[k]))))
		h.Write([]byte(m[k]))
	}
	noun := "keys"
	if len(m) == 1 {
		noun = "key"
	}
	return fmt.Sprintf("%d %s, sha256 %s", len(m), noun, hex.EncodeToString(h.Sum(nil)))
}

// copyStore makes a data directory that holds m, through a real skysh.
func copyStore(t *testing.T, m map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	if _, stderr, status := persistRun(t, copyScript(m), "-d", dir, "-q"); status != 0 {
		t.Fatalf("filling the source: status %d, stderr %q", status, stderr)
	}
	return dir
}

// copySource makes a data directory that holds copyPairs(n), through a
// real skysh, and returns the pairs, their digest and the directory.
func copySource(t *testing.T, n int) (m map[string]string, digest, dir string) {
	t.Helper()
	m = copyPairs(n)
	return m, copyDigest(m), copyStore(t, m)
}

var copyLine = regexp.MustCompile(`(?m)^(source|destination): +(\d+ keys?, sha256 [0-9a-f]{64})  (.*)$`)

// mustCopyCLI runs skysh copy, and requires exit status 0 and both sides
// printed with the digest want.
func mustCopyCLI(t *testing.T, want string, args ...string) {
	t.Helper()
	stdout, stderr, status := persistRun(t, "", append([]string{"copy"}, args...)...)
	lines := copyLine.FindAllStringSubmatch(stdout, -1)
	if status != 0 || len(lines) != 2 || lines[0][2] != want || lines[1][2] != want {
		t.Fatalf("skysh copy %q: status %d, stdout:\n%s\nstderr:\n%s\nwant both sides %s", args, status, stdout, stderr, want)
	}
}

// TestCopy100kKeys: 100,000 keys with binary values and the empty key go
// from a data directory to a snapshot file to a new data directory with
// the digest that the definition gives, and skysh opens the copy.
func TestCopy100kKeys(t *testing.T) {
	t.Parallel()
	m, want, src := copySource(t, 100_000)
	tmp := t.TempDir()
	snap := filepath.Join(tmp, "all.snapshot")
	dst := filepath.Join(tmp, "dst")
	mustCopyCLI(t, want, src, snap)
	mustCopyCLI(t, want, snap, dst)
	stdout, stderr, status := persistRun(t, "", "-d", dst, "-e", "DBSIZE", "-e", `GET ""`, "-e", "KEYLEN key:0099999")
	if status != 0 || stdout != "100001\nthe empty key's value\n"+strconv.Itoa(len(m["key:0099999"]))+"\n" {
		t.Errorf("skysh on the copy: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

// TestCopySourceInUse: a data directory that a running skysh holds is not
// copied: its store is changing.
func TestCopySourceInUse(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := persistStart(t, nil, "-d", dir, "--json")
	p.ask("SET a 1", `{"code":0,"message":"Okay"}`)
	_, stderr, status := persistRun(t, "", "copy", dir, filepath.Join(t.TempDir(), "x.snapshot"))
	if status != 1 || !strings.Contains(stderr, "in use by another skysh process") {
		t.Errorf("copy of a directory in use: status %d, stderr %q", status, stderr)
	}
}

// The stalled copy: `skysh-stalled` is skysh whose copy stops once it has
// handed SKYSH_STALL_AT pairs to the destination, after creating the file
// SKYSH_STALL_MARKER, so that a test can kill it in the middle. It goes on
// once the file SKYSH_STALL_RELEASE exists, if that is set; never if not.
func stalledSkysh() {
	at, _ := strconv.ParseInt(os.Getenv("SKYSH_STALL_AT"), 10, 64)
	marker, release := os.Getenv("SKYSH_STALL_MARKER"), os.Getenv("SKYSH_STALL_RELEASE")
	copyStep = func(n int64) {
		if n != at {
			return
		}
		os.WriteFile(marker, nil, 0o600)
		for {
			if _, err := os.Stat(release); err == nil && release != "" {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	os.Exit(run(os.Args[1:]))
}

// copyStalled starts skysh copy ARGS and returns once it has handed `at`
// pairs to the destination and stopped there. Its stderr goes to tty when
// that is set. The copy goes on when the file release is created.
func copyStalled(t *testing.T, at int, tty *os.File, args ...string) (cmd *exec.Cmd, done chan error, stderr *persistSyncBuffer, release string) {
	t.Helper()
	dir := t.TempDir()
	marker, release := filepath.Join(dir, "stalled"), filepath.Join(dir, "release")
	cmd = exec.Command("skysh-stalled", append([]string{"copy"}, args...)...)
	cmd.Env = append(binaryEnv(), fmt.Sprintf("SKYSH_STALL_AT=%d", at), "SKYSH_STALL_MARKER="+marker, "SKYSH_STALL_RELEASE="+release)
	stderr = &persistSyncBuffer{}
	cmd.Stderr = stderr
	if tty != nil {
		cmd.Stderr = tty
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	persistWaitFor(t, "the copy to stall", func() bool {
		select {
		case err := <-done:
			t.Fatalf("the copy ended before it stalled: %v; stderr:\n%s", err, stderr.String())
		default:
		}
		_, err := os.Stat(marker)
		return err == nil
	}, func() string { return "stderr:\n" + stderr.String() })
	return cmd, done, stderr, release
}

// copyKilled starts skysh copy ARGS, kills it with SIGKILL once it has
// handed `at` pairs to the destination, and waits until it is gone.
func copyKilled(t *testing.T, at int, tty *os.File, args ...string) {
	t.Helper()
	cmd, done, _, _ := copyStalled(t, at, tty, args...)
	cmd.Process.Signal(syscall.SIGKILL)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the stalled copy ended with %v, want killed", err)
	}
}

// TestCopySIGINT: an interrupt stops a copy in the middle; the file it was
// writing is left as it was (no temp file either), stderr says so, and the
// exit status is 128+2.
func TestCopySIGINT(t *testing.T) {
	t.Parallel()
	src := copyStore(t, copyPairs(5000))
	dir := t.TempDir()
	cmd, done, stderr, release := copyStalled(t, 2000, nil, src, filepath.Join(dir, "x.snapshot"))
	cmd.Process.Signal(syscall.SIGINT)
	if err := os.WriteFile(release, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if status := cmd.ProcessState.ExitCode(); status != 130 || !strings.Contains(stderr.String(), "interrupted: "+filepath.Join(dir, "x.snapshot")+" was left as it was; run the copy again") {
		t.Errorf("interrupted copy: %v, status %d, stderr %q", err, status, stderr.String())
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("an interrupted copy left %v", names)
	}
}

// TestCopyKilled: a copy killed with SIGKILL in the middle leaves a file or
// a data directory holding what it held before (nothing, for a new one),
// and the same copy run again reaches equal digests.
func TestCopyKilled(t *testing.T) {
	t.Parallel()
	_, want, src := copySource(t, 20_000)
	tmp := t.TempDir()
	old := copyStore(t, map[string]string{"old": "store"})
	oldBin, err := os.ReadFile(filepath.Join(old, "data.bin"))
	if err != nil {
		t.Fatal(err)
	}

	snap := filepath.Join(tmp, "x.snapshot")
	copyKilled(t, 10_000, nil, src, snap)
	if _, err := os.Lstat(snap); err == nil {
		t.Errorf("a killed copy left %s", snap)
	}
	mustCopyCLI(t, want, src, snap)

	dir := filepath.Join(tmp, "dir")
	copyKilled(t, 10_000, nil, src, dir)
	if stdout, _, status := persistRun(t, "", "-d", dir, "-e", "DBSIZE"); status != 0 || stdout != "0\n" {
		t.Errorf("skysh on the directory a killed copy made: status %d, stdout %q; want an empty store", status, stdout)
	}
	mustCopyCLI(t, want, src, dir)

	copyKilled(t, 10_000, nil, "--force", src, old)
	if b, err := os.ReadFile(filepath.Join(old, "data.bin")); err != nil || string(b) != string(oldBin) {
		t.Errorf("a killed copy changed the data.bin it was to replace (%v)", err)
	}
	mustCopyCLI(t, want, "--force", src, old)
}

// copyTerminal is a terminal for a copy's stderr (slave, closed when the
// test ends) and what appears on it.
func copyTerminal(t *testing.T) (*os.File, *persistSyncBuffer) {
	t.Helper()
	master, tty := openPTY(t)
	slave, err := os.OpenFile(tty, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close() })
	screen := &persistSyncBuffer{}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			screen.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	return slave, screen
}

// TestCopyProgress: with stderr at a terminal, a copy shows how far it has
// got on one line, rewritten in place (with stderr elsewhere it shows
// nothing: see copy.txtar).
func TestCopyProgress(t *testing.T) {
	t.Parallel()
	src := copyStore(t, copyPairs(5000))
	slave, screen := copyTerminal(t)
	copyKilled(t, 2048, slave, src, filepath.Join(t.TempDir(), "x.snapshot"))
	persistWaitFor(t, "the progress line", func() bool {
		return strings.Contains(screen.String(), "\rcopying: 1024 of 5001 keys (20%)")
	}, func() string { return fmt.Sprintf("terminal: %q", screen.String()) })
}

// TestCopyDataFileOfDirWithoutLock: a data directory whose skysh.lock was
// deleted (as Skytable 0.6's users delete a stale pid file after a crash)
// is still one by its journal. Its data.bin alone is not copied, for it
// lacks the journal's writes, and is not replaced, for the journal beside
// it would no longer fit it: skysh could not start on the directory.
func TestCopyDataFileOfDirWithoutLock(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := persistStart(t, nil, "-d", dir, "--json")
	p.ask("SET journaled 1", `{"code":0,"message":"Okay"}`)
	p.signal(syscall.SIGKILL)
	p.exit()
	if err := os.Remove(filepath.Join(dir, "skysh.lock")); err != nil {
		t.Fatal(err)
	}
	dataBin := filepath.Join(dir, "data.bin")
	before, err := os.ReadFile(dataBin)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{dataBin, filepath.Join(t.TempDir(), "x.snapshot")},
		{"--force", copyStore(t, map[string]string{"other": "store"}), dataBin},
		{"--force", copyStore(t, map[string]string{"other": "store"}), "skytable06:" + dataBin},
	} {
		stdout, stderr, status := persistRun(t, "", append([]string{"copy"}, args...)...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, "data directory "+dir) {
			t.Errorf("skysh copy %q: status %d, stdout %q, stderr %q; want it refused", args, status, stdout, stderr)
		}
	}
	if after, err := os.ReadFile(dataBin); err != nil || string(after) != string(before) {
		t.Errorf("data.bin was changed (%v)", err)
	}
	mustCopyCLI(t, copyDigest(map[string]string{"journaled": "1"}), dir, filepath.Join(t.TempDir(), "y.snapshot"))
}
