package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIdleAfterBurstReleasesMemory: once a burst of input (here 10 MiB of
// SETs) has been answered and skysh waits for more, it gives the memory the
// burst left behind back to the system: a forced collection, which
// GODEBUG=gctrace=1 reports, happens while stdin is still open. A trickle
// of small queries forces none.
func TestIdleAfterBurstReleasesMemory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		lines  int
		forced bool
	}{
		{"a burst", 200_000, true},
		{"a trickle", 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(skyshBinary(t), "-d", filepath.Join(t.TempDir(), "data"))
			cmd.Env = append(binaryEnv(), "GODEBUG=gctrace=1")
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			stderr, _ := cmd.StderrPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			forced := make(chan struct{}, 1)
			go func() {
				sc := bufio.NewScanner(stderr)
				for sc.Scan() {
					if strings.Contains(sc.Text(), "(forced)") {
						select {
						case forced <- struct{}{}:
						default:
						}
					}
				}
			}()
			go func() {
				w := bufio.NewWriter(stdin)
				for i := range tc.lines {
					fmt.Fprintf(w, "SET key:%09d 0123456789abcdef0123456789abcdef\n", i)
				}
				w.Flush()
			}()
			answers := bufio.NewScanner(stdout)
			for range tc.lines {
				if !answers.Scan() {
					t.Fatalf("skysh stopped answering: %v", answers.Err())
				}
			}
			wait := 10 * time.Second
			if !tc.forced {
				wait = time.Second // ten times the idle time before a release
			}
			select {
			case <-forced:
				if !tc.forced {
					t.Error("a trickle of queries forced a collection")
				}
			case <-time.After(wait):
				if tc.forced {
					t.Error("no forced collection while idle after a burst")
				}
			}
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
