package data

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The write journal is a run of segment files, each an append-only list of
// records. A record is the whole effect of one acknowledged write query, so
// that replay applies a query completely or not at all. All integers are
// little-endian.
//
// Segment header:
//
//	offset  size  field
//	0       8     magic "\x89SKJ\r\n\x1a\n"
//	8       4     journal format version (uint32), currently 1
//	12      8     first sequence (uint64): the sequence of the first record
//	              the segment may hold
//	20      4     CRC-32C of the 20 bytes before it
//
// Record:
//
//	offset  size  field
//	0       4     CRC-32C of every byte of the record after this field
//	4       4     payload length n (uint32)
//	8       8     sequence (uint64): one more than the record before it
//	16      n     payload: operations (see AppendPut)
//
// The checksum covers the length, so a damaged length is caught like any
// other damaged byte rather than sending the reader astray silently.
const (
	// JournalVersion is the journal format this build writes and reads.
	JournalVersion = 1

	// JournalHeaderSize is the size of a segment's header.
	JournalHeaderSize = 8 + 4 + 8 + 4

	// recordHeaderSize is the framing of one record.
	recordHeaderSize = 4 + 4 + 8

	// MaxRecordPayload bounds one record. A query is at most a 256 MiB
	// line; its effect, even with every byte escaped, fits well inside.
	MaxRecordPayload = 1 << 30
)

// journalMagic opens every segment; it differs from the data file's magic in
// one letter, so neither is ever taken for the other.
var journalMagic = [8]byte{0x89, 'S', 'K', 'J', '\r', '\n', 0x1a, '\n'}

// AppendJournalHeader appends the header of a segment whose first record has
// sequence first.
func AppendJournalHeader(dst []byte, first uint64) []byte {
	start := len(dst)
	dst = append(dst, journalMagic[:]...)
	dst = binary.LittleEndian.AppendUint32(dst, JournalVersion)
	dst = binary.LittleEndian.AppendUint64(dst, first)
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// Operations in a record's payload, one byte each followed by its operands:
// a put by the key and the value, a delete by the key, a flush by nothing.
// Keys and values are uvarint-length-prefixed, as in data files.
const (
	OpPut   byte = 'P'
	OpDel   byte = 'D'
	OpFlush byte = 'F'
)

// AppendPut appends "key now holds value" to a payload.
func AppendPut(dst []byte, key, value string) []byte {
	dst = append(dst, OpPut)
	return AppendEntry(dst, key, value)
}

// AppendDel appends "key was deleted" to a payload.
func AppendDel(dst []byte, key string) []byte {
	dst = append(dst, OpDel)
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	return append(dst, key...)
}

// AppendFlush appends "every key was deleted" to a payload.
func AppendFlush(dst []byte) []byte { return append(dst, OpFlush) }

// AppendRecord frames payload as the record of sequence seq and appends it
// to dst.
func AppendRecord(dst []byte, seq uint64, payload []byte) []byte {
	start := len(dst)
	dst = append(BeginRecord(dst), payload...)
	FinishRecord(dst[start:], seq)
	return dst
}

// BeginRecord appends room for a record's framing to dst. The record's
// operations are then appended right after it (AppendPut, …), and
// FinishRecord fills the framing in: a record is built where it will be
// written from, with no copy of its payload.
func BeginRecord(dst []byte) []byte {
	var framing [recordHeaderSize]byte
	return append(dst, framing[:]...)
}

// FinishRecord fills in the framing of rec, a record begun by BeginRecord
// with its whole payload after it, as the record of sequence seq.
func FinishRecord(rec []byte, seq uint64) {
	binary.LittleEndian.PutUint32(rec[4:], uint32(len(rec)-recordHeaderSize))
	binary.LittleEndian.PutUint64(rec[8:], seq)
	binary.LittleEndian.PutUint32(rec, crc32.Checksum(rec[4:], castagnoli))
}

// ErrBadOps is returned by DecodeOps for a payload that does not parse. The
// record's checksum matched, so this is a bug or a forgery, not wear.
var ErrBadOps = errors.New("journal record holds malformed operations")

// DecodeOps calls fn for each operation of a payload, in order. Keys and
// values are fresh strings: the payload's buffer may be reused.
func DecodeOps(payload []byte, fn func(op byte, key, value string) error) error {
	str := func() (string, bool) {
		n, k := uvarint(payload)
		if k <= 0 || n > uint64(len(payload)-k) {
			return "", false
		}
		s := string(payload[k : k+int(n)])
		payload = payload[k+int(n):]
		return s, true
	}
	for len(payload) > 0 {
		op := payload[0]
		payload = payload[1:]
		var key, value string
		ok := true
		switch op {
		case OpPut:
			if key, ok = str(); ok {
				value, ok = str()
			}
		case OpDel:
			key, ok = str()
		case OpFlush:
		default:
			ok = false
		}
		if !ok {
			return fmt.Errorf("%w (operation %q)", ErrBadOps, op)
		}
		if err := fn(op, key, value); err != nil {
			return err
		}
	}
	return nil
}

// Segment is what ReadSegment found in one segment file.
type Segment struct {
	First   uint64 // the sequence its header announces for its first record
	Last    uint64 // the sequence of its last good record; First-1 if none
	Records int    // good records
	// GoodSize is the offset just past the last good record: where a torn
	// tail starts.
	GoodSize int64
	// Torn is the number of bytes after GoodSize that were cut: a last
	// record that a crash interrupted (short, or failing its checksum with
	// nothing good after it). 0 when the segment ends cleanly.
	Torn int64
	// HeaderTorn says the header itself is incomplete: a crash right
	// after the segment was created, before anything in it was durable.
	HeaderTorn bool
}

// ReadSegment reads the segment of size bytes at r, calling fn for each good
// record in order. Sequences must rise by one from the header's first; the
// payload passed to fn is only valid during the call.
//
// A record that is short or fails its checksum ends the segment when no good
// record follows it anywhere: that is a torn tail, reported in Segment.Torn,
// not an error. A bad record with a good one after it is damage in the
// middle of the journal, and a *FormatError (ErrCorrupt or ErrChecksum) that
// names the offset: replaying past it would skip acknowledged writes, and
// stopping at it would lose the ones after.
func ReadSegment(r io.ReaderAt, size int64, path string, fn func(seq uint64, payload []byte) error) (Segment, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), bufferSize)
	var seg Segment
	fail := func(reason Reason, off int64, detail string) error {
		return &FormatError{Path: path, Offset: off, Reason: reason, Detail: detail}
	}
	head := make([]byte, JournalHeaderSize)
	if n, err := io.ReadFull(br, head); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			if n < len(journalMagic) && string(head[:n]) != string(journalMagic[:n]) {
				return seg, fail(ErrBadMagic, 0, fmt.Sprintf("it starts with %q", head[:n]))
			}
			seg.HeaderTorn, seg.Torn = true, int64(n)
			return seg, nil
		}
		return seg, err
	}
	if string(head[:8]) != string(journalMagic[:]) {
		return seg, fail(ErrBadMagic, 0, fmt.Sprintf("it starts with %q (not a skysh journal)", head[:8]))
	}
	if crc32.Checksum(head[:20], castagnoli) != binary.LittleEndian.Uint32(head[20:]) {
		if size == JournalHeaderSize {
			// Nothing follows: a header that never reached the disk whole.
			seg.HeaderTorn, seg.Torn = true, size
			return seg, nil
		}
		return seg, fail(ErrChecksum, 20, "in the journal header")
	}
	if v := binary.LittleEndian.Uint32(head[8:]); v != JournalVersion {
		return seg, fail(ErrNewerVersion, 8, fmt.Sprintf("journal format version %d, this build reads %d", v, JournalVersion))
	}
	seg.First = binary.LittleEndian.Uint64(head[12:])
	seg.Last = seg.First - 1
	off := int64(JournalHeaderSize)
	seg.GoodSize = off
	var payload []byte
	for off < size {
		rec, err := readRecord(br, size-off, &payload)
		if err == nil && rec.seq != seg.Last+1 {
			return seg, fail(ErrCorrupt, off+8, fmt.Sprintf("record sequence %d where %d was due", rec.seq, seg.Last+1))
		}
		if err != nil {
			if !errors.Is(err, errBadRecord) {
				return seg, err
			}
			rest, rerr := io.ReadAll(io.NewSectionReader(r, off, size-off))
			if rerr != nil {
				return seg, rerr
			}
			if at, ok := findRecord(rest, seg.Last); ok {
				return seg, fail(ErrChecksum, off, fmt.Sprintf("a damaged record (after record %d), with good records after it at offset %d", seg.Last, off+int64(at)))
			}
			seg.Torn = size - off
			return seg, nil
		}
		if err := fn(rec.seq, payload[:rec.n]); err != nil {
			return seg, err
		}
		off += recordHeaderSize + int64(rec.n)
		seg.Last, seg.GoodSize = rec.seq, off
		seg.Records++
	}
	return seg, nil
}

// errBadRecord marks a record that is short or fails its checksum.
var errBadRecord = errors.New("bad record")

type recordHead struct {
	seq uint64
	n   int
}

// readRecord reads one record of at most left bytes into *payload (grown as
// needed, bounded by left: a forged length costs nothing).
func readRecord(br *bufio.Reader, left int64, payload *[]byte) (recordHead, error) {
	p, err := br.Peek(recordHeaderSize)
	if len(p) < recordHeaderSize {
		if err == io.EOF || err == nil {
			return recordHead{}, errBadRecord
		}
		return recordHead{}, err
	}
	sum := binary.LittleEndian.Uint32(p)
	n := int64(binary.LittleEndian.Uint32(p[4:]))
	rec := recordHead{seq: binary.LittleEndian.Uint64(p[8:]), n: int(n)}
	if n > MaxRecordPayload || recordHeaderSize+n > left {
		return rec, errBadRecord
	}
	crc := crc32.Checksum(p[4:recordHeaderSize], castagnoli)
	if cap(*payload) < int(n) {
		*payload = make([]byte, n)
	}
	buf := (*payload)[:n]
	if _, err := br.Discard(recordHeaderSize); err != nil {
		return rec, err
	}
	if _, err := io.ReadFull(br, buf); err != nil {
		return rec, errBadRecord
	}
	if crc32.Update(crc, castagnoli, buf) != sum {
		return rec, errBadRecord
	}
	return rec, nil
}

// findRecord reports whether rest holds, at any offset, a well-formed record
// with a sequence after last: the sign that damage lies in the middle of a
// journal rather than at its torn end.
func findRecord(rest []byte, last uint64) (int, bool) {
	for at := 0; at+recordHeaderSize <= len(rest); at++ {
		seq := binary.LittleEndian.Uint64(rest[at+8:])
		if seq <= last || seq-last > uint64(len(rest)) {
			continue // cheap filter: no record there can have this number
		}
		n := int(binary.LittleEndian.Uint32(rest[at+4:]))
		if n > len(rest)-at-recordHeaderSize {
			continue
		}
		if crc32.Checksum(rest[at+4:at+recordHeaderSize+n], castagnoli) == binary.LittleEndian.Uint32(rest[at:]) {
			return at, true
		}
	}
	return 0, false
}
