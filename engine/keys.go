package engine

import (
	"encoding/binary"
	"strings"
)

// KeysWithPrefix returns up to limit keys that start with prefix, looking
// at no more than budget keys, and whether every key with the prefix is
// among them: it looks on past the limit for one more, so that it says so
// as a cluster, which knows, does. It is for completion at the prompt,
// which runs at every keystroke: the budget keeps it to about a
// millisecond however large the store (the keys are hashed, so there is no
// order to search a prefix in), and a store of up to budget keys is always
// searched whole. The keys come in no order.
func (e *Engine) KeysWithPrefix(prefix string, limit, budget int) (keys []string, complete bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	seen, more := 0, false
	for i := range e.store.shards {
		e.store.shards[i].t.eachKey(func(k string) bool {
			if seen == budget {
				return false
			}
			seen++
			if strings.HasPrefix(k, prefix) {
				if len(keys) >= limit {
					more = true
					return false
				}
				keys = append(keys, k)
			}
			return true
		})
		if more || seen == budget {
			break
		}
	}
	return keys, !more && seen == e.store.count
}

// eachKey calls fn for every live key until fn returns false. With no dead
// entries every entry of the arena is live, so it reads the arena front to
// back, without the cache miss per key of following the slots.
func (t *table) eachKey(fn func(key string) bool) {
	if t.dead != 0 {
		t.each(func(k, _ string) bool { return fn(k) })
		return
	}
	for _, c := range t.closed {
		if !eachKeyIn(c, fn) {
			return
		}
	}
	eachKeyIn(t.open[:t.fill], fn)
}

// eachKeyIn calls fn for the key of every entry in b, entries back to back
// in data.bin's encoding, and reports whether fn asked for more.
func eachKeyIn(b []byte, fn func(key string) bool) bool {
	for len(b) > 0 {
		klen, n := binary.Uvarint(b)
		key := b[n : n+int(klen)]
		b = b[n+int(klen):]
		vlen, m := binary.Uvarint(b)
		b = b[m+int(vlen):]
		if !fn(bytesString(key)) {
			return false
		}
	}
	return true
}

// RangeKeys calls fn with every key as of one moment, in no set order,
// until fn returns an error, which it returns. It holds no lock while fn runs.
func (e *Engine) RangeKeys(fn func(key string) error) error {
	sn := e.Snapshot()
	defer e.Release(sn)
	return sn.Range(func(k, _ string) error { return fn(k) })
}
