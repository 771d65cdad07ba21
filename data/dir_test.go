package data_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"skysh/data"
)

// mustOpen opens a data directory and closes it when the test ends.
func mustOpen(t *testing.T, path string) *data.Dir {
	t.Helper()
	d, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestOpenCreatesLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "data")
	d := mustOpen(t, path)
	if got, want := d.Path(), path; got != want {
		t.Fatalf("Path()=%q, want %q", got, want)
	}
	if got, want := d.DataFile(), filepath.Join(path, "data.bin"); got != want {
		t.Fatalf("DataFile()=%q, want %q", got, want)
	}
	if got, want := d.SnapshotDir(), filepath.Join(path, "snapshots"); got != want {
		t.Fatalf("SnapshotDir()=%q, want %q", got, want)
	}
	if got, want := d.RemoteSnapshotDir(), filepath.Join(path, "snapshots", "remote"); got != want {
		t.Fatalf("RemoteSnapshotDir()=%q, want %q", got, want)
	}
	for _, dir := range []string{path, d.SnapshotDir(), d.RemoteSnapshotDir()} {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			t.Fatalf("%s: %v, want a directory", dir, err)
		}
	}
	pid, err := os.ReadFile(filepath.Join(path, "skysh.lock"))
	if err != nil || string(pid) != fmt.Sprintf("%d\n", os.Getpid()) {
		t.Fatalf("lock file holds %q, %v; want our pid", pid, err)
	}
	if _, err := os.Stat(d.DataFile()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open created data.bin (%v); that is the engine's decision", err)
	}
}

func TestOpenTwiceInOneProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data")
	d := mustOpen(t, path)
	_, err := data.Open(path)
	if !errors.Is(err, data.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if got, want := err.Error(), fmt.Sprintf("data directory %q is in use by another skysh process (pid %d)", path, os.Getpid()); got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("second Close = %v, want nil", err)
	}
	mustOpen(t, path) // released by Close
}

// The test binary runs itself with this variable set to hold a lock in
// another process.
const holdLockEnv = "SKYSH_DATA_TEST_HOLD_LOCK"

func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv(holdLockEnv)
	if path == "" {
		t.Skip("helper process for TestOpenLockedByAnotherProcess")
	}
	if _, err := data.Open(path); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("locked")
	for {
		time.Sleep(time.Hour) // until killed
	}
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "locked\n" {
		t.Fatalf("helper said %q, want %q", line, "locked\n")
	}

	_, err = data.Open(path)
	if !errors.Is(err, data.ErrLocked) {
		t.Fatalf("Open = %v, want ErrLocked", err)
	}
	want := fmt.Sprintf("data directory %q is in use by another skysh process (pid %d)", path, cmd.Process.Pid)
	if got := err.Error(); got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	var le *data.LockedError
	if !errors.As(err, &le) || le.PID != cmd.Process.Pid {
		t.Fatalf("error %#v, want a *LockedError naming pid %d", err, cmd.Process.Pid)
	}

	// SIGKILL: no chance to clean up, and nothing stale must remain.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	d := mustOpen(t, path)
	if pid, _ := os.ReadFile(filepath.Join(path, "skysh.lock")); string(pid) != fmt.Sprintf("%d\n", os.Getpid()) {
		t.Fatalf("lock file holds %q after taking over, want our pid", pid)
	}
	d.Close()
}

func TestOpenRemovesStaleTempFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data")
	d := mustOpen(t, path)
	stale := []string{
		filepath.Join(path, data.TempPrefix+"0123456789abcdef-data.bin"),
		filepath.Join(path, "snapshots", data.TempPrefix+"0123456789abcdef-20240102-030405.snapshot"),
		filepath.Join(path, "snapshots", "remote", data.TempPrefix+"0123456789abcdef-mine.snapshot"),
	}
	kept := []string{
		filepath.Join(path, "data.bin"),
		filepath.Join(path, "notes.tmp-1"),
		// Named as older builds named their temp files, and so
		// indistinguishable from a user's file: never removed.
		filepath.Join(path, ".data.bin.tmp-123456"),
		filepath.Join(path, ".notes.txt.tmp-20261202"),
		filepath.Join(path, "snapshots", ".20240102-030405.snapshot.tmp-9"),
		filepath.Join(path, data.TempPrefix), // the prefix alone
		filepath.Join(path, "snapshots", "a.snapshot"),
	}
	for _, p := range append(slices.Clone(stale), kept...) {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()

	d = mustOpen(t, path)
	if got := d.RemovedTempFiles(); !slices.Equal(sorted(got), sorted(stale)) {
		t.Fatalf("RemovedTempFiles() = %q, want %q", got, stale)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: still there (%v)", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v, want it kept", p, err)
		}
	}
}

func TestOpenLockedLeavesTempFiles(t *testing.T) {
	// A temp file in a locked directory is another process's save in
	// progress.
	path := filepath.Join(t.TempDir(), "data")
	mustOpen(t, path)
	tmp := filepath.Join(path, data.TempPrefix+"77-data.bin")
	os.WriteFile(tmp, nil, 0o600)
	if _, err := data.Open(path); !errors.Is(err, data.ErrLocked) {
		t.Fatalf("Open = %v, want ErrLocked", err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("temp file of the lock holder removed: %v", err)
	}
}

func TestOpenFails(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	_, err := data.Open(file)
	if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("cannot create data directory %q: ", file)) {
		t.Fatalf("Open on a file = %v", err)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
