package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a new pseudo-terminal and returns its master side and the
// path of its terminal side. Its window size is 0×0 until someone sets it,
// as on a bare pty or some serial consoles.
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	return master, fmt.Sprintf("/dev/pts/%d", n)
}

// TestInteractiveZeroSizeTerminal runs the shell on a terminal that reports
// a size of 0×0: it must work (go-prompt divides by the width), not panic.
func TestInteractiveZeroSizeTerminal(t *testing.T) {
	t.Parallel()
	master, tty := openPTY(t)
	if ws, err := unix.IoctlGetWinsize(int(master.Fd()), unix.TIOCGWINSZ); err != nil || ws.Col != 0 || ws.Row != 0 {
		t.Fatalf("the new pty's size: %+v, %v; want 0×0", ws, err)
	}
	slave, err := os.OpenFile(tty, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer slave.Close()
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(persistSkysh(t), "-d", dir)
	cmd.Env = append(persistEnv(), "TERM=xterm", "SKYSH_HISTFILE=")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var screen strings.Builder
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	seen := func(s string) bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(screen.String(), s)
	}
	persistWaitFor(t, "the prompt", func() bool { return seen("skysh>") }, func() string { return "" })
	master.WriteString("SET a 1\r")
	persistWaitFor(t, "the answer", func() bool { return seen("(Okay)") || seen("panic") }, func() string { return "" })
	master.WriteString("exit\r")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		mu.Lock()
		out := screen.String()
		mu.Unlock()
		if err != nil || strings.Contains(out, "panic") {
			t.Fatalf("skysh on a 0×0 terminal: %v; screen:\n%s", err, out)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("skysh did not exit")
	}
	dirMustHold(t, dir, map[string]string{"a": "1"})
}
