package engine_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"skysh/engine"
)

// The rescue copy is the last chance of the data when the final save fails
// and the user gives up on it: it must find a place to go, never replace
// anything, and never be given up on.

const rescueFailedMsg = "Could not write a rescue copy"

// rescueCopies lists the rescue copies in dir.
func rescueCopies(t *testing.T, dir string) []string {
	t.Helper()
	copies, err := filepath.Glob(filepath.Join(dir, "skysh-rescue-*.bin"))
	if err != nil {
		t.Fatal(err)
	}
	return copies
}

// rescueOnlyCopy fails the test unless dir holds one rescue copy, private
// to its owner, holding want, and named in the log; it returns its path.
func rescueOnlyCopy(t *testing.T, dir string, want map[string]string, log *syncBuffer) string {
	t.Helper()
	copies := rescueCopies(t, dir)
	if len(copies) != 1 {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("%s holds %v, want one rescue copy; log:\n%s", dir, entries, log)
	}
	persistSame(t, "rescue copy", persistFile(t, copies[0]), want)
	if fi, err := os.Stat(copies[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("rescue copy %s: mode %v (%v), want 0600", copies[0], fi.Mode(), err)
	}
	if !strings.Contains(log.String(), copies[0]) {
		t.Errorf("log does not name the rescue copy %s:\n%s", copies[0], log)
	}
	return copies[0]
}

// rescueUnusable returns places where no directory can be made to hold a
// file, even by root: a regular file, a path under a regular file, and a
// directory that does not exist.
func rescueUnusable(t *testing.T) []string {
	t.Helper()
	base := t.TempDir()
	file := filepath.Join(base, "a-file")
	if err := os.WriteFile(file, []byte("not a directory\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{file, filepath.Join(file, "below"), filepath.Join(base, "missing")}
}

// TestRescueNextPlace gives up on a failing final save while the first
// rescue places cannot take a file: the copy goes to the next one that can,
// and the log says why each before it failed.
func TestRescueNextPlace(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	good := t.TempDir()
	bad := rescueUnusable(t)
	want := persistFinalData()
	log, closed, giveUp := persistBlockedClose(t, dir, engine.Options{RescueDirs: append(bad, good)}, want)

	giveUp()
	if err := persistWaitClose(t, closed, log); !errors.Is(err, engine.ErrGaveUp) {
		t.Fatalf("Close after giving up = %v, want ErrGaveUp; log:\n%s", err, log)
	}
	rescueOnlyCopy(t, good, want, log)
	for _, place := range bad {
		if !strings.Contains(log.String(), place) {
			t.Errorf("the log does not say why %s could not take the copy:\n%s", place, log)
		}
	}
	if strings.Contains(log.String(), "lost") {
		t.Errorf("the log speaks of lost data though the copy was written:\n%s", log)
	}
}

// rescueDisk is an Options.WrapWriter that, while full, fails every save
// with ENOSPC after its first 64 KiB, as a full file system does.
type rescueDisk struct{ full atomic.Bool }

func (d *rescueDisk) wrap(w io.Writer) io.Writer { return &rescueDiskWriter{w: w, d: d} }

type rescueDiskWriter struct {
	w       io.Writer
	d       *rescueDisk
	written int
}

func (w *rescueDiskWriter) Write(p []byte) (int, error) {
	if w.d.full.Load() && w.written+len(p) > 64<<10 {
		return 0, &os.PathError{Op: "write", Path: "rescue test", Err: syscall.ENOSPC}
	}
	w.written += len(p)
	return w.w.Write(p)
}

// TestRescueRetries gives up on the final save while no place can take the
// rescue copy: Close must not return (the data would be lost) but say so and
// try every place again at each interval, leaving no partial copy behind;
// once a place can take it, the copy is written and Close returns.
func TestRescueRetries(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	first, second := t.TempDir(), t.TempDir()
	var disk rescueDisk
	want := persistFinalData()
	log, closed, giveUp := persistBlockedClose(t, dir, engine.Options{
		RescueDirs: []string{first, second},
		WrapWriter: disk.wrap,
	}, want)

	disk.full.Store(true)
	giveUp()
	persistWait(t, "three failed rounds of the rescue copy", func() bool {
		select {
		case err := <-closed:
			t.Fatalf("Close returned %v while no rescue copy could be written; log:\n%s", err, log)
		default:
		}
		return strings.Count(log.String(), rescueFailedMsg) >= 3
	})
	s := log.String()
	for _, place := range []string{first, second} {
		if strings.Count(s, place+": ") < 3 || !strings.Contains(s, "no space left on device") {
			t.Errorf("the log does not give the reason of each failure in %s at each round:\n%s", place, s)
		}
		if entries, _ := os.ReadDir(place); len(entries) > 0 {
			t.Errorf("failed rescue copies left behind in %s: %v", place, entries)
		}
	}
	if strings.Contains(s, "lost") || !strings.Contains(s, "retry") {
		t.Errorf("the log must say the copy will be retried, not that the data is lost:\n%s", s)
	}

	disk.full.Store(false)
	if err := persistWaitClose(t, closed, log); !errors.Is(err, engine.ErrGaveUp) {
		t.Fatalf("Close once a place could take the copy = %v, want ErrGaveUp; log:\n%s", err, log)
	}
	rescueOnlyCopy(t, first, want, log)
	if entries, _ := os.ReadDir(second); len(entries) > 0 {
		t.Errorf("a second rescue copy in %s: %v", second, entries)
	}
}

// TestRescueNeverReplaces fills the rescue directory, around the time of the
// test, with the names a rescue copy used to get (time and pid): files, and
// symlinks to a file elsewhere. None may be replaced, followed or changed;
// the copy goes under a name of its own.
func TestRescueNeverReplaces(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	rescue := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	victimText := []byte("someone else's file\n")
	if err := os.WriteFile(victim, victimText, 0o644); err != nil {
		t.Fatal(err)
	}
	planted := map[string]string{} // name -> content, or "-> target" for a symlink
	now := time.Now().UTC()
	for s := -2; s <= int(persistDeadline/time.Second)+2; s++ {
		name := fmt.Sprintf("skysh-rescue-%s-%d.bin", now.Add(time.Duration(s)*time.Second).Format("20060102-150405"), os.Getpid())
		path := filepath.Join(rescue, name)
		if s%2 == 0 {
			planted[name] = "-> " + victim
			if err := os.Symlink(victim, path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		planted[name] = "planted " + name
		if err := os.WriteFile(path, []byte(planted[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := persistFinalData()
	log, closed, giveUp := persistBlockedClose(t, dir, engine.Options{RescueDirs: []string{rescue}}, want)

	giveUp()
	if err := persistWaitClose(t, closed, log); !errors.Is(err, engine.ErrGaveUp) {
		t.Fatalf("Close after giving up = %v, want ErrGaveUp; log:\n%s", err, log)
	}
	for name, was := range planted {
		path := filepath.Join(rescue, name)
		if target, ok := strings.CutPrefix(was, "-> "); ok {
			if got, err := os.Readlink(path); err != nil || got != target {
				t.Errorf("the symlink %s was replaced: %q, %v", name, got, err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != was {
			t.Errorf("the file %s was replaced: %d bytes, %v; want %q", name, len(got), err, was)
		}
	}
	if got, err := os.ReadFile(victim); err != nil || !bytes.Equal(got, victimText) {
		t.Errorf("the symlinks' target was written through: %d bytes, %v", len(got), err)
	}
	copies := rescueCopies(t, rescue)
	var fresh []string
	for _, c := range copies {
		if _, ok := planted[filepath.Base(c)]; !ok {
			fresh = append(fresh, c)
		}
	}
	if len(fresh) != 1 {
		t.Fatalf("rescue copies besides the planted names: %q, want one; log:\n%s", fresh, log)
	}
	persistSame(t, "rescue copy", persistFile(t, fresh[0]), want)
	if !strings.Contains(log.String(), fresh[0]) {
		t.Errorf("log does not name the rescue copy %s:\n%s", fresh[0], log)
	}
}
