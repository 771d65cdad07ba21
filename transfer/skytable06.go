package transfer

import (
	"io"
	"os"

	"skysh/data"
)

// Skytable 0.6's data.bin format (skytable06:PATH): a file that skyd 0.6
// loads as its data.bin or as a snapshot, read and written the way skysh's
// own files are.

func openSkytable06Source(s side) (Source, error) {
	return loadSkytable06(s.path)
}

func openSkytable06Sink(s side) (Sink, error) {
	return newFileSink(s, writeSkytable06, loadSkytable06)
}

// loadSkytable06 reads a Skytable 0.6 file whole, sorted.
func loadSkytable06(path string) (*loaded, error) {
	return loadSorted(path, func(f *os.File, path string, begin func(uint64), entry func(key, value string) error) error {
		return data.DecodeSkytable06File(f, path, begin, entry)
	})
}

// writeSkytable06 encodes count pairs in Skytable 0.6's format.
func writeSkytable06(w io.Writer, count int64, pairs Pairs) error {
	return data.EncodeSkytable06(w, uint64(count), pairs)
}
