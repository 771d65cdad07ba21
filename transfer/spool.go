package transfer

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"

	"skysh/data"
)

// spoolBuffer is the size of the spool's read and write buffers.
const spoolBuffer = 1 << 20

// countFirst hands a writer that must announce the number of pairs before
// the first one (skysh's format and Skytable 0.6's both do) the pairs with
// their count. A count of -1 (a cluster does not say how many keys a
// range will bring) is learnt by writing the pairs first to a spool file
// in dir, which is removed from the directory as soon as it is created: it
// costs disk, never memory, and a crash leaves nothing of it. done closes
// the spool.
func countFirst(count int64, pairs Pairs, dir string) (n int64, counted Pairs, done func(), err error) {
	if count >= 0 {
		return count, pairs, func() {}, nil
	}
	f, err := os.CreateTemp(dir, data.TempPrefix+"spool-")
	if err != nil {
		return 0, nil, nil, fmt.Errorf("cannot create a spool file: %w", err)
	}
	os.Remove(f.Name())
	done = func() { f.Close() }
	w := bufio.NewWriterSize(f, spoolBuffer)
	var head [8]byte
	put := func(s string) {
		binary.LittleEndian.PutUint64(head[:], uint64(len(s)))
		w.Write(head[:])
		w.WriteString(s)
	}
	err = pairs(func(k, v string) error {
		put(k)
		put(v)
		n++
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		done()
		return 0, nil, nil, err
	}
	counted = func(fn func(key, value string) error) error {
		r := bufio.NewReaderSize(f, spoolBuffer)
		for range n {
			k, err := readSpooled(r)
			if err != nil {
				return err
			}
			v, err := readSpooled(r)
			if err != nil {
				return err
			}
			if err := fn(k, v); err != nil {
				return err
			}
		}
		return nil
	}
	return n, counted, done, nil
}

// readSpooled reads one length-prefixed string that countFirst wrote.
func readSpooled(r *bufio.Reader) (string, error) {
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return "", fmt.Errorf("cannot read the spool file: %w", err)
	}
	n := binary.LittleEndian.Uint64(head[:])
	var sb strings.Builder
	sb.Grow(int(n))
	if _, err := io.CopyN(&sb, r, int64(n)); err != nil {
		return "", fmt.Errorf("cannot read the spool file: %w", err)
	}
	return sb.String(), nil
}
