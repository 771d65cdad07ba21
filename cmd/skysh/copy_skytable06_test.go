package main

import (
	"encoding/binary"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// skytable06Parse reads a Skytable 0.6 file by its definition, here and
// not with skysh's decoder: a u64 LE count, then per entry a u64 LE key
// length, the key, a u64 LE value length, the value, and nothing after.
func skytable06Parse(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	next := func(n uint64) []byte {
		if uint64(len(b)) < n {
			t.Fatalf("%s ends early", path)
		}
		p := b[:n]
		b = b[n:]
		return p
	}
	count := binary.LittleEndian.Uint64(next(8))
	m := map[string]string{}
	for range count {
		k := string(next(binary.LittleEndian.Uint64(next(8))))
		m[k] = string(next(binary.LittleEndian.Uint64(next(8))))
	}
	if len(b) != 0 || uint64(len(m)) != count {
		t.Fatalf("%s: %d bytes after %d entries (%d distinct keys)", path, len(b), count, len(m))
	}
	return m
}

// TestCopySkytable06: 100,000 keys with binary values and the empty key go
// from skysh to a Skytable 0.6 file that reads, by the format's
// definition, as exactly those pairs, and back into skysh with equal
// digests. A skyd data directory is read as a directory, and one replaced
// with --force keeps its Skytable 0.6 data.bin, byte for byte.
func TestCopySkytable06(t *testing.T) {
	t.Parallel()
	m, want, src := copySource(t, 100_000)
	tmp := t.TempDir()
	sky := filepath.Join(tmp, "skyd", "data", "data.bin")
	if err := os.MkdirAll(filepath.Dir(sky), 0o755); err != nil {
		t.Fatal(err)
	}
	mustCopyCLI(t, want, src, "skytable06:"+sky)
	if got := skytable06Parse(t, sky); !maps.Equal(got, m) {
		t.Fatalf("the Skytable 0.6 file holds %d pairs, not the %d copied", len(got), len(m))
	}
	mustCopyCLI(t, want, "skytable06:"+sky, filepath.Join(tmp, "back"))
	// skyd's directory as it is, without the prefix.
	mustCopyCLI(t, want, filepath.Dir(sky), filepath.Join(tmp, "dir.snapshot"))

	original, err := os.ReadFile(sky)
	if err != nil {
		t.Fatal(err)
	}
	small := map[string]string{"a": "1"}
	stdout, stderr, status := persistRun(t, "", "copy", "--force", copyStore(t, small), filepath.Dir(sky))
	if status != 0 || !strings.Contains(stdout, copyDigest(small)) || !strings.Contains(stderr, "is kept as") {
		t.Fatalf("copy over a skyd directory: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	if kept, err := os.ReadFile(sky + ".skytable-0.6"); err != nil || string(kept) != string(original) {
		t.Errorf("the Skytable 0.6 data.bin was not kept as it was (%v)", err)
	}
}
