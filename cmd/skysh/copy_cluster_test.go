package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"skysh/internal/etcdtest"
)

var resumed = regexp.MustCompile(`resumed: (\d+) keys? copied before`)

// copyKilledAtProgress starts skysh copy ARGS with stderr at a terminal,
// kills it with SIGKILL as soon as it shows its first progress (which it
// draws once 1024 pairs have gone to the destination), and waits until it
// is gone.
func copyKilledAtProgress(t *testing.T, args ...string) {
	t.Helper()
	slave, screen := copyTerminal(t)
	cmd := exec.Command(persistSkysh(t), append([]string{"copy"}, args...)...)
	cmd.Env = persistEnv()
	cmd.Stderr = slave
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	persistWaitFor(t, "the copy's progress", func() bool {
		select {
		case err := <-done:
			t.Fatalf("the copy ended before it showed progress: %v; terminal: %q", err, screen.String())
		default:
		}
		return strings.Contains(screen.String(), "copying: ")
	}, func() string { return "terminal: " + strconv.Quote(screen.String()) })
	cmd.Process.Signal(syscall.SIGKILL)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the copy ended with %v, want killed", err)
	}
}

// TestCopyCluster: 100,000 keys with binary values and the empty key go
// from a data directory into a keyspace of a real 3-member etcd cluster
// and back into a new data directory, with the digest the definition
// gives on every side. A copy into the cluster killed in the middle leaves
// the keys up to some point; the same copy is then refused (the keyspace is
// not empty) until --resume, which finishes it with equal digests.
func TestCopyCluster(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Shared(t)
	m, want, src := copySource(t, 100_000)
	tmp := t.TempDir()
	ks := remoteURL(t, c)

	copyKilledAtProgress(t, src, ks)
	_, stderr, status := persistRun(t, "", "copy", src, ks)
	if status != 1 || !strings.Contains(stderr, "is not empty") {
		t.Fatalf("a copy onto the cut one: status %d, stderr %q; want it refused", status, stderr)
	}
	stdout, stderr, status := persistRun(t, "", "copy", "--resume", src, ks)
	lines := copyLine.FindAllStringSubmatch(stdout, -1)
	if status != 0 || len(lines) != 2 || lines[0][2] != want || lines[1][2] != want || !resumed.MatchString(stderr) {
		t.Fatalf("the resumed copy: status %d, stdout:\n%s\nstderr:\n%s\nwant both sides %s", status, stdout, stderr, want)
	}
	if kept, _ := strconv.Atoi(resumed.FindStringSubmatch(stderr)[1]); kept < 1 || kept >= len(m) {
		t.Errorf("the resumed copy found %d keys copied before, want some and not all", kept)
	}

	mustCopyCLI(t, want, ks, filepath.Join(tmp, "back"))
	mustCopyCLI(t, want, ks, filepath.Join(tmp, "cluster.snapshot"))

	// Killed while it reads the cluster into the file it writes: nothing is
	// left, not even the spool of what it had read.
	dir := filepath.Join(tmp, "spool")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyKilledAtProgress(t, ks, filepath.Join(dir, "x.snapshot"))
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("a copy killed while reading the cluster left %v", names)
	}

	// --force starts again on a keyspace that holds other keys, and none of
	// them is left.
	first, second := map[string]string{"x": "1", "z": "3"}, map[string]string{"y": "2"}
	mustCopyCLI(t, copyDigest(first), "--force", copyStore(t, first), ks)
	mustCopyCLI(t, copyDigest(second), "--force", copyStore(t, second), ks)
}

// TestCopyClusterTLSAuth: a copy reaches a cluster that serves TLS with
// client certificates and requires a login, with --cacert, --cert, --key,
// --user and the password from SKYSH_PASSWORD; a wrong password is refused
// with a clear message, and nothing is written.
func TestCopyClusterTLSAuth(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Start(t, etcdtest.Options{TLS: true, Auth: true})
	ca, cert, key := c.TLSFiles()
	small := map[string]string{"a": "1", "": "empty key"}
	src := copyStore(t, small)
	copyAs := func(password string) (string, string, int) {
		cmd := exec.Command(persistSkysh(t), "copy", "--cacert", ca, "--cert", cert, "--key", key,
			"--user", "root", src, c.URL("secure"))
		cmd.Env = persistEnv("SKYSH_PASSWORD=" + password)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
	}
	stdout, stderr, status := copyAs("wrong")
	if status != 1 || stdout != "" || !strings.Contains(stderr, "authentication failed") {
		t.Errorf("copy with a wrong password: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	stdout, stderr, status = copyAs(c.RootPassword)
	if status != 0 || strings.Count(stdout, copyDigest(small)) != 2 {
		t.Errorf("copy with the right password: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

// TestCopyClusterOntoItself: a keyspace named through another member of
// its cluster, or by another name of the same host, is still the same
// place: a copy onto itself is refused as a mistake on the command line
// (exit 2), even with --force, and the keyspace keeps every key. Another
// keyspace of the same cluster is another place.
func TestCopyClusterOntoItself(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Shared(t)
	m := map[string]string{"a": "1", "b": "2", "": "empty key"}
	want := copyDigest(m)
	ks := remoteURL(t, c)
	mustCopyCLI(t, want, copyStore(t, m), ks)
	name := ks[strings.LastIndex(ks, "/"):]
	second := c.Endpoints()[1]
	for _, same := range []string{
		"etcd://" + second + name,
		"etcd://localhost:" + second[strings.LastIndex(second, ":")+1:] + name,
	} {
		stdout, stderr, status := persistRun(t, "", "copy", "--force", ks, same)
		if status != 2 || stdout != "" || !strings.Contains(stderr, "are the same place") {
			t.Errorf("copy --force %s %s: status %d, stdout %q, stderr %q; want it refused", ks, same, status, stdout, stderr)
		}
	}
	mustCopyCLI(t, want, ks, filepath.Join(t.TempDir(), "back.snapshot"))
	mustCopyCLI(t, want, ks, "etcd://"+second+name+"-other")
}

// TestCopyClusterResumeOtherSource: --resume goes on only with the copy
// that was interrupted. A keyspace whose keys are not the first keys of
// the source (another store, or a value changed since) is refused, and
// nothing is added to it: two stores are never mixed.
func TestCopyClusterResumeOtherSource(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Shared(t)
	first := map[string]string{"a": "1", "b": "2"}
	ks := remoteURL(t, c)
	mustCopyCLI(t, copyDigest(first), copyStore(t, first), ks)
	for _, other := range []map[string]string{
		{"a": "1", "b": "2", "": "not in the keyspace", "c": "3"},
		{"a": "1", "b": "changed", "c": "3"},
	} {
		stdout, stderr, status := persistRun(t, "", "copy", "--resume", copyStore(t, other), ks)
		if status != 1 || stdout != "" || !strings.Contains(stderr, "not the first keys of") || !strings.Contains(stderr, "--force") {
			t.Errorf("copy --resume from another store: status %d, stdout %q, stderr %q; want it refused", status, stdout, stderr)
		}
	}
	mustCopyCLI(t, copyDigest(first), ks, filepath.Join(t.TempDir(), "back.snapshot"))
}
