package engine

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"skysh/data"
)

// arena holds a shard's entries in data.bin's own encoding (uvarint key
// length, key, uvarint value length, value), in chunks that are filled in
// turn and never written again where an entry has been put: an entry is
// appended once and read in place until the arena is dropped.
//
// It grows by adding a chunk, never by copying: growing by append-doubling
// copied every byte about twice, cleared the new memory, and left the old
// copy to the collector, a quarter of the time of a bulk insert. Chunk
// sizes grow with the arena from minChunk to maxChunk, so a near-empty
// shard stays a KiB or two and a full one asks the allocator for a megabyte
// at a time.
//
// A snapshot shares the arena by value: it copies the fields, and with them
// the slice headers it will read through. The writer then only adds past
// what the copy can see: bytes past fill in the open chunk, elements past
// len(closed) in closed's backing array. It never changes a byte or a header
// that a copy's slices describe, so copies may be read from any goroutine
// while the writer goes on.
type arena struct {
	closed [][]byte // full chunks, each cut to the bytes it holds
	open   []byte   // the chunk being filled, at its whole length
	fill   int      // bytes of open in use
	used   int      // bytes of entries in all chunks
	// next, when non-zero, is the size of the next chunk: expect sets it
	// for a load or a compaction that knows how much is coming.
	next int
}

// An entry's location is its chunk's number and its offset in the chunk,
// packed into the 40 bits that a slot keeps for it. A chunk larger than
// 1<<offBits holds one entry only, which starts at offset 0.
const (
	offBits   = 24
	maxChunks = 1<<(offsetBits-offBits) - 1 // so that location+1 fits
	minChunk  = 1 << 10
	maxChunk  = 1 << 20
	// growth sets the next chunk to a quarter of the bytes in the arena:
	// a shard's memory holds about an eighth more than its entries, and a
	// shard of a megabyte (a store of a gigabyte) fills 26 chunks.
	growth = 4
)

func location(chunk, off int) int { return chunk<<offBits | off }

// at returns the bytes of the chunk that holds loc, from loc's entry on.
func (a *arena) at(loc int) []byte {
	c, off := loc>>offBits, loc&(1<<offBits-1)
	if c < len(a.closed) {
		return a.closed[c][off:]
	}
	return a.open[off:a.fill]
}

// entryAt decodes the entry at loc, and returns its length in the arena.
func (a *arena) entryAt(loc int) (key, value string, size int) {
	b := a.at(loc)
	klen, n := binary.Uvarint(b)
	kend := n + int(klen)
	vlen, m := binary.Uvarint(b[kend:])
	vstart := kend + m
	vend := vstart + int(vlen)
	return bytesString(b[n:kend]), bytesString(b[vstart:vend]), vend
}

// keyAt decodes only the key of the entry at loc.
func (a *arena) keyAt(loc int) string {
	b := a.at(loc)
	klen, n := binary.Uvarint(b)
	return bytesString(b[n : n+int(klen)])
}

// rawAt returns the encoded entry at loc.
func (a *arena) rawAt(loc int) []byte {
	_, _, size := a.entryAt(loc)
	return a.at(loc)[:size]
}

// bytesString views b as a string without copying. Only for arena bytes,
// which are never written again once appended.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// add appends the entry key, value and returns its location.
func (a *arena) add(key, value string) int {
	size := uvarintLen(len(key)) + len(key) + uvarintLen(len(value)) + len(value)
	loc := a.room(size)
	data.AppendEntry(a.open[a.fill:a.fill], key, value)
	a.fill += size
	a.used += size
	return loc
}

// addRaw appends an entry already encoded and returns its location.
func (a *arena) addRaw(entry []byte) int {
	loc := a.room(len(entry))
	copy(a.open[a.fill:], entry)
	a.fill += len(entry)
	a.used += len(entry)
	return loc
}

// room makes sure that size bytes fit in the open chunk, starting a new one
// if need be, and returns where they will go. An entry must also start
// where a location can point: a chunk made larger than 1<<offBits for one
// large entry takes no other after it.
func (a *arena) room(size int) int {
	if size > len(a.open)-a.fill || a.fill >= 1<<offBits {
		a.startChunk(size)
	}
	return location(len(a.closed), a.fill)
}

// startChunk closes the open chunk and opens one that holds at least size
// bytes: the next size as the arena grows, or one that fits the entry alone
// when it is larger.
func (a *arena) startChunk(size int) {
	if a.open != nil {
		if len(a.closed) == maxChunks-1 {
			// Past the first few dozen, every chunk is a megabyte or
			// more: this is 64 GiB in one of 1024 shards, more memory
			// than any machine this runs on.
			panic("engine: a shard's arena is out of chunk numbers")
		}
		a.closed = append(a.closed, a.open[:a.fill:a.fill])
	}
	n := a.next
	if n == 0 {
		n = min(max(a.used/growth, minChunk), maxChunk)
	}
	a.next = 0
	a.open = make([]byte, allocSize(max(n, size)))
	a.fill = 0
}

// allocSize rounds n up to a size that Go's allocator hands out without
// rounding it up itself: up to 32 KiB a power of two or three quarters of
// one, each a size class of its own; past it, a multiple of its 8 KiB page.
func allocSize(n int) int {
	const largeObject, page = 32 << 10, 8 << 10
	if n > largeObject {
		return (n + page - 1) &^ (page - 1)
	}
	p := 1 << bits.Len(uint(n-1))
	if p/4*3 >= n {
		return p / 4 * 3
	}
	return p
}

// expect makes the next chunk hold bytes, when that is more than growing
// would give: a load that knows its size fills one chunk per shard instead
// of a dozen or two. The chunk is only allocated when an entry needs it.
func (a *arena) expect(bytes int) {
	if bytes > max(a.used, minChunk) {
		a.next = min(bytes, 1<<offBits)
	}
}

// appendTo appends every entry in the arena, in order, to dst.
func (a *arena) appendTo(dst []byte) []byte {
	for _, c := range a.closed {
		dst = append(dst, c...)
	}
	return append(dst, a.open[:a.fill]...)
}

// uvarintLen is the length of n in data.bin's uvarint encoding.
func uvarintLen(n int) int {
	size := 1
	for ; n >= 0x80; n >>= 7 {
		size++
	}
	return size
}
