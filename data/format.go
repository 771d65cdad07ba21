// Package data is skysh's on-disk layer: the layout and lock of the data
// directory, the file format shared by data.bin and snapshots, and atomic
// replacement of files. It knows nothing of the store that uses it, so that
// what is on disk can be reasoned about (and tested) on its own.
package data

import (
	"encoding/binary"
	"hash/crc32"
)

// The file format, version 2, of data.bin and of snapshots. All integers are
// little-endian.
//
//	offset  size     field
//	0       8        magic "\x89SKY\r\n\x1a\n"
//	8       4        format version (uint32), currently 2
//	12      8        entry count (uint64)
//	20      8        journal sequence (uint64): the last journal record whose
//	                 effect the file holds (absent in version 1, read as 0)
//	28      ...      count entries, each:
//	                   key length (uvarint), key bytes,
//	                   value length (uvarint), value bytes
//	end-4   4        CRC-32C (Castagnoli) of every byte before it
//
// The sequence ties data.bin to the write journal: at start, only the journal
// records after it are replayed, so a journal that outlived the save which
// made it redundant (a crash between the two) is never applied twice.
// The count sits in the header, not the trailer, so that a reader can size
// its map once instead of growing it a million times. Lengths are uvarints
// because nearly every key and value is shorter than 128 bytes: one byte of
// framing instead of four or eight keeps files small and loads fast. Lengths
// must be minimally encoded, so that each store has exactly one encoding and a
// decoded file re-encodes to the same bytes. Nothing may follow the checksum:
// a file that is longer than it says is as suspect as one that is shorter.
const (
	// Version is the format version this build writes and the newest it
	// reads. Version 1, the same without the journal sequence, is read too.
	Version = 2

	// magic + version + count: all a version 1 header holds.
	headerSizeV1 = 8 + 4 + 8
	// magic + version + count + journal sequence.
	headerSize = headerSizeV1 + 8
	// The CRC-32C that ends every file.
	trailerSize = 4
	// The smallest encoding of one entry: two one-byte lengths, empty key and
	// value.
	minEntrySize = 2

	// Buffer size for streaming in both directions: large enough that the
	// per-call costs of read and write system calls, and of the checksum,
	// vanish; small enough not to matter beside a store of any size worth
	// buffering.
	bufferSize = 1 << 20

	// writeBuffer is what a file written whole (WriteFileAtomic,
	// WriteNewFile) is written through. An Encoder buffers on its own and
	// hands over chunks larger than this, which bufio passes straight to
	// the file; the buffer only gathers small writes, such as a dump's
	// lines, so it need not be large, and a start that writes the file of
	// an empty store does not pay for megabytes.
	writeBuffer = 64 << 10

	// encoderMinBuffer is an Encoder's buffer for an empty store; a store
	// of more entries gets encoderBytesPerEntry more per entry, up to
	// bufferSize.
	encoderMinBuffer     = 4 << 10
	encoderBytesPerEntry = 64
)

// magic opens every file. It follows PNG's design: the first byte has its high
// bit set, so no ASCII text matches and no UTF-8 text can start with it (0x89
// is a continuation byte); "\r\n" and the lone "\n" expose a transfer that
// rewrote line endings; 0x1a stops a DOS "type" from dumping binary. "SKY"
// tells a human with a hex dump what the file is.
var magic = [8]byte{0x89, 'S', 'K', 'Y', '\r', '\n', 0x1a, '\n'}

// castagnoli is CRC-32C, which modern CPUs compute in hardware (SSE 4.2,
// ARMv8 CRC), so checksumming costs far less than reading the bytes.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// uvarint decodes a minimally encoded uvarint at the start of p. n is the
// number of bytes read; n == 0 means p ends inside the number, n < 0 that the
// number overflows 64 bits or is not minimal (it ends in a zero byte, a
// padding that encoding/binary accepts but this format forbids so that every
// file has one encoding).
func uvarint(p []byte) (v uint64, n int) {
	if len(p) > 0 && p[0] < 0x80 {
		return uint64(p[0]), 1 // nearly every length: skip the general loop
	}
	v, n = binary.Uvarint(p)
	switch {
	case n == 0 && len(p) >= binary.MaxVarintLen64:
		// Ten bytes that all continue the number: encoding/binary
		// reports "too short" when its input ends right there, but no
		// longer input could make a valid uint64 of them.
		return 0, -binary.MaxVarintLen64
	case n > 1 && p[n-1] == 0:
		return 0, -n
	}
	return v, n
}
