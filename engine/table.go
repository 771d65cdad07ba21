package engine

import "encoding/binary"

// table is one shard's keys and values: an arena of entries and an index
// into it.
//
// The arena holds every entry written, in data.bin's own encoding, appended
// and never changed in place: an update appends a new entry and points the
// index at it. So
//
//   - the store holds no pointers per key, and the Go collector has a few
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
// entry's location and 24 bits of its hash (its tag), so probing rarely
// touches the arena for a key that is not there, and growing needs no
// hashing.
type table struct {
	arena
	slots []slot // len is 0 or a power of two
	count int    // live entries
	dead  int    // bytes of dead entries in the arena
}

// slot is one index position, 8 bytes: the entry's arena location plus one
// in the low 40 bits (so that the zero slot is empty), and the key's tag in
// the high 24 bits. The tag also places the slot: an index has at most 2^24
// slots, 16M keys a shard.
type slot uint64

const offsetBits = 40

func makeSlot(loc int, tag uint32) slot { return slot(uint64(tag)<<offsetBits | uint64(loc+1)) }
func (s slot) empty() bool              { return s == 0 }
func (s slot) loc() int                 { return int(s&(1<<offsetBits-1)) - 1 }
func (s slot) tag() uint32              { return uint32(s >> offsetBits) }

// minSlots is the smallest index.
const minSlots = 8

// find returns the index of key's slot, or of the empty slot where it would
// go, and whether it is there; -1 when the index has no slots yet.
func (t *table) find(key string, tag uint32) (int, bool) {
	if len(t.slots) == 0 {
		return -1, false
	}
	mask := len(t.slots) - 1
	for i := int(tag) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.empty() {
			return i, false
		}
		if s.tag() == tag && t.keyAt(s.loc()) == key {
			return i, true
		}
	}
}

func (t *table) get(key string, tag uint32) (string, bool) {
	i, ok := t.find(key, tag)
	if !ok {
		return "", false
	}
	_, v, _ := t.entryAt(t.slots[i].loc())
	return v, true
}

// put sets key to value and reports whether the key was new.
func (t *table) put(key, value string, tag uint32) bool {
	i, found := t.find(key, tag)
	if found {
		t.replaceAt(i, key, value)
		return false
	}
	t.insertAt(i, key, value, tag)
	return true
}

// putRaw is put for an entry already encoded, as a data file holds it.
func (t *table) putRaw(entry []byte, tag uint32) bool {
	klen, n := binary.Uvarint(entry)
	i, found := t.find(bytesString(entry[n:n+int(klen)]), tag)
	if found {
		t.relink(i, t.addRaw(entry))
		return false
	}
	t.link(i, t.addRaw(entry), tag)
	return true
}

// insertAt adds key, which is not in the table, at slot i, the empty slot
// that find returned for it. find and insertAt together are one probe:
// the place is searched for again only when the index has to grow first.
func (t *table) insertAt(i int, key, value string, tag uint32) {
	t.link(i, t.add(key, value), tag)
}

// link points the empty slot i, which find returned, at the new entry loc.
func (t *table) link(i, loc int, tag uint32) {
	if (t.count+1)*4 > len(t.slots)*3 {
		t.grow()
		i = t.emptySlot(tag)
	}
	t.slots[i] = makeSlot(loc, tag)
	t.count++
}

// replaceAt points slot i, which find returned for key, at a new entry
// holding value.
func (t *table) replaceAt(i int, key, value string) {
	t.relink(i, t.add(key, value))
}

// relink points slot i at loc, a new entry for the same key.
func (t *table) relink(i, loc int) {
	s := t.slots[i]
	_, _, size := t.entryAt(s.loc())
	t.dead += size
	t.slots[i] = makeSlot(loc, s.tag())
	t.compactIfWasteful()
}

// emptySlot returns the first empty slot from tag's home on.
func (t *table) emptySlot(tag uint32) int {
	mask := len(t.slots) - 1
	i := int(tag) & mask
	for !t.slots[i].empty() {
		i = (i + 1) & mask
	}
	return i
}

// remove deletes key and returns its value, if it was there.
func (t *table) remove(key string, tag uint32) (string, bool) {
	i, found := t.find(key, tag)
	if !found {
		return "", false
	}
	return t.removeAt(i), true
}

// removeAt deletes the entry of slot i, which find returned, and returns
// its value. Linear probing without tombstones: the entries after the hole
// that belong before it are moved back into it.
func (t *table) removeAt(i int) string {
	_, v, size := t.entryAt(t.slots[i].loc())
	t.dead += size
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
	return v
}

// grow doubles the index, placing every slot by its stored hash.
func (t *table) grow() {
	old := t.slots
	t.slots = make([]slot, max(minSlots, 2*len(old)))
	for _, s := range old {
		if !s.empty() {
			t.slots[t.emptySlot(s.tag())] = s
		}
	}
}

// reserve sizes an empty table for n entries of about bytes in all.
func (t *table) reserve(n, bytes int) {
	size := minSlots
	for size*3 < n*4 {
		size *= 2
	}
	t.slots = make([]slot, size)
	t.expect(bytes)
}

// compactIfWasteful compacts the arena once dead entries outweigh live ones
// and are worth the copy.
func (t *table) compactIfWasteful() {
	if t.dead >= 4096 && t.dead >= t.used-t.dead {
		t.compact()
	}
}

// compact copies the live entries into a new arena, in one chunk when they
// fit. The old one is left as it was: strings and snapshots may still point
// into it.
func (t *table) compact() {
	var fresh arena
	fresh.expect(t.used - t.dead)
	for i, s := range t.slots {
		if !s.empty() {
			t.slots[i] = makeSlot(fresh.addRaw(t.rawAt(s.loc())), s.tag())
		}
	}
	t.arena = fresh
	t.dead = 0
}

// clone returns a table a writer may change without disturbing t: a copy of
// the index over the same arena, which the writer only adds to past every
// byte t can see, and compacts into a new one.
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
		k, v, _ := t.entryAt(s.loc())
		if !fn(k, v) {
			return
		}
	}
}

// appendEncoded appends every live entry in data.bin's encoding to dst.
func (t *table) appendEncoded(dst []byte) ([]byte, uint64) {
	if t.dead == 0 {
		// Every entry in the arena is live: it is the encoding already.
		return t.appendTo(dst), uint64(t.count)
	}
	for _, s := range t.slots {
		if !s.empty() {
			dst = append(dst, t.rawAt(s.loc())...)
		}
	}
	return dst, uint64(t.count)
}
