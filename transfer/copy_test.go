package transfer_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"skysh/data"
	"skysh/engine"
	"skysh/transfer"
)

// binaryPairs are keys and values that a text format or a C string would
// lose, the empty key among them, and a value larger than every buffer on
// the way.
var binaryPairs = map[string]string{
	"":            "the empty key",
	"empty value": "",
	"\x00":        "\x00\x00",
	"\xff\xfe":    "\x80\x81",
	"line\nbreak": "crlf\r\n",
	"utf8 é":      "日本語",
	"big":         strings.Repeat("0123456789abcdef", 100_000),
}

// makeStore writes pairs into a new data directory with a real engine, and
// returns the directory.
func makeStore(t *testing.T, pairs map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	query := []string{"USET"}
	for _, k := range slices.Sorted(maps.Keys(pairs)) {
		query = append(query, k, pairs[k])
		if len(query) > 2000 {
			e.Exec(query)
			query = query[:1]
		}
	}
	if len(query) > 1 {
		e.Exec(query)
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// storeOf reads the store of a data directory as skysh opens it.
func storeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	e, err := engine.Open(dir, engine.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(nil)
	m := map[string]string{}
	e.RangeSorted(func(k, v string) error { m[k] = v; return nil })
	return m
}

// digestOf is the digest of pairs, computed here from its definition and
// not with the package's code: SHA-256 over the pairs in byte order of the
// keys, each as u64 LE key length, key, u64 LE value length, value.
func digestOf(pairs map[string]string) transfer.Digest {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(pairs)) {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(k))))
		h.Write([]byte(k))
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(pairs[k]))))
		h.Write([]byte(pairs[k]))
	}
	d := transfer.Digest{Keys: int64(len(pairs))}
	h.Sum(d.Sum[:0])
	return d
}

// mustCopy copies and fails the test unless both sides match want.
func mustCopy(t *testing.T, from, to string, o transfer.Options, want map[string]string) {
	t.Helper()
	res, err := transfer.Copy(from, to, o)
	if err != nil {
		t.Fatalf("copy %s %s: %v", from, to, err)
	}
	if got, want := res.Source, digestOf(want); got != want {
		t.Errorf("copy %s %s: source %v, want %v", from, to, got, want)
	}
	if !res.Match() {
		t.Errorf("copy %s %s: destination %v, source %v", from, to, res.Destination, res.Source)
	}
}

// TestCopyRoundTrip: a data directory to a snapshot file, to a new data
// directory, to a snapshot inside another data directory, and back: every
// copy gives equal digests, and skysh opens the copies with every pair.
func TestCopyRoundTrip(t *testing.T) {
	t.Parallel()
	want := maps.Clone(binaryPairs)
	for i := range 2000 {
		want[fmt.Sprintf("key:%05d", i)] = fmt.Sprintf("\x00value %d\xff", i)
	}
	src := makeStore(t, want)
	tmp := t.TempDir()
	snap := filepath.Join(tmp, "copy.snapshot")
	dst := filepath.Join(tmp, "new", "data")
	mustCopy(t, src, snap, transfer.Options{}, want)
	mustCopy(t, snap, dst, transfer.Options{}, want)
	if got := storeOf(t, dst); !maps.Equal(got, want) {
		t.Fatalf("the copied directory holds %d keys, want %d", len(got), len(want))
	}
	inner := filepath.Join(dst, data.RemoteSnapshotDirName, "x.snapshot")
	mustCopy(t, src, inner, transfer.Options{}, want)
	mustCopy(t, inner, filepath.Join(tmp, "again.bin"), transfer.Options{}, want)

	empty := makeStore(t, nil)
	mustCopy(t, empty, filepath.Join(tmp, "empty.snapshot"), transfer.Options{}, nil)
}

// TestCopyJournal: a source directory's journal is part of its store: a
// copy of what a crash left holds the writes that only the journal has.
func TestCopyJournal(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "store")
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// What a crash leaves: data.bin as it was at the start, and the
	// journal as it was once the write was acknowledged.
	crashed := map[string][]byte{}
	keep := func(pattern string) {
		names, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			crashed[name] = b
		}
	}
	keep(data.DataFileName)
	e.Exec([]string{"SET", "journaled", "only"})
	if err := e.Commit(); err != nil {
		t.Fatal(err)
	}
	keep("journal-*.log")
	if len(crashed) != 2 {
		t.Fatalf("setup: want data.bin and one journal file, have %d files", len(crashed))
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	for name, b := range crashed {
		mustWrite(t, name, string(b))
	}
	mustCopy(t, dir, filepath.Join(t.TempDir(), "x.snapshot"), transfer.Options{}, map[string]string{"journaled": "only"})
}

// TestCopyRefusals: what cannot be copied, or must not be overwritten, is
// refused with a message that says why, and nothing is changed.
func TestCopyRefusals(t *testing.T) {
	t.Parallel()
	src := makeStore(t, map[string]string{"a": "1"})
	full := makeStore(t, map[string]string{"b": "2"})
	tmp := t.TempDir()
	existing := filepath.Join(tmp, "existing.snapshot")
	mustWrite(t, existing, "not mine")
	others := filepath.Join(tmp, "others")
	mustWrite(t, filepath.Join(others, "notes.txt"), "mine")
	fifo := filepath.Join(tmp, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "link.snapshot")
	if err := os.Symlink(existing, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(tmp, "dangling")
	if err := os.Symlink(filepath.Join(tmp, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	before := map[string]string{"src": tree(t, src), "full": tree(t, full), "tmp": tree(t, tmp)}

	for _, c := range []struct {
		from, to string
		o        transfer.Options
		usage    bool
		says     string
	}{
		{src, full, transfer.Options{}, false, "holds 1 key; --force replaces it"},
		{src, existing, transfer.Options{}, false, "already exists (8 bytes)"},
		{src, src, transfer.Options{}, true, "are the same place"},
		{src + "/.", src, transfer.Options{Force: true}, true, "are the same place"},
		{src, filepath.Join(src, "data.bin"), transfer.Options{Force: true}, true, "inside the data directory"},
		{src, filepath.Join(src, "other.snapshot"), transfer.Options{}, true, "inside the data directory"},
		{filepath.Join(src, "data.bin"), filepath.Join(tmp, "x.snapshot"), transfer.Options{}, true, "copy the directory itself"},
		{src, filepath.Join(tmp, "y.snapshot"), transfer.Options{Resume: true}, true, "run the copy again"},
		{src, "etcd://127.0.0.1:1/x", transfer.Options{Force: true, Resume: true}, true, "choose one of --force"},
		{filepath.Join(tmp, "missing"), filepath.Join(tmp, "z.snapshot"), transfer.Options{}, true, "does not exist"},
		{src, fifo, transfer.Options{Force: true}, true, "is a named pipe"},
		{src, link, transfer.Options{Force: true}, true, "is a symbolic link"},
		{src, others, transfer.Options{Force: true}, false, "not a skysh data directory"},
		{src, filepath.Join(tmp, "nodir", "x.snapshot"), transfer.Options{}, true, "does not exist"},
		{src, dangling, transfer.Options{}, true, dangling + " is a symbolic link to " + filepath.Join(tmp, "nowhere") + ", which does not exist"},
		{src, filepath.Join(dangling, "dir"), transfer.Options{}, true, dangling + " is a symbolic link to " + filepath.Join(tmp, "nowhere") + ", which does not exist"},
		{src, "skytable06:" + filepath.Join(dangling, "x.bin"), transfer.Options{}, true, "which does not exist"},
		{"skytable06:" + filepath.Join(tmp, "missing"), filepath.Join(tmp, "z.snapshot"), transfer.Options{}, true, "does not exist"},
		{"skytable06:" + fifo, filepath.Join(tmp, "z.snapshot"), transfer.Options{}, true, "is a named pipe"},
		{src, "ftp://host/x", transfer.Options{}, true, "unknown kind of place"},
		{src, "", transfer.Options{}, true, "names no place"},
		{existing, filepath.Join(tmp, "w.snapshot"), transfer.Options{}, false, "not a skysh data file: it starts like a text file; a file in Skytable 0.6's format is read as skytable06:"},
	} {
		_, err := transfer.Copy(c.from, c.to, c.o)
		if err == nil || !strings.Contains(err.Error(), c.says) || transfer.IsUsage(err) != c.usage {
			t.Errorf("copy %s %s: %v; want an error saying %q, usage %v", c.from, c.to, err, c.says, c.usage)
		}
	}
	after := map[string]string{"src": tree(t, src), "full": tree(t, full), "tmp": tree(t, tmp)}
	if !maps.Equal(after, before) {
		t.Errorf("refused copies changed files:\nbefore %v\nafter  %v", before, after)
	}
}

// TestCopyForce: --force replaces a store and a file.
func TestCopyForce(t *testing.T) {
	t.Parallel()
	want := map[string]string{"a": "1"}
	src := makeStore(t, want)
	full := makeStore(t, map[string]string{"b": "2", "c": "3"})
	file := filepath.Join(t.TempDir(), "existing.snapshot")
	mustWrite(t, file, "not mine")
	mustCopy(t, src, full, transfer.Options{Force: true}, want)
	mustCopy(t, src, file, transfer.Options{Force: true}, want)
	if got := storeOf(t, full); !maps.Equal(got, want) {
		t.Errorf("the replaced store holds %v, want %v", got, want)
	}
}

// TestCopyInterrupted: a copy stopped in the middle leaves a file or a
// data directory as it was (a new directory is removed again), and the
// copy can simply be run again.
func TestCopyInterrupted(t *testing.T) {
	t.Parallel()
	want := map[string]string{}
	for i := range 5000 {
		want[fmt.Sprintf("k%05d", i)] = "v"
	}
	src := makeStore(t, want)
	old := makeStore(t, map[string]string{"old": "store"})
	tmp := t.TempDir()
	for _, c := range []struct {
		to string
		o  transfer.Options
	}{
		{filepath.Join(tmp, "x.snapshot"), transfer.Options{}},
		{filepath.Join(tmp, "new", "dir"), transfer.Options{}},
		{old, transfer.Options{Force: true}},
	} {
		before := tree(t, tmp) + tree(t, old)
		stop := make(chan struct{})
		o := c.o
		o.Stop = stop
		o.Step = func(n int64) {
			if n == 1000 {
				close(stop)
			}
		}
		if _, err := transfer.Copy(src, c.to, o); !errors.Is(err, transfer.ErrInterrupted) || !strings.Contains(err.Error(), "left as it was") {
			t.Errorf("copy to %s: %v, want ErrInterrupted saying it was left as it was", c.to, err)
		}
		if after := tree(t, tmp) + tree(t, old); after != before {
			t.Errorf("an interrupted copy to %s changed files:\nbefore %s\nafter  %s", c.to, before, after)
		}
		mustCopy(t, src, c.to, c.o, want)
	}
}

// mustWrite creates a file, and its directory, holding text.
func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists every path under root with its size and, for files, a hash of
// its bytes, skipping the pid note (which holds whoever has the lock).
func tree(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v", path, d.Type())
		if d.Type().IsRegular() && d.Name() != data.LockFileName {
			content, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(content))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
