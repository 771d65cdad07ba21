package engine_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skysh/data"
	"skysh/engine"
)

// The final save: Close retries a failing save every RetryEvery, without
// backoff, until it succeeds or the caller gives up; giving up writes a
// rescue copy elsewhere.

const (
	persistFailedMsg = "Failed to write data with error '"
	persistRetryMsg  = "Attempting to retry in 20ms"
)

// persistBlockedClose opens an engine with opts (without BGSAVE, retrying
// every 20ms, logging to the log it returns), writes want, puts a directory
// where data.bin must be renamed, and starts Close(giveUp) in a goroutine. It returns once the log shows three failed attempts, each
// promising a retry in 20ms, with Close still running, and giveUp, which
// makes Close give up. A test that ends without giving up or fixing the
// fault gives up at its cleanup, so that no Close outlives it.
func persistBlockedClose(t *testing.T, dir string, opts engine.Options, want map[string]string) (log *syncBuffer, closed <-chan error, giveUp func()) {
	t.Helper()
	log = &syncBuffer{}
	opts.SaveEvery, opts.RetryEvery, opts.Log = 0, 20*time.Millisecond, log
	e := persistOpen(t, dir, opts)
	persistFill(t, e, want)

	file := filepath.Join(dir, data.DataFileName)
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(file, 0o755); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	giveUp = sync.OnceFunc(func() { close(stop) })
	result := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		result <- persistClose(e, stop)
	}()
	t.Cleanup(func() {
		giveUp()
		<-done
	})
	persistWait(t, "three failed attempts of the final save", func() bool {
		s := log.String()
		return strings.Count(s, persistFailedMsg) >= 3 && strings.Count(s, persistRetryMsg) >= 3
	})
	select {
	case err := <-result:
		t.Fatalf("Close returned %v while data.bin could not be written; log:\n%s", err, log)
	default:
	}
	// Every attempt reports its own error and the same interval: no backoff.
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if strings.HasPrefix(line, persistFailedMsg) && !strings.HasSuffix(line, "'. "+persistRetryMsg) {
			t.Errorf("log line %q does not end with %q", line, "'. "+persistRetryMsg)
		}
	}
	if !strings.Contains(log.String(), "rename") {
		t.Errorf("the failures do not name the cause (rename); log:\n%s", log)
	}
	return log, result, giveUp
}

// persistWaitClose waits for the result of a Close started by
// persistBlockedClose.
func persistWaitClose(t *testing.T, closed <-chan error, log *syncBuffer) error {
	t.Helper()
	select {
	case err := <-closed:
		return err
	case <-time.After(persistDeadline):
		t.Fatalf("Close still running %v after the fault was cleared; log:\n%s", persistDeadline, log)
		return nil
	}
}

func persistFinalData() map[string]string {
	want := maps.Clone(persistBinary)
	for i := range 1000 {
		want["final:"+strconv.Itoa(i)] = strings.Repeat("x", i%50)
	}
	return want
}

// TestPersistFinalSaveRetries blocks the final save, lets it fail several
// times, then clears the fault: Close must succeed and the next Open must
// find everything.
func TestPersistFinalSaveRetries(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	rescue := t.TempDir()
	want := persistFinalData()
	log, closed, _ := persistBlockedClose(t, dir, engine.Options{RescueDirs: []string{rescue}}, want)

	if err := os.Remove(filepath.Join(dir, data.DataFileName)); err != nil {
		t.Fatal(err)
	}
	if err := persistWaitClose(t, closed, log); err != nil {
		t.Fatalf("Close after the fault was cleared = %v, want nil; log:\n%s", err, log)
	}
	if !strings.Contains(log.String(), "Saved data to "+filepath.Join(dir, data.DataFileName)) {
		t.Errorf("log does not say the save finally succeeded:\n%s", log)
	}
	if tmp := persistTempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temp files left in the data directory: %q", tmp)
	}
	if entries, _ := os.ReadDir(rescue); len(entries) > 0 {
		t.Errorf("a rescue copy was written though the save succeeded: %v", entries)
	}

	e := persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after the retried final save", persistStore(t, e), want)
}

// TestPersistFinalSaveGiveUp blocks the final save for good and gives up:
// Close must return ErrGaveUp after writing one rescue copy, which holds
// the whole store, and saying where it is.
func TestPersistFinalSaveGiveUp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	rescue := t.TempDir()
	want := persistFinalData()
	log, closed, giveUp := persistBlockedClose(t, dir, engine.Options{RescueDirs: []string{rescue}}, want)

	giveUp()
	if err := persistWaitClose(t, closed, log); !errors.Is(err, engine.ErrGaveUp) {
		t.Fatalf("Close after giving up = %v, want ErrGaveUp; log:\n%s", err, log)
	}
	copies, err := filepath.Glob(filepath.Join(rescue, "skysh-rescue-*.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(rescue); len(copies) != 1 || len(entries) != 1 {
		t.Fatalf("rescue directory holds %v, want exactly one skysh-rescue-*.bin", entries)
	}
	persistSame(t, "rescue copy", persistFile(t, copies[0]), want)
	if !strings.Contains(log.String(), copies[0]) {
		t.Errorf("log does not name the rescue copy %s:\n%s", copies[0], log)
	}
	if tmp := persistTempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temp files left in the data directory: %q", tmp)
	}
	// The data directory is as the fault left it, and unlocked: a new
	// engine refuses the directory at data.bin rather than start empty.
	if fi, err := os.Stat(filepath.Join(dir, data.DataFileName)); err != nil || !fi.IsDir() {
		t.Errorf("data.bin after giving up: %v, %v; want the directory left in place", fi, err)
	}
	if e, err := engine.Open(dir, engine.Options{}); !errors.Is(err, engine.ErrDataFile) {
		if err == nil {
			persistClose(e, nil)
		}
		t.Errorf("Open with a directory at data.bin = %v, want ErrDataFile", err)
	}

	// The rescue copy, put in place of data.bin as the log advises, is
	// the store.
	if err := os.Remove(filepath.Join(dir, data.DataFileName)); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copies[0], filepath.Join(dir, data.DataFileName)); err != nil {
		t.Fatal(err)
	}
	e := persistOpen(t, dir, engine.Options{})
	persistSame(t, "store loaded from the rescue copy", persistStore(t, e), want)
}
