package data_test

import (
	"bytes"
	"strings"
	"testing"

	"skysh/data"
)

// sky06Seeds are the committed corpus of FuzzDecodeSkytable06: valid files
// of every shape and each way of being broken, so that the fuzzer starts
// next to every branch of the decoder.
func sky06Seeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for name, entries := range sky06Golden() {
		if name != "1 MiB value" { // a corpus file should stay small
			seeds[strings.NewReplacer(" ", "-", ",", "").Replace(name)] = sky06(uint64(len(entries)), entries...)
		}
	}
	one := sky06(1, kv{"key", "value"})
	seeds["count-too-high"] = sky06(2, kv{"key", "a value long enough"})
	seeds["count-too-high-for-the-size"] = sky06(3, kv{"k", "v"})
	seeds["count-too-low"] = sky06(1, kv{"a", "1"}, kv{"b", "2"})
	seeds["key-past-the-end"] = append(sky06(1), 100, 0, 0, 0, 0, 0, 0, 0, 'k', 'k', 'k', 'k', 'k', 'k', 'k', 'k')
	seeds["value-past-the-end"] = one[:len(one)-1]
	seeds["cut-inside-a-length"] = one[:24]
	seeds["huge-length"] = append(sky06(1), bytes.Repeat([]byte{0xff}, 16)...)
	seeds["trailing-bytes"] = append(bytes.Clone(one), "junk"...)
	seeds["zeros"] = make([]byte, 64)
	seeds["short-zeros"] = make([]byte, 5)
	seeds["empty-file"] = []byte{}
	seeds["text"] = []byte("SET a b\nGET a\n")
	seeds["skysh-file"] = encode(t, []kv{{"a", "1"}})
	return seeds
}

// TestSkytable06SeedCorpus keeps the committed corpus in step with
// sky06Seeds; run with -update-seeds after changing them.
func TestSkytable06SeedCorpus(t *testing.T) {
	syncSeedCorpus(t, "FuzzDecodeSkytable06", sky06Seeds(t))
}

// FuzzDecodeSkytable06 checks, for any input: DecodeSkytable06 never
// panics; it never allocates much more than the input (a forged count or
// length costs nothing); it agrees with itself whether or not it knows the
// input's size; and what it accepts the encoder writes back byte for byte,
// so that nothing in an accepted file goes unchecked.
func FuzzDecodeSkytable06(f *testing.F) {
	for _, in := range sky06Seeds(f) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		allocated := uint64(1 << 63)
		for range 3 { // the least of three: the fuzzing engine allocates too
			allocated = min(allocated, allocatedBy(func() {
				data.DecodeSkytable06(bytes.NewReader(in), int64(len(in)), func(uint64) {}, func(k, v string) error { return nil })
			}))
		}
		if limit := 16*uint64(len(in)) + 64<<10; allocated > limit {
			t.Fatalf("decoding %d bytes allocated %d bytes, want at most %d", len(in), allocated, limit)
		}
		sized, err := decode06(t, in, true)
		unsizedGot, unsizedErr := decode06(t, in, false)
		if !agree(t, sized, err, unsizedGot, unsizedErr) {
			return
		}
		if sized.count > uint64(len(in)) || sized.count != uint64(len(sized.entries)) {
			t.Fatalf("begin(%d) for %d entries in %d bytes", sized.count, len(sized.entries), len(in))
		}
		if got := encode06(t, sized.entries); !bytes.Equal(got, in) {
			t.Fatalf("re-encoded\n%q\nwant\n%q", got, in)
		}
	})
}
