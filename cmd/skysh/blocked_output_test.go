package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestPersistCLISignalWhileStdoutBlocked: a client writes, reads the
// answer, then sends queries with big answers and stops reading. skysh is
// then blocked writing to a full pipe, and SIGTERM must still reach the
// final save: skysh exits 143, and a restart holds the write. skysh once
// ignored every SIGTERM in that state, and the supervisor's SIGKILL lost
// the write.
func TestPersistCLISignalWhileStdoutBlocked(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(persistSkysh(t), "-d", dir)
	cmd.Env = persistEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd.Stdout = w
	stderr := &persistSyncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		stdin.Close()
		<-done
	})

	if _, err := stdin.Write([]byte("SET k v\n")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReaderSize(r, 16).ReadString('\n')
	if err != nil || line != "(Okay)\n" {
		t.Fatalf("SET k v answered %q, %v", line, err)
	}
	// Megabytes of answers that nobody reads: far more than a pipe holds.
	if _, err := stdin.Write([]byte(strings.Repeat("!help\n", 2000))); err != nil {
		t.Fatal(err)
	}
	persistWaitFor(t, "skysh to fill its stdout pipe", func() bool {
		n, err := unix.IoctlGetInt(int(r.Fd()), unix.TIOCINQ) // FIONREAD
		return err == nil && n >= 60000                       // a pipe holds 64 KiB by default
	}, func() string { return "stderr:\n" + stderr.String() })

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(persistDeadline):
		t.Fatalf("skysh still running %v after SIGTERM with its stdout blocked; stderr:\n%s", persistDeadline, stderr)
	}
	if got := cmd.ProcessState.ExitCode(); got != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit status %d (%v), want %d; stderr:\n%s", got, waitErr, 128+int(syscall.SIGTERM), stderr)
	}
	stdout, errOut, status := persistRun(t, "", "-d", dir, "-e", "GET k")
	if status != 0 || stdout != "v\n" {
		t.Fatalf("after the restart: status %d, stdout %q, stderr %q; want the write", status, stdout, errOut)
	}
}
