package engine

import (
	"strconv"
	"testing"
)

// White-box tests of copy-on-write: what a snapshot shares, and what a
// write copies. The behaviour is covered from outside in snapshot_test.go;
// these pin the cost, which the outside cannot see.

func filledStore(t *testing.T, n int) *store {
	t.Helper()
	s := newStore()
	for i := range n {
		s.put("key:"+strconv.Itoa(i), "v")
	}
	if s.count != n {
		t.Fatalf("count = %d, want %d", s.count, n)
	}
	return s
}

// shardState returns how many shards have each readers count of every shard, and how many shards hold
// a table other than the one the snapshot froze.
func shardState(s *store, sn *Snapshot) (readers map[int]int, copied int) {
	readers = make(map[int]int)
	for i := range s.shards {
		readers[s.shards[i].readers]++
		if sn != nil && s.shards[i].t != sn.tables[i] {
			copied++
		}
	}
	return readers, copied
}

// shardIndex is the index of the shard that holds key.
func shardIndex(s *store, key string) int {
	i, _ := s.place(key)
	return int(i)
}

func TestSnapshotSharesEveryShard(t *testing.T) {
	s := filledStore(t, 10000)
	sn := s.snapshot()
	readers, copied := shardState(s, sn)
	if readers[1] != shardCount || copied != 0 {
		t.Fatalf("after snapshot: readers %v, %d copied; want all %d shards at 1, none copied", readers, copied, shardCount)
	}
	if sn.Len() != 10000 {
		t.Errorf("Len() = %d, want 10000", sn.Len())
	}
}

func TestWriteCopiesOnlyItsShard(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(s *store)
	}{
		{"put new", func(s *store) { s.put("new", "1") }},
		{"put existing", func(s *store) { s.put("key:1", "2") }},
		{"remove", func(s *store) { s.remove("key:1") }},
		{"insert new", func(s *store) { s.insert("new", "1") }},
		{"replace existing", func(s *store) { s.replace("key:1", "2") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := filledStore(t, 10000)
			sn := s.snapshot()
			tc.write(s)
			if _, copied := shardState(s, sn); copied != 1 {
				t.Errorf("first write copied %d shards, want 1", copied)
			}
			// The second write to the same shard copies nothing more.
			tc.write(s)
			if _, copied := shardState(s, sn); copied != 1 {
				t.Errorf("second write: %d shards copied, want 1", copied)
			}
			s.release(sn)
			if readers, _ := shardState(s, nil); readers[0] != shardCount {
				t.Errorf("after release: readers %v, want all %d shards at 0", readers, shardCount)
			}
		})
	}
}

// TestRefusedWriteCopiesNothing: a write that finds nothing to do leaves
// the shards a snapshot shares as they are.
func TestRefusedWriteCopiesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(s *store) bool
	}{
		{"remove missing", func(s *store) bool { _, ok := s.remove("missing"); return ok }},
		{"insert existing", func(s *store) bool { return s.insert("key:1", "2") }},
		{"replace missing", func(s *store) bool { return s.replace("missing", "1") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := filledStore(t, 1000)
			sn := s.snapshot()
			defer s.release(sn)
			if tc.write(s) {
				t.Fatal("the write was done")
			}
			if _, copied := shardState(s, sn); copied != 0 {
				t.Errorf("%d shards copied, want 0", copied)
			}
			if s.count != 1000 {
				t.Errorf("count = %d, want 1000", s.count)
			}
		})
	}
}

func TestReleasedSnapshotStopsCopies(t *testing.T) {
	s := filledStore(t, 1000)
	sn := s.snapshot()
	s.release(sn)
	s.put("key:1", "changed")
	s.put("new", "1")
	if _, copied := shardState(s, sn); copied != 0 {
		t.Errorf("writes after release copied %d shards, want 0 (in place)", copied)
	}
}

func TestReleaseCountsReaders(t *testing.T) {
	s := filledStore(t, 1000)
	a, b := s.snapshot(), s.snapshot()
	if readers, _ := shardState(s, nil); readers[2] != shardCount {
		t.Fatalf("two snapshots: readers %v, want all at 2", readers)
	}
	s.release(a)
	if readers, _ := shardState(s, nil); readers[1] != shardCount {
		t.Fatalf("one released: readers %v, want all at 1", readers)
	}
	s.put("key:1", "changed")
	if _, copied := shardState(s, b); copied != 1 {
		t.Errorf("write while b is live copied %d shards, want 1", copied)
	}
	s.release(b)
	if readers, _ := shardState(s, nil); readers[0] != shardCount {
		t.Errorf("both released: readers %v, want all at 0", readers)
	}
}

// TestStaleReleaseLeavesYoungerReaders: a snapshot released after its
// shards were replaced (by a copy or by clear) must not count down the
// readers of a younger snapshot that shares the new tables.
func TestStaleReleaseLeavesYoungerReaders(t *testing.T) {
	s := filledStore(t, 1000)
	old := s.snapshot()
	s.clear()
	s.put("key:1", "after clear")
	young := s.snapshot()
	s.release(old)
	if readers, _ := shardState(s, nil); readers[1] != shardCount {
		t.Fatalf("after stale release: readers %v, want all %d at 1", readers, shardCount)
	}
	s.put("key:1", "changed")
	_, tag := s.place("key:1")
	if v, _ := young.tables[shardIndex(s, "key:1")].get("key:1", tag); v != "after clear" {
		t.Errorf("young snapshot sees key:1 = %q, want %q", v, "after clear")
	}
	s.release(young)
}

func TestClearLeavesSnapshot(t *testing.T) {
	s := filledStore(t, 1000)
	sn := s.snapshot()
	defer s.release(sn)
	s.clear()
	if s.count != 0 {
		t.Errorf("count = %d after clear, want 0", s.count)
	}
	if readers, copied := shardState(s, sn); readers[0] != shardCount || copied != shardCount {
		t.Errorf("after clear: readers %v, %d fresh maps; want all at 0, %d fresh", readers, copied, shardCount)
	}
	n := 0
	_ = sn.Range(func(string, string) error { n++; return nil })
	if n != 1000 {
		t.Errorf("snapshot ranges %d keys after clear, want 1000", n)
	}
}
