package engine_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skysh/data"
	"skysh/engine"
)

// mustOpenTarget opens a target and closes it when the test ends.
func mustOpenTarget(t *testing.T, dir string) *engine.Target {
	t.Helper()
	tg, err := engine.OpenTarget(dir, nil)
	if err != nil {
		t.Fatalf("OpenTarget(%q): %v", dir, err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

// fillFrom is a Replace filler that adds every pair of m.
func fillFrom(m map[string]string) func(add func(k, v string) error) error {
	return func(add func(k, v string) error) error {
		for k, v := range m {
			if err := add(k, v); err != nil {
				return err
			}
		}
		return nil
	}
}

// targetRead is what the target holds, read back through RangeSorted.
func targetRead(t *testing.T, tg *engine.Target) map[string]string {
	t.Helper()
	m, err := persistRange(0, tg.RangeSorted)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTargetReplace: a target counts the store it holds (data.bin and the
// journal's writes), and Replace leaves exactly the new store, which skysh
// then opens, with the old journal gone and never replayed onto it.
func TestTargetReplace(t *testing.T) {
	t.Parallel()
	dir, old := readOnlySetup(t)
	tg := mustOpenTarget(t, dir)
	if got, want := tg.Len(), len(old); got != want {
		t.Errorf("Len()=%d, want %d", got, want)
	}
	want := maps.Clone(persistBinary)
	want["only in the copy"] = "x"
	if err := tg.Replace(uint64(len(want)), fillFrom(want)); err != nil {
		t.Fatal(err)
	}
	persistSame(t, "target after Replace", targetRead(t, tg), want)
	if segs := journalSegments(t, dir); len(segs) != 0 {
		t.Errorf("the old journal is still there: %v", segs)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	e := persistOpen(t, dir, engine.Options{})
	persistSame(t, "skysh on the replaced store", persistStore(t, e), want)
}

// TestTargetReplaceCrashBeforeJournalRemoved: a crash between the rename of
// the new data.bin and the removal of the old journal leaves both; a start
// must skip the old journal's records, not apply them to the new store.
func TestTargetReplaceCrashBeforeJournalRemoved(t *testing.T) {
	t.Parallel()
	dir, _ := readOnlySetup(t)
	saved := map[string][]byte{}
	for _, seg := range journalSegments(t, dir) {
		b, err := os.ReadFile(seg)
		if err != nil {
			t.Fatal(err)
		}
		saved[seg] = b
	}
	tg := mustOpenTarget(t, dir)
	want := map[string]string{"new": "store"}
	if err := tg.Replace(1, fillFrom(want)); err != nil {
		t.Fatal(err)
	}
	tg.Close()
	for seg, b := range saved { // as the crash left them
		if err := os.WriteFile(seg, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	e := persistOpen(t, dir, engine.Options{})
	persistSame(t, "skysh after a crash in Replace", persistStore(t, e), want)
}

// TestTargetReplaceFailure: a Replace whose pairs fail to come leaves the
// directory as it was.
func TestTargetReplaceFailure(t *testing.T) {
	t.Parallel()
	dir, _ := readOnlySetup(t)
	tg := mustOpenTarget(t, dir)
	before := dirImage(t, dir, false)
	broken := errors.New("the source broke")
	err := tg.Replace(2, func(add func(k, v string) error) error {
		add("a", "1")
		return broken
	})
	if !errors.Is(err, broken) {
		t.Fatalf("Replace = %v, want the filler's error", err)
	}
	sameImage(t, "a failed Replace", dirImage(t, dir, false), before)
}

// TestOpenTargetDirectories: a missing directory is created and an empty
// one taken; a directory of other files, a store that cannot be loaded and
// a directory that skysh holds are refused, and left as they were.
func TestOpenTargetDirectories(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()

	missing := filepath.Join(parent, "new", "data")
	if tg := mustOpenTarget(t, missing); tg.Len() != 0 {
		t.Errorf("a new directory holds %d keys", tg.Len())
	}
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	mustOpenTarget(t, empty)

	other := filepath.Join(parent, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := dirImage(t, other, true)
	if _, err := engine.OpenTarget(other, nil); err == nil || !strings.Contains(err.Error(), "not a skysh data directory") {
		t.Errorf("OpenTarget of a directory of other files: %v", err)
	}
	sameImage(t, "a refused target", dirImage(t, other, true), before)

	damaged := filepath.Join(parent, "damaged")
	if err := os.Mkdir(damaged, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(damaged, data.DataFileName), []byte("not a store"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := engine.OpenTarget(damaged, nil); !errors.Is(err, engine.ErrDataFile) {
		t.Errorf("OpenTarget of a damaged store: %v, want ErrDataFile", err)
	}
	if b, _ := os.ReadFile(filepath.Join(damaged, data.DataFileName)); string(b) != "not a store" {
		t.Errorf("the damaged data.bin was changed to %q", b)
	}

	running := filepath.Join(parent, "running")
	persistOpen(t, running, engine.Options{})
	if _, err := engine.OpenTarget(running, nil); !errors.Is(err, data.ErrLocked) {
		t.Errorf("OpenTarget of a directory skysh holds: %v, want ErrLocked", err)
	}
}
