package main

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"skysh/data"
)

// A Skytable 0.6 data directory opened as it is: skysh loads its data.bin,
// keeps the original byte for byte, saves in its own format from then on,
// and refuses any file that is neither format without changing it.

// skyd06 builds, byte by byte from the facts of the format (bincode 1.3
// with fixed-width little-endian integers), the file skyd 0.6 writes for
// entries in this order: a u64 entry count, then per entry a u64 key
// length, the key, a u64 value length, the value. count is what the file
// announces.
func skyd06(count uint64, entries ...[2]string) []byte {
	b := binary.LittleEndian.AppendUint64(nil, count)
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(e[0])))
		b = append(b, e[0]...)
		b = binary.LittleEndian.AppendUint64(b, uint64(len(e[1])))
		b = append(b, e[1]...)
	}
	return b
}

// skyd06Store is the file skyd 0.6 writes for entries, announcing them all.
func skyd06Store(entries ...[2]string) []byte {
	return skyd06(uint64(len(entries)), entries...)
}

// skyd06Dir makes a data directory as skyd 0.6 leaves it: data.bin in its
// format and the snapshot folders.
func skyd06Dir(t *testing.T, dataBin []byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "snapshots", "remote"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, data.DataFileName), dataBin, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// mustHoldBytes fails the test unless the file at path holds exactly want.
func mustHoldBytes(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s: %d bytes, %v; want the %d bytes it had", path, len(got), err, len(want))
	}
}

// mustNotExist fails the test if something is at path.
func mustNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("%s exists (lstat: %v), want nothing there", path, err)
	}
}

const keptName = data.DataFileName + ".skytable-0.6"

// loadedMessage is what skysh says when it opens a Skytable 0.6 data.bin.
func loadedMessage(keys int, kept string) string {
	count := strconv.Itoa(keys) + " keys"
	if keys == 1 {
		count = "1 key"
	}
	return "skysh: loaded " + count + " from a Skytable 0.6 data.bin; it is kept as " + kept + "\n"
}

// TestSkytable06Open opens data directories that skyd 0.6 wrote, with
// stores of every shape: each loads with exactly its pairs, the original
// is kept byte for byte, and data.bin is in skysh's format afterwards.
func TestSkytable06Open(t *testing.T) {
	t.Parallel()
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	reversed := bytes.Clone(every)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	for _, c := range []struct {
		name    string
		entries [][2]string
	}{
		{"empty map", nil},
		{"one entry", [][2]string{{"hello", "world"}}},
		{"every byte value", [][2]string{{string(every), string(reversed)}, {"\x00", "\xff"}, {"\r\n", "\x1b[31m"}}},
		{"empty key and empty value", [][2]string{{"", ""}, {"k", ""}}},
		{"1 MiB value", [][2]string{{"big", strings.Repeat("0123456789abcdef", 1<<16)}, {"small", "s"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			orig := skyd06Store(c.entries...)
			dir := skyd06Dir(t, orig)
			want := map[string]string{}
			for _, e := range c.entries {
				want[e[0]] = e[1]
			}
			kept := filepath.Join(dir, keptName)

			stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "DBSIZE")
			if status != 0 || stdout != strconv.Itoa(len(want))+"\n" || stderr != loadedMessage(len(want), kept) {
				t.Fatalf("status %d, stdout %q, stderr %q; want 0, %d and %q", status, stdout, stderr, len(want), loadedMessage(len(want), kept))
			}
			mustHoldBytes(t, kept, orig)
			dirMustHold(t, dir, want)

			// From now on it is a skysh directory: nothing more to say.
			stdout, stderr, status = persistRun(t, "", "-d", dir, "-e", "DBSIZE")
			if status != 0 || stdout != strconv.Itoa(len(want))+"\n" || stderr != "" {
				t.Fatalf("second run: status %d, stdout %q, stderr %q", status, stdout, stderr)
			}
			mustHoldBytes(t, kept, orig)
		})
	}
}

// TestSkytable06Refused: a data.bin that is neither format, or a damaged
// Skytable 0.6 file, stops skysh with the path and a reason of its own,
// and changes nothing: the file keeps its bytes, and no copy or journal is
// made.
func TestSkytable06Refused(t *testing.T) {
	t.Parallel()
	skysh := filepath.Join(t.TempDir(), "made")
	if _, stderr, status := persistRun(t, "", "-d", skysh, "-e", "SET a 1", "-e", "SET long "+strings.Repeat("v", 100)); status != 0 {
		t.Fatalf("making a skysh data.bin: %d, %s", status, stderr)
	}
	good, err := os.ReadFile(filepath.Join(skysh, data.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	changed := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0x04
		return b
	}
	rng := rand.New(rand.NewPCG(6, 2)) // fixed: the same file every run
	random := make([]byte, 1000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	one := skyd06Store([2]string{"key", "value"})
	for _, c := range []struct {
		name   string
		file   []byte
		reason string
	}{
		{"count larger than the entries", skyd06(2, [2]string{"key", "a value long enough"}),
			"the entry count is larger than the entries in the file at offset 46: it announces 2 entries, but the file ends after entry 1"},
		{"length past the end", one[:len(one)-1],
			"a length runs past the end of the file at offset 19: the value of entry 1 of 1 is 5 bytes long, but only 4 bytes of the file are left"},
		{"trailing bytes", append(bytes.Clone(one), "junk"...),
			"bytes follow the last entry at offset 32: 4 bytes after entry 1 of 1"},
		{"a file of zeros", make([]byte, 4096),
			"the file holds nothing but zero bytes: all 4096 of them"},
		{"random bytes", random, "nor a valid Skytable 0.6 file"},
		{"skysh file, one byte of a value changed", changed(len(good) - 10), "checksum mismatch (file is corrupt)"},
		{"skysh file, one byte of the magic changed", changed(2),
			"not a skysh data file: it starts almost like one (1 of its first 8 bytes differs from skysh's magic): it is damaged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := skyd06Dir(t, c.file)
			file := filepath.Join(dir, data.DataFileName)
			stdout, stderr, status := persistRun(t, "SET b 2\n", "-d", dir)
			if status != 1 || stdout != "" {
				t.Errorf("status %d, stdout %q; want 1 and nothing", status, stdout)
			}
			if !strings.Contains(stderr, "skysh: cannot load "+file+": ") || !strings.Contains(stderr, c.reason) || !strings.Contains(stderr, "--restore") {
				t.Errorf("stderr does not name %s, say %q and hint at --restore:\n%s", file, c.reason, stderr)
			}
			mustHoldBytes(t, file, c.file)
			mustNotExist(t, filepath.Join(dir, keptName))
			if logs, _ := filepath.Glob(filepath.Join(dir, "journal-*")); len(logs) > 0 {
				t.Errorf("journal files made: %s", logs)
			}
		})
	}
}

// TestSkytable06KilledBeforeASave: writes acknowledged on a store loaded
// from Skytable 0.6 survive kill -9, through the journal, which starts
// afresh for it; the original stays kept.
func TestSkytable06KilledBeforeASave(t *testing.T) {
	t.Parallel()
	orig := skyd06Store([2]string{"a", "1"}, [2]string{"b", "2"})
	dir := skyd06Dir(t, orig)
	p := persistStart(t, nil, "-d", dir, "--json", "--nosave")
	p.ask("SET c 3", persistOkay)
	p.ask("DEL a", "1")
	p.signal(syscall.SIGKILL)
	p.exit()
	if s := p.stderr.String(); s != loadedMessage(2, filepath.Join(dir, keptName)) {
		t.Errorf("stderr %q", s)
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "MGET a b c")
	if status != 0 || stdout != "(Nil)\n2\n3\n" {
		t.Fatalf("after kill -9: status %d, stdout %q, stderr %q; want a deleted, b and c kept", status, stdout, stderr)
	}
	mustHoldBytes(t, filepath.Join(dir, keptName), orig)
	dirMustHold(t, dir, map[string]string{"b": "2", "c": "3"})
}

// TestSkytable06KeptNameTaken: skysh never replaces a file it did not
// write at data.bin.skytable-0.6. One holding other bytes, or something
// other than a file, makes it keep the original under the next free name;
// one holding the very same bytes is the original kept already.
func TestSkytable06KeptNameTaken(t *testing.T) {
	t.Parallel()
	orig := skyd06Store([2]string{"k", "v"})
	for _, c := range []struct {
		name  string
		taken func(t *testing.T, path string)
		kept  string
	}{
		{"another file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("the user's own notes"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, keptName + "-2"},
		{"a directory", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, keptName + "-2"},
		{"a symbolic link to the original", func(t *testing.T, path string) {
			if err := os.Symlink(data.DataFileName, path); err != nil {
				t.Fatal(err)
			}
		}, keptName + "-2"},
		{"the same bytes", func(t *testing.T, path string) {
			if err := os.WriteFile(path, orig, 0o600); err != nil {
				t.Fatal(err)
			}
		}, keptName},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := skyd06Dir(t, orig)
			taken := filepath.Join(dir, keptName)
			c.taken(t, taken)
			before, err := os.Lstat(taken)
			if err != nil {
				t.Fatal(err)
			}
			var content []byte
			if before.Mode().IsRegular() {
				content, _ = os.ReadFile(taken)
			}
			kept := filepath.Join(dir, c.kept)
			_, stderr, status := persistRun(t, "", "-d", dir, "-e", "SET new 1")
			if status != 0 || stderr != loadedMessage(1, kept) {
				t.Fatalf("status %d, stderr %q; want 0 and %q", status, stderr, loadedMessage(1, kept))
			}
			mustHoldBytes(t, kept, orig)
			after, err := os.Lstat(taken)
			if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
				t.Fatalf("%s was replaced or changed: %v, %v", taken, after, err)
			}
			if content != nil {
				mustHoldBytes(t, taken, content)
			}
			dirMustHold(t, dir, map[string]string{"k": "v", "new": "1"})
		})
	}
}

// TestSkytable06BesideAJournal: journal files left by a crashed skysh hold
// acknowledged writes of another store; a Skytable 0.6 data.bin put beside
// them cannot take them, so skysh refuses to start and changes nothing.
func TestSkytable06BesideAJournal(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := persistStart(t, nil, "-d", dir, "--json", "--nosave")
	p.ask("SET acknowledged 1", persistOkay)
	p.signal(syscall.SIGKILL)
	p.exit()
	orig := skyd06Store([2]string{"k", "v"})
	if err := os.WriteFile(filepath.Join(dir, data.DataFileName), orig, 0o644); err != nil {
		t.Fatal(err)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "journal-*"))
	if len(logs) == 0 {
		t.Fatal("kill -9 left no journal")
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "DBSIZE")
	if status != 1 || stdout != "" || !strings.Contains(stderr, "is a Skytable 0.6 file") || !strings.Contains(stderr, "journal") {
		t.Fatalf("status %d, stdout %q, stderr %q; want a refusal naming the journal", status, stdout, stderr)
	}
	mustHoldBytes(t, filepath.Join(dir, data.DataFileName), orig)
	mustNotExist(t, filepath.Join(dir, keptName))
	if still, _ := filepath.Glob(filepath.Join(dir, "journal-*")); len(still) != len(logs) {
		t.Fatalf("journal files %s, want %s", still, logs)
	}
}

// TestSkytable06Restore: --restore reads a Skytable 0.6 snapshot as it
// reads skysh's own, and keeps a Skytable 0.6 data.bin that it replaces.
func TestSkytable06Restore(t *testing.T) {
	t.Parallel()
	orig := skyd06Store([2]string{"old", "1"})
	dir := skyd06Dir(t, orig)
	snap := skyd06Store([2]string{"snap", "shot"}, [2]string{"", "empty key"})
	if err := os.WriteFile(filepath.Join(dir, "snapshots", "20220101-120000.snapshot"), snap, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "-r", "20220101-120000.snapshot", "-e", "DBSIZE")
	if status != 0 || stdout != "2\n" {
		t.Fatalf("status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	for _, want := range []string{
		"kept as " + filepath.Join(dir, keptName),
		"restored 2 keys from " + filepath.Join(dir, "snapshots", "20220101-120000.snapshot") + " (a Skytable 0.6 snapshot)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	mustHoldBytes(t, filepath.Join(dir, keptName), orig)
	dirMustHold(t, dir, map[string]string{"snap": "shot", "": "empty key"})
}

// TestSkytable06SnapshotsKept: skyd's own automatic snapshots, named as
// skysh names its own, are not skysh's to rotate away.
func TestSkytable06SnapshotsKept(t *testing.T) {
	t.Parallel()
	dir := skyd06Dir(t, skyd06Store([2]string{"k", "v"}))
	var old []string
	for _, name := range []string{"20210101-000000.snapshot", "20210102-000000.snapshot"} {
		path := filepath.Join(dir, "snapshots", name)
		if err := os.WriteFile(path, skyd06Store([2]string{"k", name}), 0o644); err != nil {
			t.Fatal(err)
		}
		old = append(old, path)
	}
	for range 2 {
		_, stderr, status := persistRun(t, "", "-d", dir, "--snapevery", "3600", "--snapkeep", "1", "-e", "MKSNAP")
		want := "skysh: keeping the Skytable 0.6 snapshots in " + filepath.Join(dir, "snapshots") +
			" as they are (--restore reads them): 20210101-000000.snapshot, 20210102-000000.snapshot\n"
		if status != 0 || !strings.Contains(stderr, want) {
			t.Fatalf("status %d, stderr %q; want 0 and %q", status, stderr, want)
		}
	}
	for _, path := range old {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("skyd's snapshot was removed: %v", err)
		}
	}
	auto, _ := filepath.Glob(filepath.Join(dir, "snapshots", "*.snapshot"))
	if len(auto) != len(old)+1 {
		t.Errorf("snapshots %s, want skyd's %d and skysh's newest one", auto, len(old))
	}
}
