package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Encoder writes one file in the format described at Version: the header at
// NewEncoder, one entry per Add, the checksum at Close.
//
// It keeps its own buffer instead of a bufio.Writer so that the checksum is
// computed once per megabyte written rather than once per entry, and so that
// small entries are appended with no call through an interface. An Encoder is
// not safe for concurrent use.
type Encoder struct {
	w     io.Writer
	buf   []byte // bytes neither checksummed nor written yet
	crc   uint32
	count uint64 // entries announced in the header
	added uint64
	err   error // sticky: the first failure, returned by every later call
}

var errClosed = errors.New("data: encoder already closed")

// NewEncoder starts a file of count entries on w, with journal sequence 0.
// The header is buffered, so a failure to write it is reported by a later Add
// or by Close; NewEncoder fails only when w is nil.
func NewEncoder(w io.Writer, count uint64) (*Encoder, error) {
	return NewEncoderSeq(w, count, 0)
}

// NewEncoderSeq is NewEncoder for a store that holds the effect of every
// journal record up to and including seq.
func NewEncoderSeq(w io.Writer, count, seq uint64) (*Encoder, error) {
	if w == nil {
		return nil, errors.New("data: NewEncoder: nil writer")
	}
	e := &Encoder{w: w, count: count, buf: make([]byte, 0, encoderBuffer(count))}
	e.buf = append(e.buf, magic[:]...)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, Version)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, count)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, seq)
	return e, nil
}

// encoderBuffer sizes an Encoder's buffer to the store: a few kilobytes for
// a small one, bufferSize for any store worth streaming. An entry larger
// than the buffer is still written whole, in buffer-sized pieces.
func encoderBuffer(count uint64) int {
	if count >= (bufferSize-encoderMinBuffer)/encoderBytesPerEntry {
		return bufferSize
	}
	return encoderMinBuffer + int(count)*encoderBytesPerEntry
}

// Add appends one entry. Keys and values may hold any bytes and may be empty.
// Adding more entries than the header announced is an error, because the
// file would be unreadable.
func (e *Encoder) Add(key, value string) error {
	if e.err != nil {
		return e.err
	}
	if e.added == e.count {
		e.err = fmt.Errorf("data: cannot add entry %d: the header announced %d", e.added+1, e.count)
		return e.err
	}
	e.added++
	if 2*binary.MaxVarintLen64+len(key)+len(value) <= cap(e.buf)-len(e.buf) {
		e.buf = binary.AppendUvarint(e.buf, uint64(len(key)))
		e.buf = append(e.buf, key...)
		e.buf = binary.AppendUvarint(e.buf, uint64(len(value)))
		e.buf = append(e.buf, value...)
		return nil
	}
	e.writeString(key)
	e.writeString(value)
	return e.err
}

// writeString appends a length and the bytes of s when the buffer cannot hold
// them whole, flushing as it fills: a 1 GiB value goes out in buffer-sized
// pieces with no copy of its own.
func (e *Encoder) writeString(s string) {
	if cap(e.buf)-len(e.buf) < binary.MaxVarintLen64 {
		e.flush()
	}
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	for len(s) > 0 && e.err == nil {
		if len(e.buf) == cap(e.buf) {
			e.flush()
		}
		n := copy(e.buf[len(e.buf):cap(e.buf)], s)
		e.buf = e.buf[:len(e.buf)+n]
		s = s[n:]
	}
}

// flush checksums and writes the buffer.
func (e *Encoder) flush() {
	if e.err != nil {
		return
	}
	e.crc = crc32.Update(e.crc, castagnoli, e.buf)
	if _, err := e.w.Write(e.buf); err != nil {
		e.err = err
	}
	e.buf = e.buf[:0]
}

// Close writes the checksum and flushes everything to w; it does not close w.
// Closing before all announced entries were added is an error, because the
// file would be unreadable; nothing more can be added after Close.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.added != e.count {
		e.err = fmt.Errorf("data: cannot finish file: %d entries added, the header announced %d", e.added, e.count)
		return e.err
	}
	e.crc = crc32.Update(e.crc, castagnoli, e.buf)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, e.crc)
	if _, err := e.w.Write(e.buf); err != nil {
		e.err = err
		return err
	}
	e.buf = nil
	e.err = errClosed
	return nil
}

// AppendEntry appends the encoding of one entry to dst. The store keeps its
// entries in this encoding, so that AddBlock can write them as they lie.
func AppendEntry(dst []byte, key, value string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = append(dst, key...)
	dst = binary.AppendUvarint(dst, uint64(len(value)))
	return append(dst, value...)
}

// AddBlock appends entries already encoded by AppendEntry: block holds
// exactly n of them. The block is checksummed and written in place, not
// copied.
func (e *Encoder) AddBlock(block []byte, n uint64) error {
	if e.err != nil {
		return e.err
	}
	if e.count-e.added < n {
		e.err = fmt.Errorf("data: cannot add entries %d to %d: the header announced %d", e.added+1, e.added+n, e.count)
		return e.err
	}
	e.added += n
	e.flush()
	if e.err != nil {
		return e.err
	}
	e.crc = crc32.Update(e.crc, castagnoli, block)
	if _, err := e.w.Write(block); err != nil {
		e.err = err
	}
	return e.err
}
