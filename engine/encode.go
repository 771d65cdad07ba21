package engine

import (
	"io"
	"sync"

	"skysh/data"
)

// encodeGroup is how many shards one encoding job covers: at 1M keys about
// 16k entries, under a megabyte of output.
const encodeGroup = 16

// groups is how many encoding jobs a snapshot is cut into.
const groups = shardCount / encodeGroup

// aheadPerWorker bounds how many encoded groups one worker may have waiting
// to be written, so that memory in flight stays a few megabytes.
const aheadPerWorker = 2

// blockSize is the largest starting capacity of a block buffer: a group's
// entries at 1M keys fit, so buffers rarely grow.
const blockSize = 1 << 20

// block is one group's entries, encoded.
type block struct {
	bytes []byte
	n     uint64
}

// encodeSnapshot writes sn through enc. Walking a million map entries is
// bound by cache misses on the strings they point to, so groups of shards
// are encoded by several goroutines at once and written in order.
// workers is how many goroutines encode; background puts them on threads of
// the lowest priority, for a save that runs while the shell does.
func encodeSnapshot(sn *Snapshot, enc *data.Encoder, workers int, background bool) error {
	workers = max(1, min(workers, 8))
	results := make([]chan block, groups)
	for g := range results {
		results[g] = make(chan block, 1)
	}
	// On every return, even a write error's, the workers are stopped and
	// waited for: the caller releases the snapshot next, and a worker still
	// reading a shard the shell then writes to would race with it.
	stop := make(chan struct{})
	var running sync.WaitGroup
	defer running.Wait()
	defer close(stop)
	// A worker's credits are its block buffers: it takes one to encode a
	// group into, and the writer hands it back once written. The buffers are
	// reused, so a save of any size allocates a few megabytes, not a second
	// copy of the store for the collector to chase while the shell runs.
	credits := make([]chan []byte, workers)
	size := blockCap(sn)
	for w := range workers {
		credits[w] = make(chan []byte, aheadPerWorker)
		for range aheadPerWorker {
			credits[w] <- make([]byte, 0, size)
		}
		running.Add(1)
		go func() {
			defer running.Done()
			if background {
				lowerPriority()
			}
			// Worker w takes groups w, w+workers, …, in order, so the one the
			// writer waits for is always its next: no deadlock on credits.
			for g := w; g < groups; g += workers {
				var b block
				select {
				case b.bytes = <-credits[w]:
				case <-stop:
					return
				}
				for _, t := range sn.tables[g*encodeGroup : (g+1)*encodeGroup] {
					var n uint64
					b.bytes, n = t.appendEncoded(b.bytes)
					b.n += n
				}
				results[g] <- b
			}
		}()
	}
	for g := range groups {
		b := <-results[g]
		if b.n > 0 {
			if err := enc.AddBlock(b.bytes, b.n); err != nil {
				return err
			}
		}
		credits[g%workers] <- b.bytes[:0]
	}
	return enc.Close()
}

// blockCap is the starting capacity of the block buffers for sn: the
// largest group's arenas (which hold its entries, encoded, and perhaps dead
// ones), up to blockSize. A save of a small store, such as the empty one
// written when a data directory is new, then allocates what it needs, not
// the megabytes a large one does.
func blockCap(sn *Snapshot) int {
	most := 0
	for g := range groups {
		n := 0
		for _, t := range sn.tables[g*encodeGroup : (g+1)*encodeGroup] {
			n += t.used
		}
		most = max(most, n)
	}
	return min(most, blockSize)
}

// encodeStore writes sn to w in the data file format, through
// Options.WrapWriter when a test set one.
func (e *Engine) encodeStore(w io.Writer, sn *Snapshot, mode saveMode) error {
	if e.opts.WrapWriter != nil {
		w = e.opts.WrapWriter(w)
	}
	enc, err := data.NewEncoderSeq(w, uint64(sn.Len()), sn.Seq)
	if err != nil {
		return err
	}
	return encodeSnapshot(sn, enc, mode.workers(), mode == background)
}
