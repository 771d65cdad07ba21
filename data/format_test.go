package data_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"skysh/data"
)

// kv is one entry, kept in file order.
type kv struct{ k, v string }

// encode returns the file holding entries.
func encode(t testing.TB, entries []kv) []byte {
	t.Helper()
	return encodeSeq(t, entries, 0)
}

// encodeSeq returns the file holding entries with journal sequence seq.
func encodeSeq(t testing.TB, entries []kv, seq uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	e, err := data.NewEncoderSeq(&buf, uint64(len(entries)), seq)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range entries {
		if err := e.Add(x.k, x.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decoded is what one Decode delivered.
type decoded struct {
	begins  int
	count   uint64
	entries []kv
}

// decode runs data.Decode on r and checks the call protocol (see collect).
func decode(t testing.TB, r io.Reader) (decoded, error) {
	t.Helper()
	var d decoded
	begin, entry := d.collect(t)
	err := data.Decode(r, begin, entry)
	return d, err
}

// collect returns the begin and entry callbacks of a decode that records
// into d what they get, and checks the call protocol: begin exactly once,
// before any entry.
func (d *decoded) collect(t testing.TB) (begin func(uint64), entry func(k, v string) error) {
	return func(n uint64) {
			d.begins++
			d.count = n
		}, func(k, v string) error {
			if d.begins != 1 {
				t.Fatalf("entry %q delivered after %d calls of begin, want 1", k, d.begins)
			}
			d.entries = append(d.entries, kv{k, v})
			return nil
		}
}

// agree fails the test unless two decodes of one input, with its size known
// and not, agree: both refuse it with a *FormatError, or both accept it with
// the same entries. It reports whether they accepted it.
func agree(t testing.TB, sized decoded, err error, unsized decoded, unsizedErr error) bool {
	t.Helper()
	if (err == nil) != (unsizedErr == nil) {
		t.Fatalf("sized: %v; unsized: %v", err, unsizedErr)
	}
	if err != nil {
		var fe *data.FormatError
		if !errors.As(err, &fe) || !errors.As(unsizedErr, &fe) {
			t.Fatalf("errors %v and %v, want *FormatError", err, unsizedErr)
		}
		return false
	}
	if !slices.Equal(sized.entries, unsized.entries) {
		t.Fatalf("sized and unsized decodes differ")
	}
	return true
}

// unsized hides the Len method of a reader, so that Decode cannot learn the
// size of its input, as with a pipe.
type unsized struct{ r io.Reader }

func (u unsized) Read(p []byte) (int, error) { return u.r.Read(p) }

// readers are the two ways Decode meets its input: size known and unknown.
var readers = []struct {
	name string
	new  func([]byte) io.Reader
}{
	{"sized", func(b []byte) io.Reader { return bytes.NewReader(b) }},
	{"unsized", func(b []byte) io.Reader { return unsized{bytes.NewReader(b)} }},
}

// rawFile builds a file by hand, with a correct checksum, so that tests can
// forge headers and lengths that the Encoder refuses to write.
func rawFile(version uint32, count uint64, body []byte) []byte {
	return rawFileSeq(version, count, 0, body)
}

// rawFileSeq is rawFile with a journal sequence, which headers hold from
// version 2 on.
func rawFileSeq(version uint32, count, seq uint64, body []byte) []byte {
	b := []byte("\x89SKY\r\n\x1a\n")
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint64(b, count)
	if version >= 2 {
		b = binary.LittleEndian.AppendUint64(b, seq)
	}
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

func TestRoundTrip(t *testing.T) {
	many := make([]kv, 100_000)
	for i := range many {
		many[i] = kv{fmt.Sprintf("key:%09d", i), strings.Repeat(string(rune('a'+i%26)), i%300)}
	}
	binaryish := []kv{
		{"nul\x00in\x00key", "nul\x00value"},
		{"\xff\xfe\xfd", "\xff"},
		{"new\nline", "\r\n\n"},
		{"", "empty key"},
		{"empty value", ""},
		{"\x00", "\x00"},
		{"\x89SKY\r\n\x1a\n", "magic as a value"},
	}
	big := []kv{
		{"big", strings.Repeat("0123456789abcdef", 1<<16)}, // 1 MiB: exactly the read buffer
		{"bigger", strings.Repeat("x", 3<<20+7)},           // several buffers
		{strings.Repeat("K", 3<<19), "a key of 1.5 MiB"},
		{strings.Repeat("k", 600), strings.Repeat("v", 70_000)},
		{"after", "small"},
	}
	cases := map[string][]kv{
		"empty":     nil,
		"one":       {{"key", "value"}},
		"many":      many,
		"binary":    binaryish,
		"big":       big,
		"emptyboth": {{"", ""}},
	}
	for name, entries := range cases {
		for _, rd := range readers {
			t.Run(name+"/"+rd.name, func(t *testing.T) {
				file := encode(t, entries)
				got, err := decode(t, rd.new(file))
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if got.begins != 1 {
					t.Fatalf("begin called %d times, want 1", got.begins)
				}
				if got, want := got.count, uint64(len(entries)); got != want && !(rd.name == "unsized" && got == 1<<16) {
					t.Fatalf("begin(%d), want %d", got, want)
				}
				if got, want := len(got.entries), len(entries); got != want {
					t.Fatalf("decoded %d entries, want %d", got, want)
				}
				for i := range entries {
					if got.entries[i] != entries[i] {
						t.Fatalf("entry %d = %.40q, want %.40q", i, got.entries[i], entries[i])
					}
				}
			})
		}
	}
}

func TestEncodeIsDeterministic(t *testing.T) {
	// The layout is a contract: files written by this build must load in
	// every later one. Pin the bytes of a small file.
	got := encode(t, []kv{{"a", "bc"}, {"", ""}})
	want := rawFile(2, 2, []byte("\x01a\x02bc\x00\x00"))
	if !bytes.Equal(got, want) {
		t.Fatalf("encoded\n%q\nwant\n%q", got, want)
	}
	var buf bytes.Buffer
	e, _ := data.NewEncoderSeq(&buf, 1, 0x0102030405060708)
	e.Add("k", "v")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if want := rawFileSeq(2, 1, 0x0102030405060708, []byte("\x01k\x01v")); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("encoded with a sequence\n%q\nwant\n%q", buf.Bytes(), want)
	}
}

// TestReadsVersion1 loads a file of the first format, which has no journal
// sequence: skysh must go on reading the files of its earlier builds.
func TestReadsVersion1(t *testing.T) {
	file := rawFile(1, 2, []byte("\x01a\x02bc\x00\x00"))
	got, err := decode(t, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if want := []kv{{"a", "bc"}, {"", ""}}; !slices.Equal(got.entries, want) {
		t.Fatalf("entries %q, want %q", got.entries, want)
	}
	seq, err := data.DecodeSeq(bytes.NewReader(file), func(uint64) {}, func(k, v string) error { return nil })
	if err != nil || seq != 0 {
		t.Fatalf("DecodeSeq = %d, %v; want 0, nil", seq, err)
	}
}

// TestSeqRoundTrip: the journal sequence written is the one read back.
func TestSeqRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.bin")
	var buf bytes.Buffer
	e, _ := data.NewEncoderSeq(&buf, 1, 1<<40+3)
	e.Add("k", "v")
	e.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	seq, err := data.ReadFileSeq(path, func(uint64) {}, func(k, v string) error { return nil })
	if err != nil || seq != 1<<40+3 {
		t.Fatalf("ReadFileSeq = %d, %v; want %d", seq, err, uint64(1<<40+3))
	}
	h, err := data.ReadHeader(path)
	if err != nil || h != (data.Header{Count: 1, Seq: 1<<40 + 3}) {
		t.Fatalf("ReadHeader = %+v, %v", h, err)
	}
}

func TestEncoderCount(t *testing.T) {
	e, _ := data.NewEncoder(io.Discard, 1)
	if err := e.Add("a", "1"); err != nil {
		t.Fatal(err)
	}
	if err := e.Add("b", "2"); err == nil || !strings.Contains(err.Error(), "announced 1") {
		t.Fatalf("Add beyond the count: %v, want an error naming the count", err)
	}

	e, _ = data.NewEncoder(io.Discard, 2)
	e.Add("a", "1")
	if err := e.Close(); err == nil || !strings.Contains(err.Error(), "1 entries added, the header announced 2") {
		t.Fatalf("Close short of the count: %v, want an error naming both counts", err)
	}

	e, _ = data.NewEncoder(io.Discard, 0)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Add("a", "1"); err == nil {
		t.Fatal("Add after Close succeeded")
	}
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestEncoderWriteError(t *testing.T) {
	e, _ := data.NewEncoder(&failingWriter{n: 100}, 3)
	e.Add("a", strings.Repeat("x", 3<<20)) // larger than the buffer: written during Add
	e.Add("b", "")
	e.Add("c", "")
	if err := e.Close(); !errors.Is(err, errDiskFull) {
		t.Fatalf("Close = %v, want the write error", err)
	}
}

// small is the valid file that the corruption tests damage.
func small(t *testing.T) []byte {
	return encode(t, []kv{{"a", "1"}, {"", ""}, {"k\x00", "\xff\nvalue"}})
}

func TestEveryBitFlipIsRefused(t *testing.T) {
	file := small(t)
	for _, rd := range readers {
		for off := range file {
			for bit := range 8 {
				bad := bytes.Clone(file)
				bad[off] ^= 1 << bit
				got, err := decode(t, rd.new(bad))
				if err == nil {
					t.Fatalf("%s: bit %d of byte %d flipped: accepted with %q", rd.name, bit, off, got.entries)
				}
				var fe *data.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("%s: bit %d of byte %d flipped: %v is not a *FormatError", rd.name, bit, off, err)
				}
			}
		}
	}
}

func TestEveryTruncationIsRefused(t *testing.T) {
	file := small(t)
	for _, rd := range readers {
		for n := range len(file) {
			_, err := decode(t, rd.new(file[:n]))
			if !errors.Is(err, data.ErrTruncated) && !errors.Is(err, data.ErrCorrupt) {
				t.Fatalf("%s: cut to %d of %d bytes: %v, want ErrTruncated or ErrCorrupt", rd.name, n, len(file), err)
			}
		}
	}
}

func TestRefusals(t *testing.T) {
	valid := small(t)
	bigValue := encode(t, []kv{{"k", strings.Repeat("v", 2<<20)}})
	cases := []struct {
		name   string
		file   []byte
		reason error
		msg    string // for a reader of known size
	}{
		{"empty", nil, data.ErrTruncated,
			"file ends early (truncated) at offset 0: the file is empty"},
		{"text", []byte("SET a b\nGET a\n"), data.ErrBadMagic,
			`not a skysh data file: it starts like a text file`},
		{"short text", []byte("hi"), data.ErrBadMagic,
			`not a skysh data file: it starts like a text file`},
		{"magic only", []byte("\x89SKY\r\n\x1a\n"), data.ErrTruncated,
			"file ends early (truncated) at offset 8: in the header"},
		{"version 3", rawFile(3, 0, nil), data.ErrNewerVersion,
			"written by a newer skysh: format version 3, this build reads up to 2"},
		{"version 2 header cut", rawFile(2, 0, nil)[:24], data.ErrTruncated,
			"file ends early (truncated) at offset 24: in the header"},
		{"version 0", rawFile(0, 0, nil), data.ErrCorrupt,
			"file is corrupt at offset 8: format version 0 does not exist"},
		{"checksum", append(bytes.Clone(valid[:len(valid)-1]), valid[len(valid)-1]^0x80), data.ErrChecksum,
			fmt.Sprintf("checksum mismatch (file is corrupt) at offset %d", len(valid)-4)},
		{"trailing data", append(bytes.Clone(valid), "junk"...), data.ErrTrailingData,
			fmt.Sprintf("unexpected data after the checksum (file is corrupt) at offset %d: 4 more bytes", len(valid))},
		{"two files", append(bytes.Clone(valid), valid...), data.ErrTrailingData,
			fmt.Sprintf("unexpected data after the checksum (file is corrupt) at offset %d: %d more bytes", len(valid), len(valid))},
		{"no checksum", valid[:len(valid)-4], data.ErrTruncated,
			fmt.Sprintf("file ends early (truncated) at offset %d: in the checksum", len(valid)-4)},
		{"huge count", rawFile(1, 1<<60, []byte("\x00\x00")), data.ErrCorrupt,
			"file is corrupt at offset 12: the header announces 1152921504606846976 entries but the file is only 26 bytes long"},
		{"huge key length", rawFile(1, 1, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\x7f")), data.ErrCorrupt,
			"file is corrupt at offset 20: the key of entry 1 of 1 is 9223372036854775807 bytes long but only 4 bytes of the file are left"},
		{"value past the end", rawFile(1, 1, []byte("\x01k\x09abc")), data.ErrTruncated,
			"file ends early (truncated) at offset 22: the value of entry 1 of 1 is 9 bytes long but only 7 bytes of the file are left"},
		{"value into the checksum", rawFile(1, 1, []byte("\x01k\x05abc")), data.ErrTruncated,
			"file ends early (truncated) at offset 30: in the checksum"},
		{"varint overflow", rawFile(1, 1, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f")), data.ErrCorrupt,
			"file is corrupt at offset 20: the key length of entry 1 of 1 is malformed"},
		{"unterminated length", rawFile(1, 1, bytes.Repeat([]byte{0xd9}, 12)), data.ErrCorrupt,
			"file is corrupt at offset 20: the key length of entry 1 of 1 is malformed"},
		{"non-minimal length", rawFile(1, 1, []byte("\x81\x00k\x00")), data.ErrCorrupt,
			"file is corrupt at offset 20: the key length of entry 1 of 1 is malformed"},
		{"count too low", rawFile(1, 1, []byte("\x01a\x01b\x01c\x01d")), data.ErrChecksum,
			"checksum mismatch (file is corrupt) at offset 24"},
		{"big value cut", bigValue[:1<<20], data.ErrTruncated,
			"file ends early (truncated) at offset 30: the value of entry 1 of 1 is 2097152 bytes long but only 1048542 bytes of the file are left"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decode(t, bytes.NewReader(c.file))
			if !errors.Is(err, c.reason) {
				t.Fatalf("Decode = %v, want %v", err, c.reason)
			}
			if got, want := err.Error(), c.msg; got != want {
				t.Fatalf("message\n%s\nwant\n%s", got, want)
			}
			if got.begins != 0 && errors.Is(err, data.ErrBadMagic) {
				t.Fatalf("begin called for a file that is not ours")
			}
			_, err = decode(t, unsized{bytes.NewReader(c.file)})
			if err == nil {
				t.Fatalf("accepted when its size is unknown")
			}
		})
	}
}

func TestLengthBeyondMemoryUnsized(t *testing.T) {
	_, err := decode(t, unsized{bytes.NewReader(rawFile(1, 1, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")))})
	if got, want := fmt.Sprint(err), "file is corrupt at offset 20: the key of entry 1 of 1 is 18446744073709551615 bytes long, more than memory can hold"; got != want {
		t.Fatalf("Decode = %s, want %s", got, want)
	}
	// Without a size, a length is believed until the data runs out.
	big := encode(t, []kv{{"k", strings.Repeat("v", 2<<20)}})
	_, err = decode(t, unsized{bytes.NewReader(big[:1<<20])})
	if got, want := fmt.Sprint(err), "file ends early (truncated) at offset 1048576: in the value of entry 1 of 1"; got != want {
		t.Fatalf("Decode = %s, want %s", got, want)
	}
}

func TestHostileHeaderAllocatesLittle(t *testing.T) {
	hostile := map[string][]byte{
		"count":        rawFile(1, 1<<62, nil),
		"key length":   rawFile(1, 1, []byte("\xff\xff\xff\xff\xff\xff\xff\x3f")),
		"value length": rawFile(1, 1, []byte("\x00\xff\xff\xff\xff\xff\xff\xff\x3f")),
	}
	for name, file := range hostile {
		for _, rd := range readers {
			t.Run(name+"/"+rd.name, func(t *testing.T) {
				var hint uint64
				allocated := allocatedBy(func() {
					data.Decode(rd.new(file), func(n uint64) { hint = n }, func(k, v string) error { return nil })
				})
				// The unsized reader needs a full read buffer, and may
				// reserve a little for a string it cannot check.
				if limit := uint64(4 << 20); allocated > limit {
					t.Fatalf("Decode of %d bytes allocated %d bytes, want at most %d", len(file), allocated, limit)
				}
				if hint > 1<<16 {
					t.Fatalf("begin(%d): a forged count reached the caller", hint)
				}
			})
		}
	}
}

// allocatedBy returns the bytes allocated while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestCountHintUnsized(t *testing.T) {
	// An honest file with more entries than the hint cap still loads whole.
	entries := make([]kv, 1<<16+5)
	for i := range entries {
		entries[i] = kv{fmt.Sprint(i), ""}
	}
	got, err := decode(t, unsized{bytes.NewReader(encode(t, entries))})
	if err != nil {
		t.Fatal(err)
	}
	if got.count != 1<<16 {
		t.Fatalf("begin(%d), want the cap %d", got.count, 1<<16)
	}
	if got, want := len(got.entries), len(entries); got != want {
		t.Fatalf("decoded %d entries, want %d", got, want)
	}
}

func TestEntryErrorStops(t *testing.T) {
	file := encode(t, []kv{{"a", "1"}, {"b", "2"}, {"c", "3"}})
	stop := errors.New("stop")
	n := 0
	err := data.Decode(bytes.NewReader(file), func(uint64) {}, func(k, v string) error {
		n++
		if k == "b" {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Fatalf("Decode = %v, want the entry's own error", err)
	}
	if n != 2 {
		t.Fatalf("entry called %d times, want 2", n)
	}
}

func TestDecodeFile(t *testing.T) {
	// An *os.File part-way through: the size Decode learns is what is left.
	path := filepath.Join(t.TempDir(), "f")
	file := encode(t, []kv{{"a", "1"}})
	if err := os.WriteFile(path, append([]byte("prefix"), file...), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Seek(int64(len("prefix")), io.SeekStart)
	got, err := decode(t, f)
	if err != nil || len(got.entries) != 1 || got.entries[0] != (kv{"a", "1"}) {
		t.Fatalf("Decode = %q, %v", got.entries, err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.bin")
	file := small(t)
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	var got []kv
	err := data.ReadFile(path, func(uint64) {}, func(k, v string) error {
		got = append(got, kv{k, v})
		return nil
	})
	if err != nil || len(got) != 3 {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}

	file[len(file)-2] ^= 1
	os.WriteFile(path, file, 0o600)
	err = data.ReadFile(path, func(uint64) {}, func(k, v string) error { return nil })
	if got, want := fmt.Sprint(err), fmt.Sprintf("cannot load %s: checksum mismatch (file is corrupt) at offset %d", path, len(file)-4); got != want {
		t.Fatalf("ReadFile = %s\nwant %s", got, want)
	}
	var fe *data.FormatError
	if !errors.As(err, &fe) || fe.Path != path || fe.Reason != data.ErrChecksum {
		t.Fatalf("ReadFile = %#v, want a *FormatError with the path", err)
	}

	os.WriteFile(path, file[:38], 0o600)
	err = data.ReadFile(path, func(uint64) {}, func(k, v string) error { return nil })
	if got, want := fmt.Sprint(err), fmt.Sprintf("cannot load %s: file ends early (truncated) at offset 37: the value of entry 3 of 3 is 7 bytes long but only 0 bytes of the file are left", path); got != want {
		t.Fatalf("ReadFile = %s\nwant %s", got, want)
	}

	err = data.ReadFile(filepath.Join(dir, "missing"), func(uint64) {}, func(k, v string) error { return nil })
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "cannot load ") {
		t.Fatalf("ReadFile of a missing file = %v", err)
	}

	os.WriteFile(path, small(t), 0o600)
	stop := errors.New("out of memory")
	err = data.ReadFile(path, func(uint64) {}, func(k, v string) error { return stop })
	if !errors.Is(err, stop) || err.Error() != "cannot load "+path+": out of memory" {
		t.Fatalf("ReadFile with a failing entry = %v", err)
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	reasons := []data.Reason{data.ErrBadMagic, data.ErrNewerVersion, data.ErrTruncated, data.ErrChecksum, data.ErrTrailingData, data.ErrCorrupt}
	for i, a := range reasons {
		for j, b := range reasons {
			err := &data.FormatError{Reason: a}
			if got, want := errors.Is(err, b), i == j; got != want {
				t.Errorf("errors.Is(%q, %q) = %v", a, b, got)
			}
		}
		if errors.Is(&data.FormatError{Reason: a}, data.ErrLocked) {
			t.Errorf("%q matches ErrLocked", a)
		}
	}
}

func TestReadCount(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.snapshot")
	os.WriteFile(path, encode(t, []kv{{"a", "1"}, {"b", "2"}}), 0o600)
	if n, err := data.ReadCount(path); n != 2 || err != nil {
		t.Fatalf("ReadCount = %d, %v; want 2, nil", n, err)
	}

	os.WriteFile(path, []byte("hello, world\n"), 0o600)
	_, err := data.ReadCount(path)
	if got, want := fmt.Sprint(err), "cannot load "+path+`: not a skysh data file: it starts like a text file`; got != want {
		t.Fatalf("ReadCount = %s, want %s", got, want)
	}

	os.WriteFile(path, rawFile(1, 1000, nil), 0o600)
	if _, err := data.ReadCount(path); !errors.Is(err, data.ErrTruncated) {
		t.Fatalf("ReadCount of a count the file cannot hold = %v, want ErrTruncated", err)
	}
	os.WriteFile(path, rawFile(1, 1<<40, nil), 0o600)
	if _, err := data.ReadCount(path); !errors.Is(err, data.ErrCorrupt) {
		t.Fatalf("ReadCount of an absurd count = %v, want ErrCorrupt", err)
	}

	if _, err := data.ReadCount(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadCount of a missing file = %v", err)
	}
}
