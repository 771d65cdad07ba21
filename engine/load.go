package engine

import (
	"os"
	"runtime"
	"sync"

	"skysh/data"
)

// A batch of entries travels to a loader when it holds loadBatchEntries or
// loadBatchBytes: enough to make the hand-over cheap, few enough to keep
// every loader busy.
const (
	loadBatchEntries = 4096
	loadBatchBytes   = 256 << 10
)

// loadBatch is entries on their way to the loader that owns their shards,
// encoded as in the file, one after the other.
type loadBatch struct {
	bytes []byte
	items []loadItem
}

// loadItem is one entry of a batch: where its bytes end, and where it goes.
type loadItem struct {
	end   int
	shard uint16
	tag   uint32
}

// loadStore builds a store from a data file, open and checked by
// data.OpenRegular; path names it in errors. Inserting a million keys into
// hash tables far larger than the CPU caches is bound by memory latency, not
// by decoding, so the shards are split among one loader per CPU, each the
// only writer of its own shards, while this goroutine decodes and routes.
// The file holds entries in the arena's own encoding (a Skytable 0.6 file's
// reach it re-encoded so): each is copied from the read buffer into a batch,
// and from the batch into its arena, as it is. The format says which of the
// two the file was in.
func loadStore(f *os.File, path string) (*store, uint64, data.Format, error) {
	st := newStore()
	loaders := min(runtime.GOMAXPROCS(0), 8)
	queues := make([]chan *loadBatch, loaders)
	counts := make([]int, loaders)
	var wg sync.WaitGroup
	free := sync.Pool{New: func() any {
		return &loadBatch{make([]byte, 0, loadBatchBytes), make([]loadItem, 0, loadBatchEntries)}
	}}
	for w := range queues {
		queues[w] = make(chan *loadBatch, 4)
		wg.Go(func() {
			for b := range queues[w] {
				start := 0
				for _, it := range b.items {
					if st.shards[it.shard].t.putRaw(b.bytes[start:it.end], it.tag) {
						counts[w]++
					}
					start = it.end
				}
				if cap(b.bytes) <= 2*loadBatchBytes { // not one grown for a large entry
					b.bytes, b.items = b.bytes[:0], b.items[:0]
					free.Put(b)
				}
			}
		})
	}
	pending := make([]*loadBatch, loaders)
	for w := range pending {
		pending[w] = free.Get().(*loadBatch)
	}
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = storedSize(fi)
	}
	begin := func(n uint64) { st.reserve(n, size) }
	format, seq, err := data.DecodeAnyFileRaw(f, path, begin, func(raw, key []byte) error {
		shard, tag := st.place(bytesString(key)) // hashed, not kept
		w := int(shard) % loaders
		b := pending[w]
		b.bytes = append(b.bytes, raw...)
		b.items = append(b.items, loadItem{len(b.bytes), shard, tag})
		if len(b.items) == loadBatchEntries || len(b.bytes) >= loadBatchBytes {
			queues[w] <- b
			pending[w] = free.Get().(*loadBatch)
		}
		return nil
	})
	for w, q := range queues {
		q <- pending[w]
		close(q)
	}
	wg.Wait()
	if err != nil {
		return nil, 0, data.FormatUnknown, err
	}
	for _, n := range counts {
		st.count += n
	}
	return st, seq, format, nil
}
