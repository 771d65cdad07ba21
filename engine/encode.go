package engine

import (
	"runtime"
	"sync"

	"skysh/data"
)

// encodeGroup is how many shards one encoding job covers: at 1M keys about
// 16k entries, under a megabyte of output.
const encodeGroup = 16

// encodeSnapshot writes sn through enc. Walking a million map entries is
// bound by cache misses on the strings they point to, so groups of shards
// are encoded by one goroutine per CPU at once and written in order; memory
// in flight is one encoded group per CPU.
func encodeSnapshot(sn *Snapshot, enc *data.Encoder) error {
	workers := min(runtime.GOMAXPROCS(0), 8)
	blocks := make([][]byte, workers)
	counts := make([]uint64, workers)
	for base := 0; base < shardCount; base += workers * encodeGroup {
		var wg sync.WaitGroup
		for w := range workers {
			first := base + w*encodeGroup
			if first >= shardCount {
				blocks[w], counts[w] = blocks[w][:0], 0
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				blocks[w], counts[w] = encodeShards(blocks[w][:0], sn.maps[first:min(first+encodeGroup, shardCount)])
			}()
		}
		wg.Wait()
		for w := range workers {
			if counts[w] == 0 {
				continue
			}
			if err := enc.AddBlock(blocks[w], counts[w]); err != nil {
				return err
			}
		}
	}
	return enc.Close()
}

// encodeShards appends the entries of maps to dst.
func encodeShards(dst []byte, maps []map[string]string) ([]byte, uint64) {
	var n uint64
	for _, m := range maps {
		for k, v := range m {
			dst = data.AppendEntry(dst, k, v)
			n++
		}
	}
	return dst, n
}
