package data_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skysh/data"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the seed corpora in testdata/fuzz")

// seeds are the committed corpus of FuzzDecode: files of every shape, valid
// and broken, so that the fuzzer starts next to every branch of the decoder.
func seeds(t testing.TB) map[string][]byte {
	valid := encode(t, []kv{{"a", "1"}, {"", ""}, {"k\x00\xff", "v\n\r"}})
	long := encode(t, []kv{{strings.Repeat("k", 130), strings.Repeat("v", 300)}, {"x", "y"}})
	return map[string][]byte{
		"empty-store":          encode(t, nil),
		"one-entry":            encode(t, []kv{{"key", "value"}}),
		"binary-entries":       valid,
		"two-byte-lengths":     long,
		"empty-key-and-value":  encode(t, []kv{{"", ""}}),
		"truncated-header":     valid[:15],
		"truncated-entry":      valid[:len(valid)-8],
		"truncated-checksum":   valid[:len(valid)-2],
		"truncated-length":     long[:21],
		"bad-magic":            []byte("SET a b\nGET a\n"),
		"empty-file":           {},
		"newer-version":        rawFile(3, 0, nil),
		"version-1":            rawFile(1, 1, []byte("\x01a\x01b")),
		"with-sequence":        rawFileSeq(2, 1, 42, []byte("\x01a\x01b")),
		"version-zero":         rawFile(0, 0, nil),
		"trailing-data":        append(bytes.Clone(valid), 0),
		"bad-checksum":         append(bytes.Clone(valid[:len(valid)-1]), valid[len(valid)-1]^1),
		"huge-count":           rawFile(1, 1<<62, nil),
		"huge-length":          rawFile(1, 1, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\x7f")),
		"varint-overflow":      rawFile(1, 1, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f")),
		"non-minimal-length":   rawFile(1, 1, []byte("\x80\x00\x00")),
		"unterminated-length":  rawFile(1, 1<<40, bytes.Repeat([]byte{0xd9}, 30)),
		"count-too-low":        rawFile(1, 1, []byte("\x01a\x01b\x01c\x01d")),
		"count-too-high":       rawFile(1, 3, []byte("\x01a\x01b")),
		"length-into-checksum": rawFile(1, 1, []byte("\x01k\x05abc")),
	}
}

// TestSeedCorpus keeps the committed corpus in step with seeds; run with
// -update-seeds after changing them.
func TestSeedCorpus(t *testing.T) {
	syncSeedCorpus(t, "FuzzDecode", seeds(t))
}

// syncSeedCorpus checks (or, with -update-seeds, writes) the committed
// corpus of the fuzz target named fuzz.
func syncSeedCorpus(t *testing.T, fuzz string, seeds map[string][]byte) {
	dir := filepath.Join("testdata", "fuzz", fuzz)
	for name, in := range seeds {
		path := filepath.Join(dir, name)
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", in)
		if *updateSeeds {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale (%v); run go test -run %s -update-seeds", path, err, t.Name())
		}
	}
}

// FuzzDecode checks, for any input: Decode never panics; it never
// allocates much more than the input (a forged length or count costs
// nothing); it agrees with itself whether or not it knows the input's size;
// and what it accepts re-encodes to exactly the same bytes, so no two files
// mean the same store and nothing in an accepted file goes unchecked.
func FuzzDecode(f *testing.F) {
	for _, in := range seeds(f) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var hint uint64
		allocated := uint64(1 << 63)
		for range 3 { // the least of three: the fuzzing engine allocates too
			allocated = min(allocated, allocatedBy(func() {
				data.Decode(bytes.NewReader(in), func(n uint64) { hint = n }, func(k, v string) error { return nil })
			}))
		}
		// Buffers sized to the input, plus a constant for the decoder
		// itself; a forged length or count would cost megabytes.
		if limit := 16*uint64(len(in)) + 64<<10; allocated > limit {
			t.Fatalf("Decode of %d bytes allocated %d bytes, want at most %d", len(in), allocated, limit)
		}
		if hint > uint64(len(in)) {
			t.Fatalf("begin(%d) for a %d-byte input", hint, len(in))
		}

		sized, err := decode(t, bytes.NewReader(in))
		unsizedGot, unsizedErr := decode(t, unsized{bytes.NewReader(in)})
		if !agree(t, sized, err, unsizedGot, unsizedErr) {
			return
		}
		// A version 1 file re-encodes as its upgrade to the current
		// version; a current one as exactly itself.
		seq, _ := data.DecodeSeq(bytes.NewReader(in), func(uint64) {}, func(k, v string) error { return nil })
		want := in
		if in[8] == 1 {
			want = rawFileSeq(data.Version, sized.count, 0, in[20:len(in)-4])
		}
		if got := encodeSeq(t, sized.entries, seq); !bytes.Equal(got, want) {
			t.Fatalf("re-encoded\n%q\nwant\n%q", got, want)
		}
	})
}
