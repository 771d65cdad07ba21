package data

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// Skytable 0.6's file format, of its data.bin and of its snapshots alike:
// what bincode 1.3 with its default options (fixed-width little-endian
// integers) makes of the store, a map of byte sequences to byte sequences.
//
//	offset  size     field
//	0       8        entry count (uint64)
//	8       ...      count entries, each:
//	                   key length (uint64), key bytes,
//	                   value length (uint64), value bytes
//
// There is no magic, no version and no checksum, and entries are in hash
// order. So the only evidence that a file is one is that its numbers add
// up: the entries the count announces, with the lengths they give, must end
// exactly at the end of the file. Anything else is refused, so that a
// damaged skysh file, a random file or a file of zeros is never loaded as
// a store (8 zero bytes are the one exception: they are an empty map).
const (
	sky06CountSize = 8
	sky06LenSize   = 8
	// The smallest entry: an empty key and an empty value.
	sky06MinEntry = 2 * sky06LenSize
)

// The reasons a file is not a valid Skytable 0.6 file, beside ErrTruncated
// (a file that ends inside a length, or is shorter than the count).
var (
	// ErrSky06Count is returned when a Skytable 0.6 file announces more
	// entries than it holds: the file was cut short at an entry's end,
	// or its first 8 bytes are not a count at all.
	ErrSky06Count = Reason("the entry count is larger than the entries in the file")

	// ErrSky06Length is returned when a key or value length in a Skytable
	// 0.6 file is larger than what is left of the file: the file was cut
	// short, or the length is damaged.
	ErrSky06Length = Reason("a length runs past the end of the file")

	// ErrSky06Trailing is returned when bytes follow the entries that the
	// count announces: two files run together, a count that is too small,
	// or another format altogether.
	ErrSky06Trailing = Reason("bytes follow the last entry")

	// ErrZeroFilled is returned for a file of nothing but zero bytes
	// (other than the 8 of an empty map): what a crash leaves of a file
	// whose blocks were allocated but never written.
	ErrZeroFilled = Reason("the file holds nothing but zero bytes")
)

// ReadSkytable06File decodes the Skytable 0.6 file at path; see
// DecodeSkytable06. Errors name the file.
func ReadSkytable06File(path string, begin func(count uint64), entry func(key, value string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot load %s: %w", path, err)
	}
	defer f.Close()
	return DecodeSkytable06File(f, path, begin, entry)
}

// DecodeSkytable06File is ReadSkytable06File on a file already open, read
// from its current offset to its end; path names it in errors.
func DecodeSkytable06File(f *os.File, path string, begin func(count uint64), entry func(key, value string) error) error {
	d, err := newSky06FileDecoder(f, path)
	if err != nil {
		return err
	}
	return d.wrap(d.decode(begin, stringEntries(entry)))
}

// DecodeSkytable06 reads one whole Skytable 0.6 file from r, which holds
// size bytes, or an unknown number when size is negative (a pipe). begin is
// called once with the entry count before any entry, capped as a hint for
// sizing (see Decode); entry once per entry, in file order. An error
// returned by entry stops decoding and is returned as it is.
//
// Entries are delivered as they are read, before the file is known to be
// valid: when DecodeSkytable06 returns an error, the caller must discard
// what it built. Knowing the size, it refuses at once a count or a length
// the file cannot hold; without it, it finds out where the data runs out,
// for the same reason. Memory grows with the bytes that arrive, never with
// the numbers the file announces.
//
// Format errors are *FormatError, whose Reason is one of ErrSky06Count,
// ErrSky06Length, ErrSky06Trailing, ErrZeroFilled and ErrTruncated.
func DecodeSkytable06(r io.Reader, size int64, begin func(count uint64), entry func(key, value string) error) error {
	return newSky06Decoder(r, size, "").decode(begin, stringEntries(entry))
}

// stringEntries hands entries to entry as strings of their own.
func stringEntries(entry func(key, value string) error) func(key, value []byte) error {
	return func(key, value []byte) error { return entry(string(key), string(value)) }
}

// sky06Decoder holds the state of one decode of a Skytable 0.6 file.
type sky06Decoder struct {
	br    *bufio.Reader
	size  int64 // bytes in the input, or -1 when unknown
	off   int64 // offset of the first byte not yet consumed
	count uint64
	read  uint64 // entries read whole
	path  string
	// notSkysh: the file is read as Skytable 0.6 because it lacks skysh's
	// magic, so a refusal says it is neither.
	notSkysh bool
	big      []byte // an entry larger than the read buffer, reused
}

func newSky06Decoder(r io.Reader, size int64, path string) *sky06Decoder {
	n := bufferSize
	if size >= 0 && size < int64(n) {
		n = max(int(size), 64) // many small files should not cost 1 MiB each
	}
	return &sky06Decoder{br: bufio.NewReaderSize(r, n), size: size, path: path}
}

// newSky06FileDecoder decodes f from its current offset; path names it.
func newSky06FileDecoder(f *os.File, path string) (*sky06Decoder, error) {
	size := inputSize(f)
	if size < 0 {
		if _, err := f.Stat(); err != nil {
			return nil, fmt.Errorf("cannot load %s: %w", path, err)
		}
	}
	return newSky06Decoder(f, size, path), nil
}

// wrap names the file in an error that is not a *FormatError (a read
// error), as DecodeFile does.
func (d *sky06Decoder) wrap(err error) error {
	if _, ok := err.(*FormatError); err != nil && !ok && d.path != "" {
		return fmt.Errorf("cannot load %s: %w", d.path, err)
	}
	return err
}

// decode reads the whole file; entry gets each entry's key and value,
// valid only until it returns. A nil entry checks the file without
// delivering anything.
func (d *sky06Decoder) decode(begin func(uint64), entry func(key, value []byte) error) error {
	if err := d.header(); err != nil {
		return err
	}
	hint := min(d.count, countHint)
	if d.size < 0 {
		hint = min(hint, unknownSizeCountHint)
	}
	if begin != nil {
		begin(hint)
	}
	for d.read < d.count {
		if err := d.entry(entry); err != nil {
			return err
		}
	}
	return d.end()
}

func (d *sky06Decoder) header() error {
	p, err := d.br.Peek(sky06CountSize)
	if len(p) < sky06CountSize {
		switch {
		case !isEOF(err):
			return err
		case len(p) == 0:
			return d.fail(ErrTruncated, 0, "the file is empty")
		case allZero(p):
			return d.fail(ErrZeroFilled, 0, fmt.Sprintf("all %d of them", len(p)))
		}
		return d.fail(ErrTruncated, int64(len(p)), fmt.Sprintf("the file is %d bytes long, too short for the 8-byte entry count", len(p)))
	}
	d.count = binary.LittleEndian.Uint64(p)
	if d.size >= 0 {
		most := uint64(max(d.size-sky06CountSize, 0)) / sky06MinEntry
		if d.count > most {
			return d.fail(ErrSky06Count, 0, fmt.Sprintf("it announces %d entries, but a file of %d bytes holds at most %d", d.count, d.size, most))
		}
	}
	d.consume(sky06CountSize)
	return nil
}

// entry reads one entry and hands it to deliver. An entry that fits the
// read buffer, nearly every one, is handed over where it lies.
func (d *sky06Decoder) entry(deliver func(key, value []byte) error) error {
	klen, err := d.length("key")
	if err != nil {
		return err
	}
	if head := klen + sky06LenSize; head <= uint64(d.br.Size()) {
		p, _ := d.br.Peek(int(head))
		if len(p) == int(head) {
			vlen := binary.LittleEndian.Uint64(p[klen:])
			if whole := head + vlen; vlen <= uint64(d.br.Size()) && whole <= uint64(d.br.Size()) && d.fits(vlen, head) {
				if p, _ := d.br.Peek(int(whole)); len(p) == int(whole) {
					d.read++
					if deliver != nil {
						if err := deliver(p[:klen], p[head:]); err != nil {
							return err
						}
					}
					d.consume(int(whole))
					return nil
				}
			}
		}
	}
	// Larger than the read buffer, or broken: piece by piece.
	d.big = d.big[:0]
	if err := d.bytes(klen, "key", deliver != nil); err != nil {
		return err
	}
	vlen, err := d.length("value")
	if err != nil {
		return err
	}
	if err := d.bytes(vlen, "value", deliver != nil); err != nil {
		return err
	}
	d.read++
	if deliver != nil {
		return deliver(d.big[:klen], d.big[klen:])
	}
	return nil
}

// fits reports whether n bytes, starting skip bytes from here, lie within
// the input's size (always, when the size is unknown).
func (d *sky06Decoder) fits(n, skip uint64) bool {
	if d.size < 0 {
		return true
	}
	left := uint64(max(d.size-d.off, 0))
	return skip <= left && n <= left-skip
}

// length reads the key or value length of the next entry and checks that
// the file can hold what it announces.
func (d *sky06Decoder) length(what string) (uint64, error) {
	at := d.off
	p, err := d.br.Peek(sky06LenSize)
	if len(p) < sky06LenSize {
		switch {
		case !isEOF(err):
			return 0, err
		case len(p) == 0 && what == "key":
			return 0, d.fail(ErrSky06Count, at, fmt.Sprintf("it announces %d entries, but the file ends after entry %d", d.count, d.read))
		}
		return 0, d.fail(ErrTruncated, at+int64(len(p)), fmt.Sprintf("inside the %s length of entry %s", what, d.entryName()))
	}
	n := binary.LittleEndian.Uint64(p)
	d.consume(sky06LenSize)
	switch {
	case d.size >= 0 && !d.fits(n, 0):
		left := max(d.size-d.off, 0)
		return 0, d.fail(ErrSky06Length, at, fmt.Sprintf("the %s of entry %s is %d bytes long, but only %d bytes of the file are left", what, d.entryName(), n, left))
	case n > math.MaxInt:
		return 0, d.fail(ErrSky06Length, at, fmt.Sprintf("the %s of entry %s is %d bytes long, more than memory can hold", what, d.entryName(), n))
	}
	return n, nil
}

// bytes reads n bytes, a buffer at a time, appending them to d.big when
// keep is set. n is not trusted even when it fits the input's size (a
// sparse file, or one cut while it is read, delivers less than its size
// promises): memory grows with the bytes that arrive.
func (d *sky06Decoder) bytes(n uint64, what string, keep bool) error {
	at := d.off - sky06LenSize
	for want := n; want > 0; {
		chunk := int(min(want, uint64(d.br.Size())))
		p, err := d.br.Peek(chunk)
		if keep {
			d.big = append(d.big, p...)
		}
		d.consume(len(p))
		want -= uint64(len(p))
		if len(p) < chunk {
			if !isEOF(err) {
				return err
			}
			return d.fail(ErrSky06Length, at, fmt.Sprintf("the %s of entry %s is %d bytes long, but the file ends after %d of them", what, d.entryName(), n, n-want))
		}
	}
	return nil
}

// end checks that nothing follows the last entry.
func (d *sky06Decoder) end() error {
	p, err := d.br.Peek(1)
	if len(p) == 0 {
		if isEOF(err) {
			return nil
		}
		return err
	}
	at := d.off
	if d.count == 0 {
		// The count was 8 zero bytes: if the rest is zeros too, say so.
		zeros, err := d.zeros()
		if err != nil {
			return err
		}
		if zeros >= 0 {
			return d.fail(ErrZeroFilled, 0, fmt.Sprintf("all %d of them", sky06CountSize+zeros))
		}
	}
	after := fmt.Sprintf("after entry %d of %d", d.count, d.count)
	if d.count == 0 {
		after = "after a count of 0 entries"
	}
	if d.size >= 0 {
		return d.fail(ErrSky06Trailing, at, fmt.Sprintf("%d bytes %s", d.size-at, after))
	}
	return d.fail(ErrSky06Trailing, at, "more bytes "+after)
}

// zeros reads the rest of the input and returns how many bytes it held,
// or -1 when one of them is not zero.
func (d *sky06Decoder) zeros() (int64, error) {
	var n int64
	for {
		p, err := d.br.Peek(d.br.Size())
		if !allZero(p) {
			return -1, nil
		}
		n += int64(len(p))
		d.consume(len(p))
		if len(p) < d.br.Size() {
			if isEOF(err) {
				return n, nil
			}
			return 0, err
		}
	}
}

func (d *sky06Decoder) consume(n int) {
	d.br.Discard(n)
	d.off += int64(n)
}

// entryName numbers the entry being read for messages: "3 of 10".
func (d *sky06Decoder) entryName() string {
	return fmt.Sprintf("%d of %d", d.read+1, d.count)
}

func (d *sky06Decoder) fail(reason Reason, off int64, detail string) error {
	return &FormatError{Path: d.path, Offset: off, Reason: reason, Detail: detail, Format: FormatSkytable06, NotSkysh: d.notSkysh}
}

// isEOF reports whether a short read ended at the end of the input.
func isEOF(err error) bool {
	return err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF)
}

// allZero reports whether p holds only zero bytes.
func allZero(p []byte) bool {
	for _, c := range p {
		if c != 0 {
			return false
		}
	}
	return true
}
