package engine

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// tagOf places keys in a test table the way the store does.
func tagOf(s *store, key string) uint32 {
	_, tag := s.place(key)
	return tag
}

// abbrev quotes s, or describes it when it is too long to print.
func abbrev(s string) string {
	if len(s) > 64 {
		return fmt.Sprintf("%q… (%d bytes)", s[:16], len(s))
	}
	return strconv.Quote(s)
}

// checkTable compares t with model entry by entry, both ways.
func checkTable(t *testing.T, s *store, tb *table, model map[string]string) {
	t.Helper()
	if tb.count != len(model) {
		t.Fatalf("count %d, model %d", tb.count, len(model))
	}
	for k, want := range model {
		if got, ok := tb.get(k, tagOf(s, k)); !ok || got != want {
			t.Fatalf("get(%q) = %s, %v; want %s", k, abbrev(got), ok, abbrev(want))
		}
	}
	seen := 0
	tb.each(func(k, v string) bool {
		seen++
		if model[k] != v {
			t.Fatalf("each gave %q=%s, model has %s", k, abbrev(v), abbrev(model[k]))
		}
		return true
	})
	if seen != len(model) {
		t.Fatalf("each gave %d entries, model has %d", seen, len(model))
	}
}

// filledTable returns a table of n keys k0, k1, … with values of up to 49
// bytes, and a model of it.
func filledTable(s *store, n int) (*table, map[string]string) {
	tb := &table{}
	model := map[string]string{}
	for i := range n {
		k, v := "k"+strconv.Itoa(i), strings.Repeat("x", i%50)
		tb.put(k, v, tagOf(s, k))
		model[k] = v
	}
	return tb, model
}

// TestTableRandomOps runs random puts, overwrites and removes (backward-shift
// deletion, growth and compaction all happen) against a Go map as the model.
func TestTableRandomOps(t *testing.T) {
	s := newStore()
	tb := &table{}
	model := map[string]string{}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		k := "k" + strconv.Itoa(r.IntN(3000))
		switch r.IntN(3) {
		case 0, 1:
			v := strings.Repeat("v", r.IntN(40)) + strconv.Itoa(i)
			_, existed := model[k]
			if isNew := tb.put(k, v, tagOf(s, k)); isNew == existed {
				t.Fatalf("put(%q) new=%v, but the key existed=%v", k, isNew, existed)
			}
			model[k] = v
		case 2:
			want, existed := model[k]
			got, ok := tb.remove(k, tagOf(s, k))
			if ok != existed || got != want {
				t.Fatalf("remove(%q) = %q, %v; want %q, %v", k, got, ok, want, existed)
			}
			delete(model, k)
		}
		if i%20_000 == 0 {
			checkTable(t, s, tb, model)
		}
	}
	checkTable(t, s, tb, model)
	if tb.dead > 4096 && tb.dead > tb.used-tb.dead {
		t.Fatalf("arena %d bytes with %d dead: compaction never ran", tb.used, tb.dead)
	}
}

// TestTableCloneIsolation shows that a clone's writes, and its compaction,
// leave the original's view (a snapshot's) exactly as it was, although
// both share the arena.
func TestTableCloneIsolation(t *testing.T) {
	s := newStore()
	tb, before := filledTable(s, 500)
	frozen := tb
	live := tb.clone()
	after := map[string]string{}
	for k, v := range before {
		after[k] = v
	}
	for i := range 5000 { // enough overwrites to compact the live arena
		k := "k" + strconv.Itoa(i%700)
		v := "new" + strconv.Itoa(i)
		live.put(k, v, tagOf(s, k))
		after[k] = v
		if i%3 == 0 {
			k := "k" + strconv.Itoa((i*7)%500)
			live.remove(k, tagOf(s, k))
			delete(after, k)
		}
	}
	checkTable(t, s, frozen, before)
	checkTable(t, s, live, after)
}

// TestTableValuesStayValid shows that a value returned by get keeps its bytes
// after the key is updated, removed and the arena compacted: values are
// handed out without a copy.
func TestTableValuesStayValid(t *testing.T) {
	s := newStore()
	tb := &table{}
	tb.put("a", "first", tagOf(s, "a"))
	v, _ := tb.get("a", tagOf(s, "a"))
	for i := range 10_000 {
		tb.put("a", strconv.Itoa(i), tagOf(s, "a"))
	}
	tb.remove("a", tagOf(s, "a"))
	if v != "first" {
		t.Fatalf("value read before the updates became %q", v)
	}
}

// TestTableAppendEncoded shows that both ways of encoding a table, the whole
// arena when nothing in it is dead and entry by entry otherwise, give every
// live entry exactly once.
func TestTableAppendEncoded(t *testing.T) {
	s := newStore()
	tb := &table{}
	model := map[string]string{}
	decode := func() map[string]string {
		t.Helper()
		b, n := tb.appendEncoded(nil)
		got := map[string]string{}
		for len(b) > 0 {
			k, v, size := (&arena{open: b, fill: len(b)}).entryAt(0)
			got[k] = v
			b = b[size:]
		}
		if int(n) != len(got) || n != uint64(len(model)) {
			t.Fatalf("appendEncoded counted %d entries, decoded %d, model %d", n, len(got), len(model))
		}
		return got
	}
	for i := range 100 {
		k := "k" + strconv.Itoa(i)
		tb.put(k, strconv.Itoa(i), tagOf(s, k))
		model[k] = strconv.Itoa(i)
	}
	if tb.dead != 0 {
		t.Fatalf("dead = %d after inserts only", tb.dead)
	}
	for k, v := range decode() {
		if model[k] != v {
			t.Fatalf("whole-arena encoding gave %q=%q, want %q", k, v, model[k])
		}
	}
	tb.put("k1", "changed", tagOf(s, "k1"))
	model["k1"] = "changed"
	tb.remove("k2", tagOf(s, "k2"))
	delete(model, "k2")
	if tb.dead == 0 {
		t.Fatal("dead = 0 after an update and a removal")
	}
	for k, v := range decode() {
		if model[k] != v {
			t.Fatalf("entry-by-entry encoding gave %q=%q, want %q", k, v, model[k])
		}
	}
}
