package engine

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// allocated is the memory a table's arena has asked for.
func allocated(a *arena) int {
	n := cap(a.open)
	for _, c := range a.closed {
		n += cap(c)
	}
	return n
}

// TestArenaGrowsWithoutMoving shows that an entry stays where it was
// written while the arena grows a thousandfold: growing adds chunks and
// copies nothing.
func TestArenaGrowsWithoutMoving(t *testing.T) {
	s := newStore()
	tb := &table{}
	tb.put("first", "value", tagOf(s, "first"))
	v, _ := tb.get("first", tagOf(s, "first"))
	for i := range 100_000 {
		k := "k" + strconv.Itoa(i)
		tb.put(k, strings.Repeat("v", i%64), tagOf(s, k))
	}
	again, _ := tb.get("first", tagOf(s, "first"))
	if unsafe.StringData(again) != unsafe.StringData(v) {
		t.Fatal("the entry moved while the arena grew")
	}
	if len(tb.closed) < 10 {
		t.Fatalf("%d bytes in %d chunks: the arena did not grow by chunks", tb.used, len(tb.closed)+1)
	}
}

// TestArenaSize shows that an arena costs about what it holds: a KiB for a
// near-empty shard (a store has 1024 of them), and an eighth or so more than
// its entries once full, in chunks no larger than maxChunk.
func TestArenaSize(t *testing.T) {
	s := newStore()
	tb := &table{}
	tb.put("k", "v", tagOf(s, "k"))
	if got := allocated(&tb.arena); got > minChunk {
		t.Fatalf("one entry: %d bytes allocated, want at most %d", got, minChunk)
	}
	for i := range 200_000 {
		k := "key:" + strconv.Itoa(i)
		tb.put(k, "0123456789abcdef0123456789abcdef", tagOf(s, k))
	}
	if got, want := allocated(&tb.arena), tb.used+tb.used/4; got > want {
		t.Fatalf("%d bytes of entries in %d bytes of chunks, want at most %d", tb.used, got, want)
	}
	for i, c := range append(tb.closed, tb.open) {
		if cap(c) > maxChunk {
			t.Fatalf("chunk %d holds %d bytes, more than maxChunk", i, cap(c))
		}
	}
}

// TestArenaLargeEntries writes entries around and beyond every chunk size,
// among small ones: an entry larger than the room left starts a chunk, one
// larger than maxChunk or than a chunk offset can address gets a chunk of
// its own, and every one reads back whole, in place and encoded.
func TestArenaLargeEntries(t *testing.T) {
	s := newStore()
	tb := &table{}
	model := map[string]string{}
	sizes := []int{minChunk - 4, minChunk, maxChunk - 5, maxChunk, maxChunk + 1, 1<<offBits + 3, 3, maxChunk / 2}
	for i, n := range sizes {
		for j := range 3 {
			k := "k" + strconv.Itoa(i) + "." + strconv.Itoa(j)
			v := strings.Repeat(string(rune('a'+i)), n)
			tb.put(k, v, tagOf(s, k))
			model[k] = v
			small := "s" + k
			tb.put(small, k, tagOf(s, small))
			model[small] = k
		}
	}
	checkTable(t, s, tb, model)
	b, n := tb.appendEncoded(nil)
	if n != uint64(len(model)) || len(b) != tb.used {
		t.Fatalf("encoded %d entries in %d bytes, want %d in %d", n, len(b), len(model), tb.used)
	}
}

// TestTableCloneReadWhileWriting reads a frozen table from another goroutine
// while its clone fills the chunk they share, adds chunks and compacts: with
// -race, any write to memory the frozen table can see is reported.
func TestTableCloneReadWhileWriting(t *testing.T) {
	s := newStore()
	tb, before := filledTable(s, 300)
	frozen, live := tb, tb.clone()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20 {
			n := 0
			frozen.each(func(k, v string) bool {
				if before[k] != v {
					t.Errorf("frozen table: %q = %q, want %q", k, v, before[k])
				}
				n++
				return true
			})
			if b, _ := frozen.appendEncoded(nil); len(b) != frozen.used || n != len(before) {
				t.Errorf("frozen table: %d entries in %d bytes, want %d in %d", n, len(b), len(before), frozen.used)
			}
		}
	})
	for i := range 20_000 {
		k := "k" + strconv.Itoa(i%1000)
		live.put(k, "new"+strconv.Itoa(i), tagOf(s, k))
		if i%5 == 0 {
			k := "k" + strconv.Itoa(i*7%300)
			live.remove(k, tagOf(s, k))
		}
	}
	wg.Wait()
	checkTable(t, s, frozen, before)
}
