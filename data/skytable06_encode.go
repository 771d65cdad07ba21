package data

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// EncodeSkytable06 writes a file in Skytable 0.6's format (see
// DecodeSkytable06) to w, a file skyd 0.6 loads as its data.bin or as a
// snapshot: count, then the entries that each adds, in the order it adds
// them. Keys and values may hold any bytes and may be empty; skyd's store
// is a map, so no key should be added twice.
//
// The count comes first in the file and cannot be corrected afterwards, so
// adding more entries than count is an error at once, and fewer is an
// error at the end. An error returned by add or by each stops the
// encoding and is returned. Writes go through a buffer (the one
// WriteFileAtomic gives, if w is it), flushed before EncodeSkytable06 returns; w is not closed. For a file on disk,
// write through WriteFileAtomic (or Dir.WriteFile), which makes it
// durable and puts it in place atomically.
func EncodeSkytable06(w io.Writer, count uint64, each func(add func(key, value string) error) error) error {
	bw := bufio.NewWriterSize(w, writeBuffer)
	var n [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(n[:], v)
		bw.Write(n[:])
	}
	put(count)
	var added uint64
	err := each(func(key, value string) error {
		if added == count {
			return fmt.Errorf("data: cannot add entry %d to the Skytable 0.6 file: the count says %d", added+1, count)
		}
		added++
		put(uint64(len(key)))
		bw.WriteString(key)
		put(uint64(len(value)))
		_, err := bw.WriteString(value)
		return err // a bufio.Writer's error is sticky: the first one
	})
	if err != nil {
		return err
	}
	if added != count {
		return fmt.Errorf("data: cannot finish the Skytable 0.6 file: %d entries added, the count says %d", added, count)
	}
	return bw.Flush()
}
