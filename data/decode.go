package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"
)

// unknownSizeCountHint caps the count handed to begin when the size of the
// input cannot be learnt (a pipe, a reader of the caller's own). The header's
// count is then unchecked, and a 20-byte file announcing 2^60 entries must not
// make the caller pre-size a map that exhausts memory; past the hint, the
// caller's map grows as entries actually arrive.
const unknownSizeCountHint = 1 << 16

// countHint caps the count handed to begin even when the size is known. A
// sparse file can be terabytes long on a few blocks of disk, so its size
// vouches for nothing: past the hint, memory grows with the entries that
// actually arrive. 4M entries pre-size any ordinary store whole.
const countHint = 1 << 22

// untrustedGrow is the memory reserved up front for a string whose length
// could not be checked against the input size; past it, memory grows by
// doubling as bytes arrive.
const untrustedGrow = 64 << 10

// ReadFile decodes the file at path; see Decode for begin and entry. Knowing
// the file's size, it refuses at once an entry count or a length that the
// file cannot hold, so a corrupt header costs no allocation. Format errors
// are *FormatError with Path set, reading like "cannot load data/data.bin:
// checksum mismatch (file is corrupt) at offset 1234"; other failures (open,
// read, and errors returned by entry) are wrapped the same way, with %w.
func ReadFile(path string, begin func(count uint64), entry func(key, value string) error) error {
	_, err := ReadFileSeq(path, begin, entry)
	return err
}

// ReadFileSeq is ReadFile that also returns the journal sequence in the
// file's header, once the whole file has been verified.
func ReadFileSeq(path string, begin func(count uint64), entry func(key, value string) error) (seq uint64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("cannot load %s: %w", path, err)
	}
	defer f.Close()
	return DecodeFile(f, path, begin, entry)
}

// DecodeFile is ReadFile on a file already open, such as one that
// OpenRegular checked; path names it in errors. It reads from the current
// offset to the end, and returns the journal sequence in the header.
func DecodeFile(f *os.File, path string, begin func(count uint64), entry func(key, value string) error) (seq uint64, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("cannot load %s: %w", path, err)
	}
	d := newDecoder(f, fi.Size(), path)
	err = d.decode(begin, entry)
	if _, ok := err.(*FormatError); err != nil && !ok {
		return 0, fmt.Errorf("cannot load %s: %w", path, err)
	}
	return d.seq, err
}

// DecodeFileRaw is DecodeFile for a caller that keeps entries in the file's
// own encoding (AppendEntry's): entry gets each one as the file holds it,
// and its key inside it, both valid only until entry returns. Entries that
// lie whole in the read buffer, nearly all, are handed over in place, with
// no allocation and no copy.
func DecodeFileRaw(f *os.File, path string, begin func(count uint64), entry func(raw, key []byte) error) (seq uint64, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("cannot load %s: %w", path, err)
	}
	d := newDecoder(f, fi.Size(), path)
	d.raw = entry
	err = d.decode(begin, d.encodeRaw)
	if _, ok := err.(*FormatError); err != nil && !ok {
		return 0, fmt.Errorf("cannot load %s: %w", path, err)
	}
	return d.seq, err
}

// Decode reads one whole file from r, up to and including its end: begin is
// called once with the entry count before any entry, so that the caller can
// size its map; entry is called once per entry, in file order. Decode then
// verifies the checksum and that nothing follows it.
//
// Entries are delivered as they are read, before the checksum at the end can
// be verified: when Decode returns an error, the caller must discard
// everything it built from them. An error returned by entry stops decoding
// and is returned as it is.
//
// When r is an *os.File on a regular file, or has a Len method (bytes.Reader,
// strings.Reader, bytes.Buffer), Decode learns how many bytes are left and
// refuses counts and lengths that cannot fit, as ReadFile does. Otherwise
// lengths are believed only as far as data arrives, and the count passed to
// begin is capped at 65536: it is a hint for pre-sizing, not a promise.
//
// The key and value strings may share memory with those of nearby entries:
// up to 32 KiB of consecutive small entries are copied at once and handed out
// as substrings, which removes two allocations per entry and half of the load
// time. Such a block is freed when the last string in it is; at worst, after
// many deletes and updates, the caller keeps alive as much memory as the file
// it loaded.
//
// Format errors are *FormatError; errors.Is tells the reasons apart.
func Decode(r io.Reader, begin func(count uint64), entry func(key, value string) error) error {
	_, err := DecodeSeq(r, begin, entry)
	return err
}

// DecodeSeq is Decode that also returns the journal sequence in the header,
// once the whole file has been verified.
func DecodeSeq(r io.Reader, begin func(count uint64), entry func(key, value string) error) (seq uint64, err error) {
	d := newDecoder(r, inputSize(r), "")
	if err := d.decode(begin, entry); err != nil {
		return 0, err
	}
	return d.seq, nil
}

// inputSize is the number of bytes left in r, or -1 when r cannot tell.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case *os.File:
		fi, err := r.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		off, err := r.Seek(0, io.SeekCurrent)
		if err != nil || off > fi.Size() {
			return -1
		}
		return fi.Size() - off
	case interface{ Len() int }:
		return int64(r.Len())
	}
	return -1
}

// decoder holds the state of one Decode. Bytes are consumed from br only
// through consume, which keeps the checksum and the offset in step.
type decoder struct {
	br    *bufio.Reader
	size  int64 // bytes in the input, or -1 when unknown
	off   int64 // offset of the first byte not yet consumed
	crc   uint32
	count uint64 // entries announced in the header
	seq   uint64 // journal sequence in the header
	left  uint64 // entries not yet read
	path  string
	spans []int // batch's scratch: where the strings of a run lie
	// raw, when set, takes the entries as they are encoded (DecodeFileRaw).
	raw     func(raw, key []byte) error
	encoded []byte // encodeRaw's scratch
}

func newDecoder(r io.Reader, size int64, path string) *decoder {
	n := bufferSize
	if size >= 0 && size < int64(n) {
		// A small file gets a small buffer: decoding many small files
		// (snapshots listing, fuzzing) should not cost a megabyte each.
		n = max(int(size), 64)
	}
	return &decoder{br: bufio.NewReaderSize(r, n), size: size, path: path}
}

func (d *decoder) decode(begin func(uint64), entry func(key, value string) error) error {
	if err := d.header(); err != nil {
		return err
	}
	hint := min(d.count, countHint)
	if d.size < 0 {
		hint = min(hint, unknownSizeCountHint)
	}
	begin(hint)
	for d.left > 0 {
		if err := d.batch(entry); err != nil {
			return err
		}
		if d.left == 0 {
			break
		}
		key, value, err := d.entry()
		if err != nil {
			return err
		}
		d.left--
		if err := entry(key, value); err != nil {
			return err
		}
	}
	return d.trailer()
}

func (d *decoder) header() error {
	p, err := d.br.Peek(headerSizeV1)
	if got := p[:min(len(p), len(magic))]; !bytes.Equal(got, magic[:len(got)]) {
		// The file's bytes are not echoed: it may be anybody's file
		// (--restore of a path that was not meant), and its first bytes
		// may be a secret.
		return d.fail(ErrBadMagic, 0, looksLike(p))
	}
	if len(p) < headerSizeV1 {
		if len(p) == 0 && err == io.EOF {
			return d.fail(ErrTruncated, 0, "the file is empty")
		}
		return d.short(err, len(p), "in the header")
	}
	size := headerSize
	switch v := binary.LittleEndian.Uint32(p[8:]); {
	case v > Version:
		return d.fail(ErrNewerVersion, 8, fmt.Sprintf("format version %d, this build reads up to %d", v, Version))
	case v == 0:
		return d.fail(ErrCorrupt, 8, "format version 0 does not exist")
	case v == 1:
		size = headerSizeV1
	}
	if p, err = d.br.Peek(size); len(p) < size {
		return d.short(err, len(p), "in the header")
	}
	d.count = binary.LittleEndian.Uint64(p[12:])
	if size == headerSize {
		d.seq = binary.LittleEndian.Uint64(p[20:])
	}
	d.left = d.count
	if d.size >= 0 && d.count > uint64(max(d.size-int64(size)-trailerSize, 0)/minEntrySize) {
		return d.fail(cutOrCorrupt(d.count), 12, fmt.Sprintf("the header announces %d entries but the file is only %d bytes long", d.count, d.size))
	}
	d.consume(p)
	return nil
}

// Strings are not allocated one by one. batch copies a run of consecutive
// entries, up to runBytes or runEntries, into one new string and hands out
// substrings of it: one allocation per run instead of two per entry, which
// halves the time to load a store of small entries. The price is that a run
// is freed only when the last of its strings is, and that it also holds the
// length bytes between them (2 of 47 bytes in the store of the performance
// targets). Strings longer than maxSharedString get their own allocation:
// sharing saves little on them and could pin a large value for the sake of
// a small neighbour.
const (
	runBytes        = 32 << 10 // the largest size class of Go's allocator
	runEntries      = 1024     // bounds the scratch space for tiny entries
	maxSharedString = 512
)

// batch delivers the entries that lie whole in the read buffer, parsing them
// in place: the path that nearly every entry of a real file takes, with no
// call into bufio and one checksum update per buffer. It stops at the first
// entry that is incomplete or malformed and leaves it to entry, which reads
// (and, if need be, reports) it piece by piece.
func (d *decoder) batch(entry func(key, value string) error) error {
	if d.raw != nil {
		return d.batchRaw()
	}
	buf, _ := d.br.Peek(d.br.Buffered())
	if d.spans == nil {
		d.spans = make([]int, 0, 4*min(d.left, runEntries))
	}
	i := 0
	for d.left > 0 {
		// Find a run of small entries starting at i.
		start, spans := i, d.spans[:0]
		var ks, ke, vs, ve int
		ok := false
		for uint64(len(spans)/4) < d.left && len(spans) < 4*runEntries {
			if ks, ke, vs, ve, ok = parseEntry(buf, i); !ok {
				break
			}
			if ke-ks > maxSharedString || ve-vs > maxSharedString || (ve-start > runBytes && len(spans) > 0) {
				break
			}
			spans = append(spans, ks-start, ke-start, vs-start, ve-start)
			i = ve
		}
		if len(spans) > 0 {
			run := string(buf[start:i])
			for j := 0; j < len(spans); j += 4 {
				d.left--
				if err := entry(substr(run, spans[j], spans[j+1]), substr(run, spans[j+2], spans[j+3])); err != nil {
					return err
				}
			}
			continue
		}
		if !ok {
			break // incomplete or broken: for entry
		}
		// A whole entry with a large key or value.
		i = ve
		d.left--
		if err := entry(string(buf[ks:ke]), string(buf[vs:ve])); err != nil {
			return err
		}
	}
	d.consume(buf[:i])
	return nil
}

// batchRaw is batch for DecodeFileRaw: the entries that lie whole in the
// read buffer go to raw where they lie.
func (d *decoder) batchRaw() error {
	buf, _ := d.br.Peek(d.br.Buffered())
	i := 0
	for d.left > 0 {
		ks, ke, _, ve, ok := parseEntry(buf, i)
		if !ok {
			break // incomplete or broken: for entry
		}
		d.left--
		if err := d.raw(buf[i:ve], buf[ks:ke]); err != nil {
			return err
		}
		i = ve
	}
	d.consume(buf[:i])
	return nil
}

// encodeRaw hands an entry that entry had to read piece by piece to raw,
// encoded again.
func (d *decoder) encodeRaw(key, value string) error {
	d.encoded = AppendEntry(d.encoded[:0], key, value)
	_, n := binary.Uvarint(d.encoded)
	return d.raw(d.encoded, d.encoded[n:n+len(key)])
}

// parseEntry finds the key and value of the entry at buf[i:], if all of it is
// there and its lengths are well-formed.
func parseEntry(buf []byte, i int) (ks, ke, vs, ve int, ok bool) {
	klen, n := uvarint(buf[i:])
	if n <= 0 || klen > uint64(len(buf)-i-n) {
		return 0, 0, 0, 0, false
	}
	ks = i + n
	ke = ks + int(klen)
	vlen, n := uvarint(buf[ke:])
	if n <= 0 || vlen > uint64(len(buf)-ke-n) {
		return 0, 0, 0, 0, false
	}
	vs = ke + n
	return ks, ke, vs, vs + int(vlen), true
}

// substr is run[i:j], except that an empty string does not keep run alive.
func substr(run string, i, j int) string {
	if i == j {
		return ""
	}
	return run[i:j]
}

// entry reads one entry that batch could not: one that straddles the end of
// the buffer, is larger than it, or is broken.
func (d *decoder) entry() (key, value string, err error) {
	if key, err = d.str("key"); err != nil {
		return "", "", err
	}
	value, err = d.str("value")
	return key, value, err
}

// str reads a length and the bytes it announces.
func (d *decoder) str(what string) (string, error) {
	at := d.off
	p, err := d.br.Peek(binary.MaxVarintLen64)
	n64, k := uvarint(p)
	if k == 0 {
		return "", d.short(err, len(p), fmt.Sprintf("in the %s length of entry %s", what, d.entryName()))
	}
	if k < 0 {
		return "", d.fail(ErrCorrupt, at, fmt.Sprintf("the %s length of entry %s is malformed", what, d.entryName()))
	}
	d.consume(p[:k])
	if d.size >= 0 {
		if left := max(d.size-d.off, 0); n64 > uint64(left) {
			return "", d.fail(cutOrCorrupt(n64), at, fmt.Sprintf("the %s of entry %s is %d bytes long but only %d bytes of the file are left", what, d.entryName(), n64, left))
		}
	} else if n64 > math.MaxInt {
		return "", d.fail(ErrCorrupt, at, fmt.Sprintf("the %s of entry %s is %d bytes long, more than memory can hold", what, d.entryName(), n64))
	}
	n := int(n64)
	if n > d.br.Size() {
		return d.large(n, what)
	}
	p, err = d.br.Peek(n)
	if len(p) < n {
		return "", d.short(err, len(p), fmt.Sprintf("in the %s of entry %s", what, d.entryName()))
	}
	s := string(p)
	d.consume(p)
	return s, nil
}

// large reads a string bigger than the read buffer, a buffer at a time. n is
// not trusted even when it fits the input's size (a sparse file, or one cut
// while it is read, delivers less than its size promises): memory grows with
// the bytes that actually arrive, so a forged length cannot allocate more
// than the input holds.
func (d *decoder) large(n int, what string) (string, error) {
	var sb strings.Builder
	sb.Grow(min(n, untrustedGrow))
	for sb.Len() < n {
		want := min(n-sb.Len(), d.br.Size())
		p, err := d.br.Peek(want)
		sb.Write(p)
		d.consume(p)
		if len(p) < want {
			return "", d.short(err, 0, fmt.Sprintf("in the %s of entry %s", what, d.entryName()))
		}
	}
	return sb.String(), nil
}

func (d *decoder) trailer() error {
	p, err := d.br.Peek(trailerSize)
	if len(p) < trailerSize {
		return d.short(err, len(p), "in the checksum")
	}
	if binary.LittleEndian.Uint32(p) != d.crc {
		return d.fail(ErrChecksum, d.off, "")
	}
	d.br.Discard(trailerSize)
	d.off += trailerSize
	switch p, err := d.br.Peek(1); {
	case len(p) > 0 && d.size >= 0:
		return d.fail(ErrTrailingData, d.off, fmt.Sprintf("%d more bytes", d.size-d.off))
	case len(p) > 0:
		return d.fail(ErrTrailingData, d.off, "")
	case err != io.EOF:
		return err
	}
	return nil
}

// consume checksums and discards p, which must be what the last Peek
// returned, or a prefix of it.
func (d *decoder) consume(p []byte) {
	d.crc = crc32.Update(d.crc, castagnoli, p)
	d.br.Discard(len(p))
	d.off += int64(len(p))
}

// entryName numbers the entry being read for error messages: "3 of 10".
func (d *decoder) entryName() string {
	return fmt.Sprintf("%d of %d", d.count-d.left+1, d.count)
}

func (d *decoder) fail(reason Reason, off int64, detail string) error {
	return &FormatError{Path: d.path, Offset: off, Reason: reason, Detail: detail}
}

// short reports a Peek that returned fewer bytes than asked for, avail of
// them: the end of the input is a truncated file, anything else a read error.
func (d *decoder) short(err error, avail int, where string) error {
	switch {
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return d.fail(ErrTruncated, d.off+int64(avail), where)
	case err == nil:
		// Unreachable while every caller asks only for what it needs;
		// if not, refusing the file beats looping on it.
		return d.fail(ErrCorrupt, d.off, where)
	}
	return err
}

// plausibleSize is the largest length or count that a whole file could have
// held; past it, a number larger than what the file has left is a damaged
// number, not a file cut short.
const plausibleSize = 1 << 32

// cutOrCorrupt names why a file holds fewer bytes than a number in it says:
// cut short when the number is plausible, corrupt when it is absurd.
func cutOrCorrupt(n uint64) Reason {
	if n <= plausibleSize {
		return ErrTruncated
	}
	return ErrCorrupt
}

// looksLike describes, without quoting it, what the start of a file that is
// not skysh's looks like.
func looksLike(p []byte) string {
	for _, c := range p {
		if (c < 0x20 || c > 0x7e) && c != '\n' && c != '\r' && c != '\t' {
			return "it starts with binary data of another format"
		}
	}
	if len(p) == 0 {
		return "it is empty"
	}
	return "it starts like a text file"
}
