package engine

import (
	"encoding/binary"
	"unsafe"

	"skysh/data"
)

// table is one shard's keys and values: an arena of entries and an index
// into it.
//
// The arena holds every entry written, in data.bin's own encoding (uvarint
// key length, key, uvarint value length, value), appended and never changed
// in place: an update appends a new entry and points the index at it. So
//
//   - the store holds no pointers per key, and the Go collector has two
//     objects per shard to mark, not two per key: saving and growing a big
//     store does not wake it into long marking work while the shell runs;
//   - a value can be returned as a string that points into the arena, with
//     no copy, because those bytes will never change;
//   - a copy for a snapshot copies the index only (8 bytes a slot): the
//     snapshot keeps its view of the arena, and the live table appends past
//     it;
//   - saving an entry is copying its bytes.
//
// Dead entries (updated or deleted) are dropped by compacting the arena once
// they outweigh the live ones.
//
// The index is open addressing with linear probing. Each slot keeps the
// entry's offset and 24 bits of its hash (its tag), so probing rarely
// touches the arena for a key that is not there, and growing needs no
// hashing.
type table struct {
	arena []byte
	slots []slot // len is 0 or a power of two
	count int    // live entries
	dead  int    // bytes of dead entries in the arena
}

// slot is one index position, 8 bytes: the entry's offset in the arena plus
// one in the low 40 bits (so that the zero slot is empty, and a shard may
// hold a terabyte), and the key's tag in the high 24 bits. The tag also
// places the slot: an index has at most 2^24 slots, 16M keys a shard.
type slot uint64

const offsetBits = 40

func makeSlot(off int, tag uint32) slot { return slot(uint64(tag)<<offsetBits | uint64(off+1)) }
func (s slot) empty() bool              { return s == 0 }
func (s slot) off() int                 { return int(s&(1<<offsetBits-1)) - 1 }
func (s slot) tag() uint32              { return uint32(s >> offsetBits) }

// minSlots is the smallest index.
const minSlots = 8

// entryAt decodes the entry at arena offset off.
func (t *table) entryAt(off int) (key, value string, end int) {
	a := t.arena[off:]
	klen, n := binary.Uvarint(a)
	kstart := n
	kend := kstart + int(klen)
	vlen, m := binary.Uvarint(a[kend:])
	vstart := kend + m
	vend := vstart + int(vlen)
	return bytesString(a[kstart:kend]), bytesString(a[vstart:vend]), off + vend
}

// keyAt decodes only the key of the entry at off.
func (t *table) keyAt(off int) string {
	a := t.arena[off:]
	klen, n := binary.Uvarint(a)
	return bytesString(a[n : n+int(klen)])
}

// bytesString views b as a string without copying. Only for arena bytes,
// which are never written again once appended.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// find returns the index of key's slot, or of the empty slot where it would
// go, and whether it is there.
func (t *table) find(key string, tag uint32) (int, bool) {
	mask := len(t.slots) - 1
	for i := int(tag) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.empty() {
			return i, false
		}
		if s.tag() == tag && t.keyAt(s.off()) == key {
			return i, true
		}
	}
}

func (t *table) get(key string, tag uint32) (string, bool) {
	if t.count == 0 {
		return "", false
	}
	i, ok := t.find(key, tag)
	if !ok {
		return "", false
	}
	_, v, _ := t.entryAt(t.slots[i].off())
	return v, true
}

// put sets key to value and reports whether the key was new.
func (t *table) put(key, value string, tag uint32) bool {
	if (t.count+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	i, found := t.find(key, tag)
	if found {
		t.dead += t.size(t.slots[i])
	}
	t.slots[i] = makeSlot(t.append(key, value), tag)
	if !found {
		t.count++
	}
	t.compactIfWasteful()
	return !found
}

// size is the length of the entry s points to.
func (t *table) size(s slot) int {
	_, _, end := t.entryAt(s.off())
	return end - s.off()
}

// append writes an entry at the end of the arena, in data.bin's encoding,
// and returns its offset.
func (t *table) append(key, value string) int {
	off := len(t.arena)
	t.arena = data.AppendEntry(t.arena, key, value)
	return off
}

// remove deletes key and returns its value, if it was there. Linear probing
// without tombstones: the entries after the hole that belong before it are
// moved back into it.
func (t *table) remove(key string, tag uint32) (string, bool) {
	if t.count == 0 {
		return "", false
	}
	i, found := t.find(key, tag)
	if !found {
		return "", false
	}
	_, v, _ := t.entryAt(t.slots[i].off())
	t.dead += t.size(t.slots[i])
	mask := len(t.slots) - 1
	for j := (i + 1) & mask; !t.slots[j].empty(); j = (j + 1) & mask {
		home := int(t.slots[j].tag()) & mask
		// Move j into the hole at i unless its home lies cyclically in (i, j].
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = 0
	t.count--
	t.compactIfWasteful()
	return v, true
}

// grow doubles the index, placing every slot by its stored hash.
func (t *table) grow() {
	old := t.slots
	t.slots = make([]slot, max(minSlots, 2*len(old)))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.empty() {
			continue
		}
		i := int(s.tag()) & mask
		for !t.slots[i].empty() {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// reserve sizes an empty table for n entries of about bytes in all.
func (t *table) reserve(n, bytes int) {
	size := minSlots
	for size*3 < n*4 {
		size *= 2
	}
	t.slots = make([]slot, size)
	t.arena = make([]byte, 0, bytes)
}

// compactIfWasteful compacts the arena once dead entries outweigh live ones
// and are worth the copy.
func (t *table) compactIfWasteful() {
	if t.dead >= 4096 && t.dead >= len(t.arena)-t.dead {
		t.compact()
	}
}

// compact copies the live entries into a new arena. The old one is left as
// it was: strings and snapshots may still point into it.
func (t *table) compact() {
	arena := make([]byte, 0, len(t.arena)-t.dead)
	for i, s := range t.slots {
		if s.empty() {
			continue
		}
		start := s.off()
		_, _, end := t.entryAt(start)
		t.slots[i] = makeSlot(len(arena), s.tag())
		arena = append(arena, t.arena[start:end]...)
	}
	t.arena = arena
	t.dead = 0
}

// clone returns a table a writer may change without disturbing t: a copy of
// the index over the same arena. The writer only appends to the arena, past
// every byte t can see, and compacts into a new one.
func (t *table) clone() *table {
	c := *t
	c.slots = append([]slot(nil), t.slots...)
	return &c
}

// each calls fn for every live entry until fn returns false.
func (t *table) each(fn func(key, value string) bool) {
	for _, s := range t.slots {
		if s.empty() {
			continue
		}
		k, v, _ := t.entryAt(s.off())
		if !fn(k, v) {
			return
		}
	}
}

// appendEncoded appends every live entry in data.bin's encoding to dst.
func (t *table) appendEncoded(dst []byte) ([]byte, uint64) {
	if t.dead == 0 {
		// Every entry in the arena is live: it is the encoding already.
		return append(dst, t.arena...), uint64(t.count)
	}
	for _, s := range t.slots {
		if s.empty() {
			continue
		}
		_, _, end := t.entryAt(s.off())
		dst = append(dst, t.arena[s.off():end]...)
	}
	return dst, uint64(t.count)
}
