package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"skysh/data"
)

// skytable06Dir makes a data directory whose data.bin is a Skytable 0.6
// file of pairs, and returns it with the file's bytes.
func skytable06Dir(t *testing.T, pairs ...string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	err := data.EncodeSkytable06(&b, uint64(len(pairs)/2), func(add func(k, v string) error) error {
		for i := 0; i < len(pairs); i += 2 {
			if err := add(pairs[i], pairs[i+1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, data.DataFileName), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, b.Bytes()
}

// withoutHardLinks makes linkFile fail as on a file system that has no
// hard links, for the rest of the test.
func withoutHardLinks(t *testing.T) {
	saved := linkFile
	linkFile = func(root *os.Root, oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
	}
	t.Cleanup(func() { linkFile = saved })
}

// TestSkytable06KeptWithoutHardLinks: where hard links fail, the original
// is kept as a copy, never over a file that is there already, and no temp
// file is left behind.
func TestSkytable06KeptWithoutHardLinks(t *testing.T) {
	withoutHardLinks(t)
	dir, orig := skytable06Dir(t, "a", "1", "b", "2")
	taken := filepath.Join(dir, skytable06Kept)
	if err := os.WriteFile(taken, []byte("not the original"), 0o600); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	e, err := Open(dir, Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(dir, skytable06Kept+"-2")
	if got, want := log.String(), "skysh: loaded 2 keys from a Skytable 0.6 data.bin; it is kept as "+kept+"\n"; got != want {
		t.Fatalf("log %q, want %q", got, want)
	}
	for path, want := range map[string][]byte{kept: orig, taken: []byte("not the original")} {
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s holds %q, %v; want %q", path, got, err, want)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, data.TempPrefix+"*"))
	if len(left) > 0 {
		t.Fatalf("temp files left: %s", left)
	}
}

// TestSkytable06JournalStartsAfresh: the store loaded from a Skytable 0.6
// file holds no journal write, data.bin is in skysh's format at once, and
// the journal's first segment starts at write 1.
func TestSkytable06JournalStartsAfresh(t *testing.T) {
	dir, _ := skytable06Dir(t, "k", "v")
	e, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(nil)
	if e.seq != 0 || e.jr == nil || e.jr.cur == nil || e.jr.cur.name != segmentName(1) {
		t.Fatalf("seq %d, journal %+v; want 0 and a segment starting at write 1", e.seq, e.jr)
	}
	f, err := os.Open(filepath.Join(dir, data.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if data.GuessFormat(f) != data.FormatSkysh {
		t.Fatal("data.bin is not in skysh's format after the load")
	}
}
