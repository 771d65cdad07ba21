package data

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// Format is a file format that skysh reads.
type Format int

// The formats DetectFile tells apart.
const (
	// FormatUnknown is neither of the others.
	FormatUnknown Format = iota
	// FormatSkysh is skysh's own format (see Version), which starts with
	// its magic.
	FormatSkysh
	// FormatSkytable06 is the format of Skytable 0.6's data.bin and
	// snapshots (see DecodeSkytable06).
	FormatSkytable06
)

// String names the format for a person.
func (f Format) String() string {
	switch f {
	case FormatSkysh:
		return "skysh"
	case FormatSkytable06:
		return "Skytable 0.6"
	}
	return "unknown"
}

// DetectFile tells which format the file at path is in. A file that
// starts with skysh's magic is FormatSkysh at once: its checksum, which
// only its decoder verifies, vouches for the rest. Any other file is read
// whole, as Skytable 0.6's format has nothing else to check than that its
// numbers add up to its size; it is FormatSkytable06 only when they do.
// Otherwise DetectFile returns FormatUnknown and a *FormatError that says
// why the file is neither (errors.Is matches ErrBadMagic and the reason).
func DetectFile(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return FormatUnknown, fmt.Errorf("cannot load %s: %w", path, err)
	}
	defer f.Close()
	format, err := sniff(f, path)
	if err != nil || format == FormatSkysh {
		return format, err
	}
	d, err := newSky06FileDecoder(f, path)
	if err != nil {
		return FormatUnknown, err
	}
	d.notSkysh = true
	if err := d.wrap(d.decode(nil, nil)); err != nil {
		return FormatUnknown, err
	}
	return FormatSkytable06, nil
}

// DecodeAnyFileRaw is DecodeFileRaw for a file in either format skysh
// reads, its own or Skytable 0.6's, and returns which it was. The entries
// of a Skytable 0.6 file reach entry encoded as skysh encodes them
// (AppendEntry's encoding), and its journal sequence is 0: it has none. A
// file that lacks skysh's magic and is not a valid Skytable 0.6 file is
// refused with a *FormatError that says it is neither (NotSkysh set).
func DecodeAnyFileRaw(f *os.File, path string, begin func(count uint64), entry func(raw, key []byte) error) (Format, uint64, error) {
	format, err := sniff(f, path)
	switch {
	case err != nil:
		return FormatUnknown, 0, err
	case format == FormatSkysh:
		seq, err := DecodeFileRaw(f, path, begin, entry)
		return FormatSkysh, seq, err
	}
	d, err := newSky06FileDecoder(f, path)
	if err != nil {
		return FormatUnknown, 0, err
	}
	d.notSkysh = true
	var raw []byte
	err = d.decode(begin, func(key, value []byte) error {
		raw = binary.AppendUvarint(raw[:0], uint64(len(key)))
		start := len(raw)
		raw = append(raw, key...)
		raw = binary.AppendUvarint(raw, uint64(len(value)))
		raw = append(raw, value...)
		return entry(raw, raw[start:start+len(key)])
	})
	if err != nil {
		return FormatUnknown, 0, d.wrap(err)
	}
	return FormatSkytable06, 0, nil
}

// sniff reads the first bytes of f, without moving its offset, and tells
// which decoder is for it: skysh's when they are its magic or the start
// of it (an empty file too: skysh's decoder says what is wrong), Skytable
// 0.6's otherwise. A file whose first 8 bytes differ from the magic in one
// or two places is a damaged skysh file: no Skytable 0.6 file could hold
// the count they would be.
func sniff(f *os.File, path string) (Format, error) {
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return FormatUnknown, fmt.Errorf("cannot load %s: %w", path, err)
	}
	var head [len(magic)]byte
	n, err := f.ReadAt(head[:], off)
	if n < len(head) && err != io.EOF {
		return FormatUnknown, fmt.Errorf("cannot load %s: %w", path, err)
	}
	differ := 0
	for i := range n {
		if head[i] != magic[i] {
			differ++
		}
	}
	switch {
	case differ == 0:
		return FormatSkysh, nil
	case n == len(head) && differ <= 2:
		return FormatUnknown, &FormatError{Path: path, Reason: ErrBadMagic, Detail: fmt.Sprintf(
			"it starts almost like one (%d of its first 8 bytes %s from skysh's magic): it is damaged", differ, map[bool]string{true: "differs", false: "differ"}[differ == 1])}
	}
	return FormatSkytable06, nil
}

// GuessFormat tells from its first 8 bytes and its size which format the
// file f claims to be in, without reading the rest: FormatSkysh when it
// starts with skysh's magic, FormatSkytable06 when those bytes are an
// entry count the file could hold, FormatUnknown otherwise. Only a decoder
// (or DetectFile) tells whether the file really is one. It reads at offset
// 0 and leaves f's offset where it was.
func GuessFormat(f *os.File) Format {
	var head [len(magic)]byte
	n, _ := f.ReadAt(head[:], 0)
	fi, err := f.Stat()
	switch {
	case n < len(head) || err != nil:
		return FormatUnknown
	case head == magic:
		return FormatSkysh
	case binary.LittleEndian.Uint64(head[:]) <= uint64(fi.Size()-sky06CountSize)/sky06MinEntry:
		return FormatSkytable06
	}
	return FormatUnknown
}
