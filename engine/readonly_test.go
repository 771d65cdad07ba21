package engine_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"skysh/data"
	"skysh/engine"
)

// dirImage records every path under root with its type, mode, inode and
// modification time and, for a file, a hash of its bytes: two images are
// equal only if nothing under root was created, removed, replaced or
// rewritten in between (the pid note in skysh.lock included, even with the
// same bytes). Without dirTimes, the modification times of directories are
// left out: a temp file created and removed again changes them.
func dirImage(t *testing.T, root string, dirTimes bool) map[string]string {
	t.Helper()
	img := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		what := fmt.Sprintf("%v inode %d", fi.Mode(), fi.Sys().(*syscall.Stat_t).Ino)
		if !fi.IsDir() || dirTimes {
			what += fmt.Sprintf(" mtime %v", fi.ModTime())
		}
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			what += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		img[path] = what
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// sameImage fails the test unless nothing under a directory changed.
func sameImage(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Fatalf("%s changed the directory:\n got %v\nwant %v", what, got, want)
	}
}

// readOnlySetup leaves in a new directory what a crash leaves: a data.bin
// that lacks the last writes, and a journal that holds them. It returns the
// directory and the store it holds.
func readOnlySetup(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{})
	persistFill(t, e, map[string]string{"saved": "in data.bin"})
	if _, err := e.Save(); err != nil {
		t.Fatal(err)
	}
	want := journalWrites(t, e)
	mustCommit(t, e)
	journalCrash(t, e)
	if len(journalSegments(t, dir)) == 0 {
		t.Fatal("setup: no journal to replay")
	}
	return dir, want
}

// TestReadOnlyOpen: a read-only open finds the store a start would (data.bin
// and the journal's writes), refuses every write and save, keeps other
// processes out while it is open, and leaves every byte of the directory as
// it was.
func TestReadOnlyOpen(t *testing.T) {
	t.Parallel()
	dir, want := readOnlySetup(t)
	before := dirImage(t, dir, true)

	var log syncBuffer
	e, err := engine.Open(dir, engine.Options{ReadOnly: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	persistSame(t, "read-only store", persistStore(t, e), want)
	if !strings.Contains(log.String(), "replayed") {
		t.Errorf("log %q does not say that the journal was replayed", log.String())
	}
	var keys []string
	if err := e.RangeSorted(func(k, _ string) error { keys = append(keys, k); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(keys) || len(keys) != len(want) {
		t.Errorf("RangeSorted gave %d keys, sorted %v; want %d sorted", len(keys), slices.IsSorted(keys), len(want))
	}
	for _, query := range [][]string{q("SET", "new", "x"), q("FLUSHDB"), q("MKSNAP", "x"), q("MKSNAP")} {
		r := run(t, e, query...)
		if st, ok := r.(engine.Status); !ok || st.Code != engine.ServerError || !strings.Contains(st.Detail, "read-only") {
			t.Errorf("%s on a read-only store = %s, want code 5 saying read-only", fmtQuery(query), fmtResponse(r))
		}
	}
	if _, err := e.SaveNow(); !errors.Is(err, engine.ErrReadOnly) {
		t.Errorf("SaveNow = %v, want ErrReadOnly", err)
	}
	if _, err := engine.Open(dir, engine.Options{}); !errors.Is(err, data.ErrLocked) {
		t.Errorf("a second open while read-only: %v, want ErrLocked", err)
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	sameImage(t, "a read-only open", dirImage(t, dir, true), before)

	// The lock is released: a skysh starts on it, and while it runs, a
	// read-only open is refused.
	e = persistOpen(t, dir, engine.Options{})
	if _, err := engine.Open(dir, engine.Options{ReadOnly: true}); !errors.Is(err, data.ErrLocked) {
		t.Errorf("a read-only open while skysh runs: %v, want ErrLocked", err)
	}
}

// TestReadOnlyRefusesNonStore: a read-only open of a path that holds no
// store (missing, empty, another program's directory) fails with the
// reason and creates nothing.
func TestReadOnlyRefusesNonStore(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	missing := filepath.Join(parent, "missing")
	if _, err := engine.Open(missing, engine.Options{ReadOnly: true}); err == nil {
		t.Error("a missing directory opened read-only")
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a read-only open created %s (%v)", missing, err)
	}
	other := filepath.Join(parent, "other")
	if err := os.MkdirAll(filepath.Join(other, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := dirImage(t, other, true)
	_, err := engine.Open(other, engine.Options{ReadOnly: true})
	if !errors.Is(err, engine.ErrDataFile) || !strings.Contains(err.Error(), "not a skysh data directory") {
		t.Errorf("a directory without data.bin: %v, want ErrDataFile saying it is not a data directory", err)
	}
	sameImage(t, "a refused read-only open", dirImage(t, other, true), before)
}
