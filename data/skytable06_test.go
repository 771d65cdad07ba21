package data_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"skysh/data"
)

// sky06 builds a Skytable 0.6 file byte by byte from the facts of its
// format (bincode 1.3, fixed-width little-endian integers, of a map of byte
// sequences), not with the encoder under test: a u64 count, then for each
// entry a u64 key length, the key, a u64 value length, the value. count is
// what the file announces, which a forged file may make differ from
// len(entries).
func sky06(count uint64, entries ...kv) []byte {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], count)
	b := append([]byte(nil), n[:]...)
	for _, e := range entries {
		binary.LittleEndian.PutUint64(n[:], uint64(len(e.k)))
		b = append(b, n[:]...)
		b = append(b, e.k...)
		binary.LittleEndian.PutUint64(n[:], uint64(len(e.v)))
		b = append(b, n[:]...)
		b = append(b, e.v...)
	}
	return b
}

// everyByte is the 256 byte values in order.
func everyByte() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

// sky06Golden are the files skyd 0.6 writes for stores of every shape, with
// the entries each holds, in file order.
func sky06Golden() map[string][]kv {
	all := everyByte()
	reversed := []byte(all)
	slices.Reverse(reversed)
	return map[string][]kv{
		"empty map":              nil,
		"one entry":              {{"hello", "world"}},
		"every byte value":       {{all, string(reversed)}, {"\x00", "\xff"}, {"\xff\xfe", "\x00\x00\x00"}},
		"empty key and value":    {{"", ""}},
		"empty key, empty value": {{"", "value of the empty key"}, {"key of an empty value", ""}},
		"1 MiB value":            {{"big", strings.Repeat("0123456789abcdef", 1<<16)}},
	}
}

// decode06 runs DecodeSkytable06 on in, of known size or not, and checks
// the call protocol (see collect).
func decode06(t testing.TB, in []byte, sized bool) (decoded, error) {
	t.Helper()
	var d decoded
	var r io.Reader = bytes.NewReader(in)
	size := int64(len(in))
	if !sized {
		r, size = unsized{r}, -1
	}
	begin, entry := d.collect(t)
	err := data.DecodeSkytable06(r, size, begin, entry)
	return d, err
}

// encode06 returns what EncodeSkytable06 writes for entries.
func encode06(t testing.TB, entries []kv) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := data.EncodeSkytable06(&buf, uint64(len(entries)), func(add func(k, v string) error) error {
		for _, e := range entries {
			if err := add(e.k, e.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSkytable06Golden decodes files built by hand, sized and unsized, into
// exactly their entries, and the encoder writes exactly those files.
func TestSkytable06Golden(t *testing.T) {
	for name, entries := range sky06Golden() {
		t.Run(name, func(t *testing.T) {
			file := sky06(uint64(len(entries)), entries...)
			for _, sized := range []bool{true, false} {
				got, err := decode06(t, file, sized)
				if err != nil {
					t.Fatalf("sized %v: %v", sized, err)
				}
				if !slices.Equal(got.entries, entries) {
					t.Fatalf("sized %v: decoded %d entries, want %d (or they differ)", sized, len(got.entries), len(entries))
				}
				if got.count != uint64(len(entries)) {
					t.Fatalf("sized %v: begin(%d), want %d", sized, got.count, len(entries))
				}
			}
			if got := encode06(t, entries); !bytes.Equal(got, file) {
				t.Fatalf("encoder wrote %d bytes that differ from the %d built by hand", len(got), len(file))
			}
		})
	}
}

// TestSkytable06EmptyMapIsEightZeros pins the smallest file: what skyd 0.6
// writes for an empty store.
func TestSkytable06EmptyMapIsEightZeros(t *testing.T) {
	if got := encode06(t, nil); !bytes.Equal(got, make([]byte, 8)) {
		t.Fatalf("empty map encodes as %q, want 8 zero bytes", got)
	}
}

// TestSkytable06RoundTrip encodes a store of many entries of many sizes and
// decodes it back, in order.
func TestSkytable06RoundTrip(t *testing.T) {
	many := make([]kv, 50_000)
	for i := range many {
		many[i] = kv{fmt.Sprintf("key:%09d", i), strings.Repeat(string(rune('a'+i%26)), i%300)}
	}
	many = append(many, kv{"large", strings.Repeat("L", 3<<20)}, kv{"after", "x"})
	for _, sized := range []bool{true, false} {
		got, err := decode06(t, encode06(t, many), sized)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.entries, many) {
			t.Fatalf("sized %v: round trip differs", sized)
		}
	}
}

// TestSkytable06Refusals: every way a file can fail to be a Skytable 0.6
// file is refused with a reason of its own and a message that says where.
func TestSkytable06Refusals(t *testing.T) {
	one := sky06(1, kv{"key", "value"})
	zeros := make([]byte, 4096)
	cases := []struct {
		name   string
		file   []byte
		reason data.Reason
		msg    string // for a reader of known size
	}{
		{"count larger than the entries", sky06(2, kv{"key", "a value long enough"}), data.ErrSky06Count,
			"the entry count is larger than the entries in the file at offset 46: it announces 2 entries, but the file ends after entry 1"},
		{"count larger than the file can hold", sky06(3, kv{"k", "v"}), data.ErrSky06Count,
			"the entry count is larger than the entries in the file at offset 0: it announces 3 entries, but a file of 26 bytes holds at most 1"},
		{"count of a text file", []byte("SET a b\nGET a\n"), data.ErrSky06Count,
			"the entry count is larger than the entries in the file at offset 0: it announces 748196089623233875 entries, but a file of 14 bytes holds at most 0"},
		{"key length past the end", append(binary.LittleEndian.AppendUint64(sky06(1), 100), strings.Repeat("k", 30)...), data.ErrSky06Length,
			"a length runs past the end of the file at offset 8: the key of entry 1 of 1 is 100 bytes long, but only 30 bytes of the file are left"},
		{"value length past the end", one[:len(one)-1], data.ErrSky06Length,
			"a length runs past the end of the file at offset 19: the value of entry 1 of 1 is 5 bytes long, but only 4 bytes of the file are left"},
		{"huge length", append(sky06(1), bytes.Repeat([]byte{0xff}, 16)...), data.ErrSky06Length,
			"a length runs past the end of the file at offset 8: the key of entry 1 of 1 is 18446744073709551615 bytes long, but only 8 bytes of the file are left"},
		{"cut inside a length", one[:24], data.ErrTruncated,
			"file ends early (truncated) at offset 24: inside the value length of entry 1 of 1"},
		{"trailing bytes", append(bytes.Clone(one), "junk"...), data.ErrSky06Trailing,
			"bytes follow the last entry at offset 32: 4 bytes after entry 1 of 1"},
		{"two files", append(bytes.Clone(one), one...), data.ErrSky06Trailing,
			"bytes follow the last entry at offset 32: 32 bytes after entry 1 of 1"},
		{"a file of zeros", zeros, data.ErrZeroFilled,
			"the file holds nothing but zero bytes: all 4096 of them"},
		{"a short file of zeros", zeros[:5], data.ErrZeroFilled,
			"the file holds nothing but zero bytes: all 5 of them"},
		{"empty", nil, data.ErrTruncated,
			"file ends early (truncated) at offset 0: the file is empty"},
		{"shorter than a count", []byte("hi"), data.ErrTruncated,
			"file ends early (truncated) at offset 2: the file is 2 bytes long, too short for the 8-byte entry count"},
	}
	// Without its size, a text file's count is not refused up front: the
	// file ends inside the first length.
	unsizedReason := map[string]data.Reason{"count of a text file": data.ErrTruncated}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decode06(t, c.file, true)
			if !errors.Is(err, c.reason) {
				t.Fatalf("DecodeSkytable06 = %v, want %v", err, c.reason)
			}
			if got, want := err.Error(), c.msg; got != want {
				t.Fatalf("message\n%s\nwant\n%s", got, want)
			}
			if errors.Is(err, data.ErrBadMagic) {
				t.Fatalf("%v: a file read as Skytable 0.6 on purpose is not refused for lacking skysh's magic", err)
			}
			if got.begins != 0 && c.reason == data.ErrSky06Count && strings.Contains(c.msg, "holds at most") {
				t.Fatalf("begin called for a count the file cannot hold")
			}
			// Without its size the same file is refused for the same
			// reason, found where the data runs out.
			later := c.reason
			if r, ok := unsizedReason[c.name]; ok {
				later = r
			}
			if _, err := decode06(t, c.file, false); !errors.Is(err, later) {
				t.Fatalf("unsized: %v, want %v", err, later)
			}
		})
	}
}

// TestSkytable06ReasonsAreDistinct: each refusal is told apart from the
// others, and from skysh's own.
func TestSkytable06ReasonsAreDistinct(t *testing.T) {
	reasons := []data.Reason{data.ErrSky06Count, data.ErrSky06Length, data.ErrSky06Trailing, data.ErrZeroFilled,
		data.ErrBadMagic, data.ErrTruncated, data.ErrChecksum, data.ErrTrailingData, data.ErrCorrupt}
	for i, a := range reasons {
		for j, b := range reasons {
			if (i == j) != errors.Is(&data.FormatError{Reason: a}, b) || (i != j && a.Error() == b.Error()) {
				t.Errorf("%q and %q are not distinct", a, b)
			}
		}
	}
}

// TestSkytable06EntryErrorStops: an error from entry stops decoding and is
// returned as it is.
func TestSkytable06EntryErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := data.DecodeSkytable06(bytes.NewReader(sky06(3, kv{"a", "1"}, kv{"b", "2"}, kv{"c", "3"})), -1,
		func(uint64) {}, func(k, v string) error {
			n++
			return stop
		})
	if err != stop || n != 1 {
		t.Fatalf("DecodeSkytable06 = %v after %d entries, want stop after 1", err, n)
	}
}

// TestSkytable06HostileAllocatesLittle: a forged count or length costs no
// memory the input does not hold, sized or not.
func TestSkytable06HostileAllocatesLittle(t *testing.T) {
	hostile := map[string][]byte{
		"count":        sky06(1 << 62),
		"key length":   append(sky06(1), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 'k'),
		"value length": append(sky06(1, kv{"k", ""})[:17], 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 'v'),
	}
	for name, file := range hostile {
		for _, sized := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/sized=%v", name, sized), func(t *testing.T) {
				var err error
				allocated := allocatedBy(func() { _, err = decode06(t, file, sized) })
				if err == nil {
					t.Fatal("accepted")
				}
				if limit := uint64(4 << 20); allocated > limit {
					t.Fatalf("%d bytes allocated %d bytes, want at most %d", len(file), allocated, limit)
				}
			})
		}
	}
}

// TestSkytable06EncoderCount: the encoder refuses to write a file whose
// count would not match its entries, since skyd could not load it.
func TestSkytable06EncoderCount(t *testing.T) {
	for _, c := range []struct {
		count uint64
		add   int
		want  string
	}{
		{2, 1, "data: cannot finish the Skytable 0.6 file: 1 entries added, the count says 2"},
		{1, 2, "data: cannot add entry 2 to the Skytable 0.6 file: the count says 1"},
	} {
		err := data.EncodeSkytable06(io.Discard, c.count, func(add func(k, v string) error) error {
			for i := range c.add {
				if err := add(fmt.Sprint(i), "v"); err != nil {
					return err
				}
			}
			return nil
		})
		if fmt.Sprint(err) != c.want {
			t.Errorf("count %d, %d added: %v, want %s", c.count, c.add, err, c.want)
		}
	}
	// A failing writer's error comes back.
	w := &failingWriter{n: 3}
	err := data.EncodeSkytable06(w, 1, func(add func(k, v string) error) error {
		return add("k", strings.Repeat("v", 2<<20))
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("EncodeSkytable06 on a failing writer = %v, want its error", err)
	}
}

// writeTemp writes b to a new file in a new temp dir and returns its path.
func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDetectFile tells skysh's files, Skytable 0.6's and others apart, with
// a reason for each that is neither.
func TestDetectFile(t *testing.T) {
	skysh := encode(t, []kv{{"a", "1"}})
	nearMagic := bytes.Clone(skysh)
	nearMagic[3] ^= 0x01
	for _, c := range []struct {
		name   string
		file   []byte
		want   data.Format
		reason data.Reason // "" when accepted
		shows  string
	}{
		{"skysh", skysh, data.FormatSkysh, "", ""},
		{"skysh, magic cut", skysh[:3], data.FormatSkysh, "", ""},
		{"skytable 0.6", sky06(1, kv{"a", "1"}), data.FormatSkytable06, "", ""},
		{"skytable 0.6, empty map", sky06(0), data.FormatSkytable06, "", ""},
		{"text", []byte("SET a b\nGET a\n"), data.FormatUnknown, data.ErrSky06Count,
			"not a skysh data file, nor a valid Skytable 0.6 file: the entry count is larger than the entries in the file at offset 0"},
		{"zeros", make([]byte, 100), data.FormatUnknown, data.ErrZeroFilled,
			"not a skysh data file, nor a valid Skytable 0.6 file: the file holds nothing but zero bytes: all 100 of them"},
		{"damaged skysh magic", nearMagic, data.FormatUnknown, data.ErrBadMagic,
			"not a skysh data file: it starts almost like one (1 of its first 8 bytes differs from skysh's magic): it is damaged"},
		{"damaged skytable 0.6", sky06(2, kv{"a", "1"}), data.FormatUnknown, data.ErrSky06Count,
			"not a skysh data file, nor a valid Skytable 0.6 file: the entry count is larger"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeTemp(t, "file", c.file)
			got, err := data.DetectFile(path)
			if got != c.want {
				t.Errorf("DetectFile = %v, want %v", got, c.want)
			}
			if c.reason == "" {
				if err != nil {
					t.Fatalf("DetectFile: %v", err)
				}
				return
			}
			if !errors.Is(err, c.reason) || !errors.Is(err, data.ErrBadMagic) {
				t.Fatalf("DetectFile: %v, want %v and %v", err, c.reason, data.ErrBadMagic)
			}
			if want := "cannot load " + path + ": " + c.shows; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("message\n%s\nwant it to start\n%s", err, want)
			}
		})
	}
}

// TestDecodeAnyFileRaw: a Skytable 0.6 file reaches the raw reader in
// skysh's encoding, a skysh file as DecodeFileRaw gives it, and a file that
// is neither is refused.
func TestDecodeAnyFileRaw(t *testing.T) {
	entries := sky06Golden()["every byte value"]
	entries = append(entries, sky06Golden()["1 MiB value"]...)
	for _, c := range []struct {
		name string
		file []byte
		want data.Format
	}{
		{"skysh", encodeSeq(t, entries, 7), data.FormatSkysh},
		{"skytable 0.6", sky06(uint64(len(entries)), entries...), data.FormatSkytable06},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := os.Open(writeTemp(t, "file", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got [][]byte
			var hint uint64
			format, seq, err := data.DecodeAnyFileRaw(f, "file", func(n uint64) { hint = n }, func(raw, key []byte) error {
				got = append(got, bytes.Clone(raw))
				return nil
			})
			if err != nil || format != c.want || hint != uint64(len(entries)) {
				t.Fatalf("DecodeAnyFileRaw = %v, %v, begin(%d); want %v, nil, begin(%d)", format, err, hint, c.want, len(entries))
			}
			if want := map[data.Format]uint64{data.FormatSkysh: 7}[c.want]; seq != want {
				t.Fatalf("seq %d, want %d", seq, want)
			}
			for i, e := range entries {
				if i >= len(got) || !bytes.Equal(got[i], data.AppendEntry(nil, e.k, e.v)) {
					t.Fatalf("entry %d differs from its skysh encoding", i+1)
				}
			}
		})
	}
	f, err := os.Open(writeTemp(t, "zeros", make([]byte, 64)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, err := data.DecodeAnyFileRaw(f, "zeros", func(uint64) {}, func(raw, key []byte) error { return nil }); !errors.Is(err, data.ErrZeroFilled) || !errors.Is(err, data.ErrBadMagic) {
		t.Fatalf("a file of zeros: %v, want ErrZeroFilled and ErrBadMagic", err)
	}
}

// TestReadSkytable06File names the file in its errors, and says which
// format it was read as.
func TestReadSkytable06File(t *testing.T) {
	path := writeTemp(t, "old.bin", sky06(1, kv{"a", "1"}, kv{"b", "2"}))
	err := data.ReadSkytable06File(path, func(uint64) {}, func(k, v string) error { return nil })
	if want := "cannot load " + path + " as a Skytable 0.6 file: bytes follow the last entry at offset 26: 18 bytes after entry 1 of 1"; fmt.Sprint(err) != want {
		t.Fatalf("ReadSkytable06File = %v\nwant %s", err, want)
	}
}

// TestGuessFormat judges a file by its first 8 bytes and its size only.
func TestGuessFormat(t *testing.T) {
	for _, c := range []struct {
		name string
		file []byte
		want data.Format
	}{
		{"skysh", encode(t, []kv{{"a", "1"}}), data.FormatSkysh},
		{"skytable 0.6", sky06(1, kv{"a", "1"}), data.FormatSkytable06},
		{"skytable 0.6, damaged after its count", append(sky06(1, kv{"a", "1"}), 'x'), data.FormatSkytable06},
		{"a count the file cannot hold", sky06(2, kv{"a", "1"}), data.FormatUnknown},
		{"text", []byte("just some notes\n"), data.FormatUnknown},
		{"shorter than a count", []byte("\x89SKY"), data.FormatUnknown},
	} {
		f, err := os.Open(writeTemp(t, "file", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := data.GuessFormat(f); got != c.want {
			t.Errorf("%s: GuessFormat = %v, want %v", c.name, got, c.want)
		}
		f.Close()
	}
}
