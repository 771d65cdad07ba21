package data_test

import (
	"bytes"
	"testing"

	"skysh/data"
)

// TestAddBlockMatchesAdd shows that a file written in blocks, as parallel
// savers write it, is byte for byte the file written entry by entry.
func TestAddBlockMatchesAdd(t *testing.T) {
	entries := [][2]string{{"a", "1"}, {"", ""}, {"k\x00", "\xff\n"}, {"long", string(make([]byte, 70000))}, {"z", "26"}}
	var one bytes.Buffer
	enc, _ := data.NewEncoder(&one, uint64(len(entries)))
	for _, kv := range entries {
		if err := enc.Add(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}

	var blocks bytes.Buffer
	enc, _ = data.NewEncoder(&blocks, uint64(len(entries)))
	if err := enc.Add(entries[0][0], entries[0][1]); err != nil {
		t.Fatal(err)
	}
	var block []byte
	for _, kv := range entries[1:4] {
		block = data.AppendEntry(block, kv[0], kv[1])
	}
	if err := enc.AddBlock(block, 3); err != nil {
		t.Fatal(err)
	}
	if err := enc.AddBlock(data.AppendEntry(nil, entries[4][0], entries[4][1]), 1); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), blocks.Bytes()) {
		t.Fatalf("file written in blocks differs from the one written entry by entry")
	}
}

func TestAddBlockBeyondCount(t *testing.T) {
	enc, _ := data.NewEncoder(&bytes.Buffer{}, 1)
	if err := enc.AddBlock(data.AppendEntry(data.AppendEntry(nil, "a", "1"), "b", "2"), 2); err == nil {
		t.Fatal("AddBlock of 2 entries into a file of 1 succeeded")
	}
}
