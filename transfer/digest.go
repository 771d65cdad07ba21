package transfer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"unsafe"

	"skysh/data"
)

// Digest identifies the contents of a store, wherever it is kept: its
// number of keys, and the SHA-256 of its pairs in byte order of the keys,
// each pair encoded as
//
//	key length (8 bytes, unsigned, little-endian), key bytes,
//	value length (8 bytes, unsigned, little-endian), value bytes
//
// with nothing between the pairs and nothing before or after them (this is
// also how Skytable 0.6 lays out each entry of its data.bin). An empty
// store's digest is the SHA-256 of no bytes. Two stores with the same
// digest hold the same pairs; the encoding is fixed, so a digest can be
// checked with any tool that sorts and hashes.
type Digest struct {
	Keys int64
	Sum  [sha256.Size]byte
}

// String reads like "3 keys, sha256 9f86d08…" with the whole hex digest.
func (d Digest) String() string {
	return data.KeyCount(d.Keys) + ", sha256 " + hex.EncodeToString(d.Sum[:])
}

// digester computes a Digest from pairs as they pass, and refuses pairs
// out of order: a digest of unsorted pairs would not be the store's.
type digester struct {
	h    hash.Hash
	n    int64
	last string
	len  [8]byte
}

func newDigester() *digester { return &digester{h: sha256.New()} }

// add takes the next pair.
func (d *digester) add(key, value string) error {
	if d.n > 0 && key <= d.last {
		return fmt.Errorf("keys came out of order (%q after %q)", clip(key), clip(d.last))
	}
	d.write(key)
	d.write(value)
	d.last = key
	d.n++
	return nil
}

func (d *digester) write(s string) {
	binary.LittleEndian.PutUint64(d.len[:], uint64(len(s)))
	d.h.Write(d.len[:])
	// A hash reads what it is given and keeps none of it: the bytes of s
	// are hashed where they lie, not copied, which for a large store would
	// be a second pass over every value.
	d.h.Write(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// digest is what the pairs added so far add up to.
func (d *digester) digest() Digest {
	var out Digest
	out.Keys = d.n
	d.h.Sum(out.Sum[:0])
	return out
}

// clip shortens a key for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
