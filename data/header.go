package data

import (
	"bufio"
	"fmt"
	"os"
)

// ReadCount returns the entry count in the header of the file at path,
// reading only the header. The count is what the file announces: only a full
// ReadFile verifies it against the checksum. It serves listings such as
// `!snapshots`, where reading every file whole would be too slow.
func ReadCount(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("cannot read %s: %w", path, err)
	}
	// A buffer the size of the header: listing many large snapshots
	// should not cost a read buffer each.
	d := &decoder{br: bufio.NewReaderSize(f, headerSize), size: fi.Size(), path: path}
	if err := d.header(); err != nil {
		return 0, err
	}
	return d.count, nil
}
