package data_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"skysh/data"
)

// segmentOf builds a segment whose records, from sequence first, each put
// one key; it returns the file and the offset where each record starts.
func segmentOf(first uint64, n int) ([]byte, []int) {
	b := data.AppendJournalHeader(nil, first)
	var starts []int
	for i := range n {
		starts = append(starts, len(b))
		payload := data.AppendPut(nil, fmt.Sprint("key", i), fmt.Sprint("value", i))
		b = data.AppendRecord(b, first+uint64(i), payload)
	}
	return b, starts
}

// readSegment reads a whole segment from memory and returns the sequences
// of the records delivered.
func readSegment(t *testing.T, file []byte) (data.Segment, []uint64, error) {
	t.Helper()
	var seqs []uint64
	seg, err := data.ReadSegment(bytes.NewReader(file), int64(len(file)), "journal", func(seq uint64, payload []byte) error {
		seqs = append(seqs, seq)
		return data.DecodeOps(payload, func(op byte, key, value string) error { return nil })
	})
	return seg, seqs, err
}

func TestSegmentRoundTrip(t *testing.T) {
	file, _ := segmentOf(7, 3)
	seg, seqs, err := readSegment(t, file)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{7, 8, 9}; !slices.Equal(seqs, want) {
		t.Fatalf("records %v, want %v", seqs, want)
	}
	if seg.First != 7 || seg.Last != 9 || seg.Records != 3 || seg.Torn != 0 || seg.GoodSize != int64(len(file)) {
		t.Fatalf("segment %+v", seg)
	}
}

func TestOpsRoundTrip(t *testing.T) {
	var p []byte
	p = data.AppendPut(p, "", "")
	p = data.AppendPut(p, "k\x00\xff", string(bytes.Repeat([]byte{0xff}, 300)))
	p = data.AppendDel(p, "gone")
	p = data.AppendFlush(p)
	type op struct {
		op         byte
		key, value string
	}
	var got []op
	if err := data.DecodeOps(p, func(o byte, k, v string) error {
		got = append(got, op{o, k, v})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []op{{data.OpPut, "", ""}, {data.OpPut, "k\x00\xff", string(bytes.Repeat([]byte{0xff}, 300))}, {data.OpDel, "gone", ""}, {data.OpFlush, "", ""}}
	if !slices.Equal(got, want) {
		t.Fatalf("ops %q, want %q", got, want)
	}
	for _, bad := range [][]byte{{'X'}, {data.OpPut, 5, 'a'}, {data.OpDel}, {data.OpPut, 1, 'a'}} {
		if err := data.DecodeOps(bad, func(byte, string, string) error { return nil }); !errors.Is(err, data.ErrBadOps) {
			t.Errorf("DecodeOps(%q) = %v, want ErrBadOps", bad, err)
		}
	}
}

// TestSegmentTornTail cuts the segment at every byte offset inside its last
// record: each cut is a torn tail, reported with its size, and every earlier
// record is delivered.
func TestSegmentTornTail(t *testing.T) {
	file, starts := segmentOf(1, 4)
	last := starts[len(starts)-1]
	for cut := last; cut < len(file); cut++ {
		seg, seqs, err := readSegment(t, file[:cut])
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if want := []uint64{1, 2, 3}; !slices.Equal(seqs, want) {
			t.Fatalf("cut at %d: records %v, want %v", cut, seqs, want)
		}
		if got, want := seg.Torn, int64(cut-last); got != want {
			t.Fatalf("cut at %d: torn %d bytes, want %d", cut, got, want)
		}
		if seg.GoodSize != int64(last) {
			t.Fatalf("cut at %d: good size %d, want %d", cut, seg.GoodSize, last)
		}
	}
	// A header cut short: a segment created just before a crash.
	for cut := range data.JournalHeaderSize {
		seg, seqs, err := readSegment(t, file[:cut])
		if err != nil || len(seqs) != 0 || !seg.HeaderTorn {
			t.Fatalf("header cut at %d: %+v, %v, %v", cut, seg, seqs, err)
		}
	}
}

// TestSegmentDamage flips every byte of every record but the last: each
// flip is damage with good records after it, refused with its offset.
// Flips in the last record are a torn tail.
func TestSegmentDamage(t *testing.T) {
	file, starts := segmentOf(1, 4)
	last := starts[len(starts)-1]
	for i := starts[0]; i < len(file); i++ {
		damaged := bytes.Clone(file)
		damaged[i] ^= 0x10
		seg, seqs, err := readSegment(t, damaged)
		if i >= last {
			if err != nil || seg.Torn == 0 || len(seqs) != 3 {
				t.Fatalf("flip at %d in the last record: %+v, %v, %v; want a torn tail", i, seg, seqs, err)
			}
			continue
		}
		var fe *data.FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("flip at %d: %v (records %v), want a *FormatError", i, err, seqs)
		}
		if fe.Offset > int64(i) {
			t.Fatalf("flip at %d reported at offset %d", i, fe.Offset)
		}
	}
	// A damaged header with records after it is refused too.
	damaged := bytes.Clone(file)
	damaged[13] ^= 1
	if _, _, err := readSegment(t, damaged); !errors.Is(err, data.ErrChecksum) {
		t.Fatalf("damaged header: %v, want ErrChecksum", err)
	}
	if _, _, err := readSegment(t, []byte("SET a b\nGET a\n and more text")); !errors.Is(err, data.ErrBadMagic) {
		t.Fatalf("text: %v, want ErrBadMagic", err)
	}
}

// TestSegmentSequenceGap: records must follow one another.
func TestSegmentSequenceGap(t *testing.T) {
	b := data.AppendJournalHeader(nil, 1)
	b = data.AppendRecord(b, 1, data.AppendFlush(nil))
	b = data.AppendRecord(b, 3, data.AppendFlush(nil))
	if _, _, err := readSegment(t, b); !errors.Is(err, data.ErrCorrupt) {
		t.Fatalf("gap: %v, want ErrCorrupt", err)
	}
}

// FuzzReadSegment: any bytes give records, a torn tail or a FormatError,
// never a panic, and never a record whose operations do not parse.
func FuzzReadSegment(f *testing.F) {
	file, _ := segmentOf(1, 3)
	f.Add(file)
	f.Add(file[:len(file)-3])
	f.Add(file[:10])
	f.Add(append(bytes.Clone(file), 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f))
	f.Fuzz(func(t *testing.T, in []byte) {
		data.ReadSegment(bytes.NewReader(in), int64(len(in)), "fuzz", func(seq uint64, payload []byte) error {
			return data.DecodeOps(payload, func(byte, string, string) error { return nil })
		})
	})
}
