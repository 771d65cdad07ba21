package data_test

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"skysh/data"
)

// sparseFile writes a file of size bytes that holds head and then a hole:
// the file system stores no blocks for the rest, which reads as zeros. A
// header that believes the size can be made to announce anything.
func sparseFile(t *testing.T, head []byte, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.bin")
	if err := os.WriteFile(path, head, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSparseFileAllocatesWhatIsRead reads sparse 40 GiB files whose header
// announces as many entries, or a first key as long, as 40 GiB can hold,
// and which are malformed right after: refusing them must cost about the
// bytes read, and the count handed to begin must not ask the caller to
// pre-size for billions of entries.
func TestSparseFileAllocatesWhatIsRead(t *testing.T) {
	const size = 40 << 30
	// A key length of 30 GiB, then a malformed value length right after
	// the first buffer of key bytes would be: the decoder must not reserve
	// the 30 GiB before reading them. The file is cut (a reader that
	// returns less than the size said, as a file truncated while it is
	// read does) so that the test does not read 30 GiB of zeros.
	forgedLength := binary.AppendUvarint(nil, 30<<30)
	for _, tc := range []struct {
		name  string
		count uint64
		body  []byte
		cut   int64 // bytes the file really delivers; 0: all of it
	}{
		{"count", 1 << 34, []byte{0x80, 0x00}, 0},
		{"key length", 1, forgedLength, 4 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := sparseFile(t, rawFile(1, tc.count, tc.body), size)
			var hint uint64
			var err error
			allocated := allocatedBy(func() {
				if tc.cut == 0 {
					err = data.ReadFile(path, func(n uint64) { hint = n }, func(k, v string) error { return nil })
					return
				}
				f, openErr := os.Open(path)
				if openErr != nil {
					t.Fatal(openErr)
				}
				defer f.Close()
				err = data.Decode(&shrinking{f: f, left: tc.cut, size: size}, func(n uint64) { hint = n }, func(k, v string) error { return nil })
			})
			if !errors.Is(err, data.ErrCorrupt) && !errors.Is(err, data.ErrTruncated) {
				t.Fatalf("decode = %v, want the file refused", err)
			}
			if limit := uint64(64 << 20); allocated > limit {
				t.Fatalf("refusing it allocated %d MiB, want at most %d MiB", allocated>>20, limit>>20)
			}
			if hint > 1<<22 {
				t.Fatalf("begin(%d): the caller was asked to pre-size for the forged count", hint)
			}
		})
	}
}

// shrinking is a file that says it has size bytes but delivers only left of
// them: one truncated while it is read.
type shrinking struct {
	f    *os.File
	left int64
	size int64
}

func (s *shrinking) Len() int { return int(s.size) }

func (s *shrinking) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	p = p[:min(int64(len(p)), s.left)]
	n, err := s.f.Read(p)
	s.left -= int64(n)
	return n, err
}
