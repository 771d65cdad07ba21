package engine

import (
	"hash/maphash"
)

// shardCount splits the key space so that copy-on-write stays cheap: while a
// snapshot is being saved, the first write to a shard copies only that
// shard's index (about 1/1024 of the keys), never the whole store.
const shardCount = 1024

// shard is one slice of the key space.
type shard struct {
	t *table
	// readers counts live snapshots that share t. While it is non-zero, t is
	// immutable and a write must replace it with a private copy first.
	readers int
	// epoch changes whenever t is replaced, so a snapshot being released can
	// tell whether the table it froze is still the shard's current one.
	epoch uint64
}

// store is a flat key/value map built for point-in-time snapshots that never
// stall writers for long: taking a snapshot only marks the shards shared
// (O(shardCount)), and each shard is copied lazily on its first write after
// that. store is not safe for concurrent use; Engine serialises access.
type store struct {
	seed   maphash.Seed
	shards [shardCount]shard
	count  int
}

func newStore() *store {
	s := &store{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].t = &table{}
	}
	return s
}

// locate hashes key once: the low bits choose the shard, the top 24 bits are
// its tag in the shard's table.
func (s *store) locate(key string) (*shard, uint32) {
	i, tag := s.place(key)
	return &s.shards[i], tag
}

// place is locate by shard number, for loaders that own some shards.
func (s *store) place(key string) (uint16, uint32) {
	h := maphash.String(s.seed, key)
	return uint16(h & (shardCount - 1)), uint32(h >> 40)
}

// writable returns the table of sh, copying it first if a snapshot shares it.
func (sh *shard) writable() *table {
	if sh.readers > 0 {
		sh.t = sh.t.clone()
		sh.readers = 0
		sh.epoch++
	}
	return sh.t
}

func (s *store) get(key string) (string, bool) {
	sh, h := s.locate(key)
	return sh.t.get(key, h)
}

func (s *store) has(key string) bool {
	_, ok := s.get(key)
	return ok
}

// put sets key to value and reports whether the key was new.
func (s *store) put(key, value string) bool {
	sh, h := s.locate(key)
	isNew := sh.writable().put(key, value, h)
	if isNew {
		s.count++
	}
	return isNew
}

// insert sets key to value only if key is absent, and reports whether it
// was. Its place is found once: a copy for a snapshot keeps every slot
// where it was.
func (s *store) insert(key, value string) bool {
	sh, h := s.locate(key)
	i, found := sh.t.find(key, h)
	if found {
		return false
	}
	sh.writable().insertAt(i, key, value, h)
	s.count++
	return true
}

// replace sets key to value only if key is present, and reports whether it
// was, finding it once.
func (s *store) replace(key, value string) bool {
	sh, h := s.locate(key)
	i, found := sh.t.find(key, h)
	if found {
		sh.writable().replaceAt(i, key, value)
	}
	return found
}

// remove deletes key and returns its value, if it was present, finding it
// once. A missing key copies no shard that a snapshot shares.
func (s *store) remove(key string) (string, bool) {
	sh, h := s.locate(key)
	i, found := sh.t.find(key, h)
	if !found {
		return "", false
	}
	s.count--
	return sh.writable().removeAt(i), true
}

// clear empties the store. Shared tables are left to their snapshots.
func (s *store) clear() {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.t = &table{}
		sh.readers = 0
		sh.epoch++
	}
	s.count = 0
}

// keys returns at most n keys, in no particular order.
func (s *store) keys(n int) []string {
	out := make([]string, 0, min(n, s.count))
	for i := range s.shards {
		if len(out) == n {
			break
		}
		s.shards[i].t.each(func(k, _ string) bool {
			out = append(out, k)
			return len(out) < n
		})
	}
	return out
}

// snapshot freezes the current contents. It costs O(shardCount), not O(keys).
// The caller must release it when done so that writes stop copying shards.
func (s *store) snapshot() *Snapshot {
	snap := &Snapshot{len: s.count}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.readers++
		snap.tables[i] = sh.t
		snap.epochs[i] = sh.epoch
	}
	return snap
}

// release undoes snapshot for the shards that still hold the frozen tables.
// Releasing twice is a no-op: a second count-down would unfreeze a shard
// another snapshot still reads.
func (s *store) release(snap *Snapshot) {
	if snap.released {
		return
	}
	snap.released = true
	for i := range s.shards {
		sh := &s.shards[i]
		if sh.epoch == snap.epochs[i] && sh.readers > 0 {
			sh.readers--
		}
	}
}

// Snapshot is a point-in-time view of the store: exactly its contents between
// two queries. It is safe to read from any goroutine while the shell goes on
// writing, because the tables it holds are never modified again.
type Snapshot struct {
	tables [shardCount]*table
	epochs [shardCount]uint64
	len    int
	// released is set by the first Release; guarded by Engine.mu.
	released bool
	// Changes is the engine's change counter when the snapshot was taken.
	Changes uint64
	// Seq is the journal sequence of the last write the snapshot holds.
	Seq uint64
}

// Len is the number of keys in the snapshot.
func (sn *Snapshot) Len() int { return sn.len }

// Range calls fn for every key and value until fn returns an error.
func (sn *Snapshot) Range(fn func(key, value string) error) error {
	var err error
	for _, t := range sn.tables {
		t.each(func(k, v string) bool {
			err = fn(k, v)
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// reserve sizes the shards for n keys in a file of size bytes about to be
// loaded, so that loading grows no index and fills each arena in one chunk,
// two for the few shards that get more than a sixteenth above their share.
// n comes from a file header: it is a hint, capped by the caller's decoder,
// not a promise; the chunks are allocated only as entries arrive.
func (s *store) reserve(n uint64, size int64) {
	per := int(n/shardCount) + int(n/shardCount)/8 + 1
	bytes := int(size/shardCount) + int(size/shardCount)/16
	for i := range s.shards {
		s.shards[i].t.reserve(per, bytes)
	}
}
