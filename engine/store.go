package engine

import (
	"hash/maphash"
	"maps"
)

// shardCount splits the key space so that copy-on-write stays cheap: while a
// snapshot is being saved, the first write to a shard copies only that shard
// (about 1/1024 of the keys, ~1k entries at 1M keys), never the whole store.
const shardCount = 1024

// shard is one slice of the key space.
type shard struct {
	m map[string]string
	// readers counts live snapshots that share m. While it is non-zero, m is
	// immutable and a write must replace it with a private copy first.
	readers int
	// epoch changes whenever m is replaced, so a snapshot being released can
	// tell whether the map it froze is still the shard's current one.
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
		s.shards[i].m = make(map[string]string)
	}
	return s
}

func (s *store) shardOf(key string) *shard {
	return &s.shards[s.shardIndex(key)]
}

func (s *store) shardIndex(key string) uint16 {
	return uint16(maphash.String(s.seed, key) & (shardCount - 1))
}

// writable returns the map of sh, copying it first if a snapshot shares it.
func (sh *shard) writable() map[string]string {
	if sh.readers > 0 {
		sh.m = maps.Clone(sh.m)
		sh.readers = 0
		sh.epoch++
	}
	return sh.m
}

func (s *store) get(key string) (string, bool) {
	v, ok := s.shardOf(key).m[key]
	return v, ok
}

func (s *store) has(key string) bool {
	_, ok := s.shardOf(key).m[key]
	return ok
}

// put sets key to value and reports whether the key was new.
func (s *store) put(key, value string) bool {
	m := s.shardOf(key).writable()
	_, existed := m[key]
	m[key] = value
	if !existed {
		s.count++
	}
	return !existed
}

// remove deletes key and returns its value, if it was present.
func (s *store) remove(key string) (string, bool) {
	sh := s.shardOf(key)
	v, ok := sh.m[key]
	if !ok {
		return "", false
	}
	delete(sh.writable(), key)
	s.count--
	return v, true
}

// clear empties the store. Fresh maps rather than clear(m): a cleared Go
// map keeps its memory, and shared maps belong to their snapshots anyway.
func (s *store) clear() {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.m = make(map[string]string)
		sh.readers = 0
		sh.epoch++
	}
	s.count = 0
}

// keys returns at most n keys, in no particular order.
func (s *store) keys(n int) []string {
	out := make([]string, 0, min(n, s.count))
	for i := range s.shards {
		for k := range s.shards[i].m {
			if len(out) == n {
				return out
			}
			out = append(out, k)
		}
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
		snap.maps[i] = sh.m
		snap.epochs[i] = sh.epoch
	}
	return snap
}

// release undoes snapshot for the shards that still hold the frozen maps.
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
// writing, because the maps it holds are never modified again.
type Snapshot struct {
	maps   [shardCount]map[string]string
	epochs [shardCount]uint64
	len    int
	// released is set by the first Release; guarded by Engine.mu.
	released bool
	// Changes is the engine's change counter when the snapshot was taken.
	Changes uint64
}

// Len is the number of keys in the snapshot.
func (sn *Snapshot) Len() int { return sn.len }

// Range calls fn for every key and value until fn returns an error.
func (sn *Snapshot) Range(fn func(key, value string) error) error {
	for _, m := range sn.maps {
		for k, v := range m {
			if err := fn(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// reserve sizes the shards for n keys about to be loaded, so that loading
// does not rehash each map as it grows. n comes from a file header: it is a
// hint, capped by the caller's decoder, not a promise.
func (s *store) reserve(n uint64) {
	per := int(n/shardCount) + int(n/shardCount)/8 + 1
	for i := range s.shards {
		s.shards[i].m = make(map[string]string, per)
	}
}
