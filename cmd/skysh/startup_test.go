package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestShortRunCollectsNoGarbage: `skysh -e HEYA` on a new data directory,
// then on the data.bin that run left, allocates too little for the Go
// runtime to collect garbage, and forces no collection: start-up work sized
// for a large store (a collection after loading data.bin, save buffers of
// megabytes for an empty store) would cost a short run more than its
// query. GODEBUG=gctrace=1 makes the runtime report every collection on
// stderr.
func TestShortRunCollectsNoGarbage(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	for _, start := range []string{"a new data directory", "an existing data.bin"} {
		cmd := exec.Command(skyshBinary(t), "-d", dir, "-e", "HEYA")
		cmd.Env = append(binaryEnv(), "GODEBUG=gctrace=1", "GOGC=100")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("skysh -e HEYA on %s: %v\n%s", start, err, stderr.String())
		}
		if got := stdout.String(); got != "HEY!\n" {
			t.Fatalf("skysh -e HEYA on %s printed %q", start, got)
		}
		if strings.Contains(stderr.String(), "gc 1 @") {
			t.Errorf("skysh -e HEYA on %s collected garbage:\n%s", start, stderr.String())
		}
	}
}

// TestClosedStdoutStillSaves: the reader of skysh's output is gone before
// skysh writes (skysh … | head that has exited): the write fails with
// EPIPE instead of killing skysh with SIGPIPE, and the final save still
// runs. With --nojournal the final save is the write's only way to disk.
func TestClosedStdoutStillSaves(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	cmd := exec.Command(skyshBinary(t), "-d", dir, "--nojournal", "-e", "SET k v", "-e", "GET k")
	cmd.Env = binaryEnv()
	cmd.Stdout = w
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	w.Close()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signaled() {
		t.Fatalf("skysh with its stdout closed: %v, want an exit of its own; stderr:\n%s", cmd.ProcessState, stderr.String())
	}
	out, err := exec.Command(skyshBinary(t), "-d", dir, "-e", "GET k").Output()
	if err != nil || string(out) != "v\n" {
		t.Fatalf("GET k after the run = %q, %v; want the write saved at exit", out, err)
	}
}

// TestStdoutWriteErrorEndsSkysh: when the answers cannot be written (a
// full disk, here /dev/full), skysh says so on stderr, stops reading
// queries, saves what ran, and exits with status 1.
func TestStdoutWriteErrorEndsSkysh(t *testing.T) {
	t.Parallel()
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(skyshBinary(t), "-d", dir, "-e", "SET k v", "-e", "HEYA")
	cmd.Env = binaryEnv()
	cmd.Stdout = full
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit status %d (%v), want 1", code, err)
	}
	if want := "skysh: cannot write the answers to stdout: write /dev/stdout: no space left on device"; !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr %q, want it to start %q", stderr.String(), want)
	}
	out, err := exec.Command(skyshBinary(t), "-d", dir, "-e", "GET k").Output()
	if err != nil || string(out) != "v\n" {
		t.Fatalf("GET k after the run = %q, %v; want the write saved at exit", out, err)
	}
}
