package engine

import (
	"os"
	"runtime"
	"sync"

	"skysh/data"
)

// loadBatch is how many entries travel to a loader at a time: enough to make
// the hand-over cheap, few enough to keep every loader busy.
const loadBatch = 4096

// reserveBytes bounds the arena memory reserved before a load from the
// file's size: a store larger than this grows its arenas as it loads.
const reserveBytes = 64 << 20

// loadItem is one entry on its way to the loader that owns its shard.
type loadItem struct {
	key, value string
	shard      uint16
	tag        uint32
}

// loadStore builds a store from a data file, open and checked by
// data.OpenRegular; path names it in errors. Inserting a million keys into
// hash tables far larger than the CPU caches is bound by memory latency, not
// by decoding, so the shards are split among one loader per CPU, each the
// only writer of its own shards, while this goroutine decodes and routes.
func loadStore(f *os.File, path string) (*store, uint64, error) {
	st := newStore()
	loaders := min(runtime.GOMAXPROCS(0), 8)
	queues := make([]chan []loadItem, loaders)
	counts := make([]int, loaders)
	var wg sync.WaitGroup
	free := sync.Pool{New: func() any { return make([]loadItem, 0, loadBatch) }}
	for w := range queues {
		queues[w] = make(chan []loadItem, 4)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range queues[w] {
				for _, it := range batch {
					if st.shards[it.shard].t.put(it.key, it.value, it.tag) {
						counts[w]++
					}
				}
				free.Put(batch[:0])
			}
		}()
	}
	pending := make([][]loadItem, loaders)
	for w := range pending {
		pending[w] = free.Get().([]loadItem)
	}
	var size int64
	if fi, err := f.Stat(); err == nil {
		// A sparse file's size vouches for nothing: pre-size for at most
		// reserveBytes, and let the arenas grow as entries arrive.
		size = min(fi.Size(), reserveBytes)
	}
	begin := func(n uint64) { st.reserve(n, size) }
	seq, err := data.DecodeFile(f, path, begin, func(k, v string) error {
		shard, tag := st.place(k)
		w := int(shard) % loaders
		pending[w] = append(pending[w], loadItem{k, v, shard, tag})
		if len(pending[w]) == loadBatch {
			queues[w] <- pending[w]
			pending[w] = free.Get().([]loadItem)
		}
		return nil
	})
	for w, q := range queues {
		q <- pending[w]
		close(q)
	}
	wg.Wait()
	if err != nil {
		return nil, 0, err
	}
	for _, n := range counts {
		st.count += n
	}
	return st, seq, nil
}
