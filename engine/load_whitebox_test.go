package engine

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"skysh/data"
)

// TestLoadFillsOneChunkPerShard loads a data file and finds every shard's
// entries in the chunk reserved for its share of the file, or in one more:
// the arenas are sized from the file before the entries arrive.
func TestLoadFillsOneChunkPerShard(t *testing.T) {
	dir := t.TempDir()
	e, err := Open(dir, Options{NoJournal: true})
	if err != nil {
		t.Fatal(err)
	}
	const keys = 100_000
	value := strings.Repeat("v", 100)
	for i := range keys {
		e.Exec([]string{"SET", "key:" + strconv.Itoa(i), value})
	}
	if err := e.Close(nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, data.DataFileName)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	st, _, _, err := loadStore(f, path)
	if err != nil {
		t.Fatal(err)
	}
	if st.count != keys {
		t.Fatalf("loaded %d keys, want %d", st.count, keys)
	}
	total, overflowed := 0, 0
	for i := range st.shards {
		a := &st.shards[i].t.arena
		total += allocated(a)
		// The keys fall into shards by their hash: a shard may get a
		// third more than its share, past what its first chunk was sized
		// for (the file's share and a sixteenth), and fill a second and,
		// rarely, a third chunk; never more.
		switch {
		case len(a.closed) >= 1 && len(a.closed) <= 2:
			overflowed++
		case len(a.closed) > 2:
			t.Fatalf("shard %d: %d bytes in %d chunks", i, a.used, len(a.closed)+1)
		}
	}
	if overflowed > shardCount/4 {
		t.Errorf("%d of %d shards needed a second chunk", overflowed, shardCount)
	}
	if limit := fi.Size() + fi.Size()/4; int64(total) > limit {
		t.Errorf("a file of %d bytes loaded into %d bytes of arenas, want at most %d", fi.Size(), total, limit)
	}
}
