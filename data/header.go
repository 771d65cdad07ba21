package data

import (
	"bufio"
	"fmt"
	"os"
)

// Header is what a file announces before its entries.
type Header struct {
	Count uint64 // entries
	Seq   uint64 // the last journal record whose effect the file holds
}

// ReadHeader returns the header of the file at path, reading only the
// header. It is what the file announces: only a full ReadFile verifies it
// against the checksum. It serves listings such as `!snapshots`, where
// reading every file whole would be too slow.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	return DecodeHeader(f, path)
}

// DecodeHeader is ReadHeader on a file already open, such as one that
// OpenRegular checked; path names it in errors. It reads from the current
// offset, which should be the start of the file.
func DecodeHeader(f *os.File, path string) (Header, error) {
	fi, err := f.Stat()
	if err != nil {
		return Header{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	// A buffer the size of the header: listing many large snapshots
	// should not cost a read buffer each.
	d := &decoder{br: bufio.NewReaderSize(f, headerSize), size: fi.Size(), path: path}
	if err := d.header(); err != nil {
		return Header{}, err
	}
	return Header{Count: d.count, Seq: d.seq}, nil
}

// ReadCount returns the entry count in the header of the file at path; see
// ReadHeader.
func ReadCount(path string) (uint64, error) {
	h, err := ReadHeader(path)
	return h.Count, err
}
