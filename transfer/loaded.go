package transfer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"skysh/data"
)

// pair is one key and its value.
type pair struct{ key, value string }

// loaded is a store read whole from a file into memory and sorted by key:
// one copy of the store, and an index of two string headers per pair.
type loaded struct{ pairs []pair }

// decodeFunc decodes a whole file of one format, open and checked: begin
// gets the count the file announces, entry each pair.
type decodeFunc func(f *os.File, path string, begin func(count uint64), entry func(key, value string) error) error

// decodeSkysh is decodeFunc for skysh's own format.
func decodeSkysh(f *os.File, path string, begin func(uint64), entry func(key, value string) error) error {
	_, err := data.DecodeFile(f, path, begin, entry)
	return err
}

// loadSkysh reads a file in skysh's format whole, sorted. A file of
// another format may be Skytable 0.6's, which is named as such.
func loadSkysh(path string) (*loaded, error) {
	l, err := loadSorted(path, decodeSkysh)
	if errors.Is(err, data.ErrBadMagic) {
		return nil, fmt.Errorf("%w; a file in Skytable 0.6's format is read as %s%s", err, skytable06Prefix, path)
	}
	return l, err
}

// loadSorted reads a file whole with decode, and sorts its pairs. Only a
// regular file is opened: a named pipe would block, and a file of another
// format is refused without quoting its bytes.
func loadSorted(path string, decode decodeFunc) (*loaded, error) {
	root, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, _, err := data.OpenRegular(root, filepath.Base(path), path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l := &loaded{}
	err = decode(f, path,
		func(n uint64) { l.pairs = make([]pair, 0, n) },
		func(k, v string) error {
			l.pairs = append(l.pairs, pair{k, v})
			return nil
		})
	if err != nil {
		return nil, err
	}
	l.sort()
	return l, nil
}

// sort puts the pairs in byte order of the keys.
func (l *loaded) sort() {
	slices.SortFunc(l.pairs, func(a, b pair) int { return strings.Compare(a.key, b.key) })
}

// Count is the number of pairs.
func (l *loaded) Count() int64 { return int64(len(l.pairs)) }

// Range delivers the pairs in key order.
func (l *loaded) Range(fn func(key, value string) error) error {
	for _, p := range l.pairs {
		if err := fn(p.key, p.value); err != nil {
			return err
		}
	}
	return nil
}

// Close lets the pairs go, for the collector.
func (l *loaded) Close() error {
	l.pairs = nil
	return nil
}
