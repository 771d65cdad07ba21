package data_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"skysh/data"
)

// files lists the names in dir, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	for _, content := range []string{"first", "second, longer than the first", strings.Repeat("x", 3<<20)} {
		if err := data.WriteFileAtomic(dir, "data.bin", writeString(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "data.bin"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != content {
			t.Fatalf("data.bin holds %.20q (%d bytes), want %.20q (%d bytes)", got, len(got), content, len(content))
		}
		if got, want := files(t, dir), []string{"data.bin"}; !slices.Equal(got, want) {
			t.Fatalf("directory holds %q, want %q", got, want)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "data.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Fatalf("mode %v, want %v", got, want)
	}
}

func TestWriteFileAtomicRenameFails(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "data.bin")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "inside"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := data.WriteFileAtomic(dir, "data.bin", writeString("new"))
	if err == nil {
		t.Fatal("WriteFileAtomic over a directory succeeded")
	}
	var se *data.SaveError
	if !errors.As(err, &se) || se.Op != "rename" || se.Path != target {
		t.Fatalf("error %#v, want a *SaveError for the rename of %s", err, target)
	}
	if !errors.Is(err, syscall.EISDIR) && !errors.Is(err, syscall.EEXIST) && !errors.Is(err, syscall.ENOTEMPTY) {
		t.Fatalf("error %v does not wrap the cause", err)
	}
	// What could not be done, why in words, and the system's own text.
	if msg := err.Error(); !strings.HasPrefix(msg, "cannot save "+target+": a directory is in the way (rename") {
		t.Fatalf("message %q does not say what could not be done and why", msg)
	}
	if got, want := files(t, dir), []string{"data.bin"}; !slices.Equal(got, want) {
		t.Fatalf("directory holds %q, want %q: the temp file was left behind", got, want)
	}
	if got, err := os.ReadFile(filepath.Join(target, "inside")); err != nil || string(got) != "old" {
		t.Fatalf("old content %q, %v: want it untouched", got, err)
	}
}

func TestWriteFileAtomicWriteFails(t *testing.T) {
	dir := t.TempDir()
	if err := data.WriteFileAtomic(dir, "data.bin", writeString("old")); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("store changed under the encoder")
	err := data.WriteFileAtomic(dir, "data.bin", func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("half", 1<<19)) // 2 MiB: some of it reaches the file
		return broken
	})
	if !errors.Is(err, broken) {
		t.Fatalf("error %v, want the write func's", err)
	}
	if got, want := err.Error(), "cannot save "+filepath.Join(dir, "data.bin")+": store changed under the encoder"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	if got, want := files(t, dir), []string{"data.bin"}; !slices.Equal(got, want) {
		t.Fatalf("directory holds %q, want %q: the temp file was left behind", got, want)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "data.bin")); string(got) != "old" {
		t.Fatalf("data.bin holds %.20q, want the old content", got)
	}
}

func TestWriteFileAtomicPanics(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic of write was swallowed")
			}
		}()
		data.WriteFileAtomic(dir, "data.bin", func(w io.Writer) error { panic("bug") })
	}()
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("directory holds %q after a panic, want nothing", got)
	}
}

func TestWriteFileAtomicNoDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	err := data.WriteFileAtomic(dir, "data.bin", writeString("x"))
	var se *data.SaveError
	if !errors.As(err, &se) || se.Op != "create" || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %#v, want a *SaveError for the create, wrapping ErrNotExist", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "cannot save "+filepath.Join(dir, "data.bin")+": ") {
		t.Fatalf("message %q does not start with what could not be done", msg)
	}
}

func TestSyncDir(t *testing.T) {
	if err := data.SyncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := data.SyncDir(filepath.Join(t.TempDir(), "gone")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("SyncDir of a missing directory = %v", err)
	}
}

func TestEncoderThroughWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	entries := []kv{{"a", "1"}, {"b", strings.Repeat("2", 3<<20)}}
	err := data.WriteFileAtomic(dir, "data.bin", func(w io.Writer) error {
		e, err := data.NewEncoder(w, uint64(len(entries)))
		if err != nil {
			return err
		}
		for _, x := range entries {
			e.Add(x.k, x.v)
		}
		return e.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []kv
	err = data.ReadFile(filepath.Join(dir, "data.bin"), func(uint64) {}, func(k, v string) error {
		got = append(got, kv{k, v})
		return nil
	})
	if err != nil || !slices.Equal(got, entries) {
		t.Fatalf("ReadFile = %d entries, %v", len(got), err)
	}
}

// TestSmallStoreSaveAllocatesLittle: writing the file of an empty store,
// as every start on a new data directory does, allocates kilobytes, not
// the megabyte buffers a large store's save streams through: a short run
// (`skysh -e HEYA`) must not pay for them with a garbage collection.
func TestSmallStoreSaveAllocatesLittle(t *testing.T) {
	dir := t.TempDir()
	save := func() {
		err := data.WriteFileAtomic(dir, "data.bin", func(w io.Writer) error {
			enc, err := data.NewEncoder(w, 0)
			if err != nil {
				return err
			}
			return enc.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	save() // the first call's one-time costs do not count
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	save()
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 128<<10 {
		t.Errorf("saving an empty store allocated %d bytes, want at most 128 KiB", n)
	}
}
