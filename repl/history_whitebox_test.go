//go:build unix

package repl

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestHistoryRefusesLinksAndSpecialFiles: a history path that is a
// symbolic link (to a file or dangling), a FIFO or a directory is neither
// read nor written: the link's target keeps its bytes and its mode, nothing
// blocks, and history goes on in memory after one clear error.
func TestHistoryRefusesLinksAndSpecialFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, path, target string)
	}{
		{"symlink to a file", func(t *testing.T, path, target string) {
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}},
		{"dangling symlink", func(t *testing.T, path, target string) {
			if err := os.Symlink(target+".missing", path); err != nil {
				t.Fatal(err)
			}
		}},
		{"fifo", func(t *testing.T, path, _ string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"directory", func(t *testing.T, path, _ string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "precious")
			if err := os.WriteFile(target, []byte("SET secret 1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "hist")
			tc.make(t, path, target)

			h, err := loadHistory(path)
			if tc.name != "dangling symlink" && !errors.Is(err, errNotRegular) {
				t.Fatalf("loadHistory: %v, want errNotRegular", err)
			}
			if len(h.entries) != 0 {
				t.Fatalf("loadHistory read %q through %s", h.entries, tc.name)
			}
			if err == nil {
				// The dangling link reads as no history; the append must refuse it.
				if err := h.add("SET a 1"); !errors.Is(err, errNotRegular) {
					t.Fatalf("add: %v, want errNotRegular", err)
				}
			}
			if err := h.add("SET b 2"); err != nil {
				t.Fatalf("add after the error: %v, want history in memory only", err)
			}
			if got := h.entries[len(h.entries)-1]; got != "SET b 2" {
				t.Fatalf("history in memory ends with %q", got)
			}
			b, err := os.ReadFile(target)
			if err != nil || string(b) != "SET secret 1\n" {
				t.Fatalf("target now holds %q, %v", b, err)
			}
			if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o644 {
				t.Fatalf("target mode %v, %v; want 0644 untouched", fi.Mode(), err)
			}
			if _, err := os.Stat(target + ".missing"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the dangling link's target was created: %v", err)
			}
		})
	}
}
