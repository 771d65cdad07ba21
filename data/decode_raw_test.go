package data_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skysh/data"
)

// decodeRaw runs data.DecodeFileRaw on the file at path and checks each
// entry it hands over against want, in order: its bytes must be the entry
// as AppendEntry encodes it, and its key the entry's key. A nil want takes
// whatever comes, as a damaged file may deliver anything before it is
// refused.
func decodeRaw(t *testing.T, path string, want []kv) (uint64, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	seq, err := data.DecodeFileRaw(f, path, func(uint64) {}, func(raw, key []byte) error {
		if want == nil {
			return nil
		}
		if n >= len(want) {
			return fmt.Errorf("entry %d: more entries than the %d written", n+1, len(want))
		}
		if w := want[n]; !bytes.Equal(raw, data.AppendEntry(nil, w.k, w.v)) || string(key) != w.k {
			return fmt.Errorf("entry %d: %d bytes with key %.20q, want the entry of key %.20q", n+1, len(raw), key, w.k)
		}
		n++
		return nil
	})
	if err == nil && want != nil && n != len(want) {
		t.Fatalf("DecodeFileRaw handed over %d entries, want %d", n, len(want))
	}
	return seq, err
}

// TestDecodeFileRaw decodes entries of every size, among them some larger
// than the read buffer and many that straddle its end, as they lie in the
// file.
func TestDecodeFileRaw(t *testing.T) {
	var entries []kv
	for i := range 20_000 {
		entries = append(entries, kv{fmt.Sprintf("key:%09d", i), strings.Repeat("v", i%1500)})
		if i%5000 == 0 {
			entries = append(entries, kv{fmt.Sprintf("big:%d", i), strings.Repeat("b", 3<<20)})
		}
	}
	entries = append(entries, kv{"", ""})
	path := filepath.Join(t.TempDir(), "data.bin")
	if err := os.WriteFile(path, encodeSeq(t, entries, 42), 0o600); err != nil {
		t.Fatal(err)
	}
	seq, err := decodeRaw(t, path, entries)
	if err != nil || seq != 42 {
		t.Fatalf("DecodeFileRaw = %d, %v; want 42, nil", seq, err)
	}
}

// TestDecodeFileRawRefusesAsDecodeFile: a cut or damaged file is refused
// with the same error whichever way it is decoded.
func TestDecodeFileRawRefusesAsDecodeFile(t *testing.T) {
	file := small(t)
	path := filepath.Join(t.TempDir(), "data.bin")
	check := func(what string, b []byte) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		want := data.ReadFile(path, func(uint64) {}, func(k, v string) error { return nil })
		if _, err := decodeRaw(t, path, nil); fmt.Sprint(err) != fmt.Sprint(want) {
			t.Fatalf("%s: DecodeFileRaw = %v, DecodeFile = %v", what, err, want)
		}
	}
	for n := range len(file) {
		check(fmt.Sprintf("cut to %d bytes", n), file[:n])
	}
	for off := range file {
		bad := bytes.Clone(file)
		bad[off] ^= 0x40
		check(fmt.Sprintf("byte %d damaged", off), bad)
	}
}
