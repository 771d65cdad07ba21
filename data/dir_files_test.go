package data_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"skysh/data"
)

// The data directory's files by their names inside it, after the directory
// has been renamed and a new one made at its old path: everything must act
// on the directory that was opened.

// renamedDir opens top/data, renames it to top/moved, makes a new directory
// with a file of someone else's at top/data, and returns the Dir with both
// paths.
func renamedDir(t *testing.T) (d *data.Dir, dir, moved string) {
	t.Helper()
	top := t.TempDir()
	dir, moved = filepath.Join(top, "data"), filepath.Join(top, "moved")
	d = mustOpen(t, dir)
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, data.SnapshotDirName), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, data.SnapshotDirName, "theirs"), []byte("theirs"), 0o600); err != nil {
		t.Fatal(err)
	}
	return d, dir, moved
}

func TestDirFilesFollowRename(t *testing.T) {
	d, dir, moved := renamedDir(t)
	mine := filepath.Join(moved, data.SnapshotDirName, "mine")
	if err := os.WriteFile(mine, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	entries, err := d.ReadDir(data.SnapshotDirName)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"mine", "remote"}; !slices.Equal(names, want) {
		t.Fatalf("ReadDir(snapshots) = %q, want %q, sorted, from the opened directory", names, want)
	}
	if err := d.Remove(filepath.Join(data.SnapshotDirName, "theirs")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Remove of a name only at the old path: %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Join(dir, data.SnapshotDirName, "theirs")); err != nil {
		t.Fatalf("the file at the old path is gone: %v", err)
	}
	if err := d.Remove(filepath.Join(data.SnapshotDirName, "mine")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(mine); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Remove left %s: %v", mine, err)
	}
}

func TestDirFilesErrorsNameShownPath(t *testing.T) {
	d := mustOpen(t, filepath.Join(t.TempDir(), "data"))
	name := filepath.Join(data.SnapshotDirName, "missing")
	shown := filepath.Join(d.Path(), name)
	if got := d.Shown(name); got != shown {
		t.Fatalf("Shown(%q) = %q, want %q", name, got, shown)
	}
	for op, err := range map[string]error{
		"ReadDir": func() error { _, err := d.ReadDir(name); return err }(),
		"Remove":  d.Remove(name),
	} {
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), shown) {
			t.Errorf("%s of a missing name: %v, want ErrNotExist naming %s", op, err, shown)
		}
	}
}

func TestDirWhere(t *testing.T) {
	d, _, moved := renamedDir(t)
	if got, err := d.Where(); err != nil || got != moved {
		t.Fatalf("Where() after a rename = %q, %v; want %q", got, err, moved)
	}
	if err := os.RemoveAll(moved); err != nil {
		t.Fatal(err)
	}
	if got, err := d.Where(); !errors.Is(err, data.ErrDirRemoved) {
		t.Fatalf("Where() after a removal = %q, %v; want ErrDirRemoved", got, err)
	}

	d = mustOpen(t, filepath.Join(t.TempDir(), "data"))
	if got, err := d.Where(); err != nil || got != d.Path() {
		t.Fatalf("Where() = %q, %v; want the path it was opened at, %q", got, err, d.Path())
	}
}

func TestWriteNewFile(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for range 2 {
		name, err := data.WriteNewFile(dir, "copy-", ".bin", writeString("content"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "copy-") || !strings.HasSuffix(name, ".bin") || len(name) <= len("copy-.bin") {
			t.Fatalf("name %q, want copy-RANDOM.bin", name)
		}
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fi.Mode(), os.FileMode(0o600); got != want {
			t.Fatalf("mode %v, want %v", got, want)
		}
		names = append(names, name)
	}
	if got := files(t, dir); !slices.Equal(got, slices.Sorted(slices.Values(names))) || names[0] == names[1] {
		t.Fatalf("directory holds %q, want the two new files %q", got, names)
	}
}

func TestWriteNewFileFails(t *testing.T) {
	dir := t.TempDir()
	broken := errors.New("store changed under the encoder")
	_, err := data.WriteNewFile(dir, "copy-", ".bin", func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("half", 1<<19)) // 2 MiB: some of it reaches the file
		return broken
	})
	var se *data.SaveError
	if !errors.Is(err, broken) || !errors.As(err, &se) || se.Op != "write" {
		t.Fatalf("error %v, want a *SaveError of the write wrapping the write func's", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("directory holds %q after a failed write, want nothing", got)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic of write was swallowed")
			}
		}()
		data.WriteNewFile(dir, "copy-", ".bin", func(w io.Writer) error { panic("bug") })
	}()
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("directory holds %q after a panic, want nothing", got)
	}
	if _, err := data.WriteNewFile(filepath.Join(dir, "gone"), "copy-", ".bin", writeString("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WriteNewFile into a missing directory: %v, want ErrNotExist", err)
	}
}

func TestDirWriteNewFile(t *testing.T) {
	d, dir, moved := renamedDir(t)
	name, err := d.WriteNewFile("copy-", ".bin", writeString("content"))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(moved, name)); err != nil || string(b) != "content" {
		t.Fatalf("%s in the renamed directory holds %q, %v; want the content", name, b, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a copy went to the old path: %v", err)
	}
	if err := os.RemoveAll(moved); err != nil {
		t.Fatal(err)
	}
	if _, err := d.WriteNewFile("copy-", ".bin", writeString("content")); !errors.Is(err, data.ErrDirRemoved) {
		t.Fatalf("WriteNewFile into the removed directory: %v, want ErrDirRemoved", err)
	}
}
