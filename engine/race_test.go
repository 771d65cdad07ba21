package engine_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"skysh/engine"
)

// Run these under `go test -race`: they share the store between a writer and
// readers of snapshots the way the shell and the savers do.

// readSnapshot ranges over sn, checking that no key comes twice and that the
// count matches Len.
func readSnapshot(sn *engine.Snapshot) (map[string]string, error) {
	m := make(map[string]string, sn.Len())
	err := sn.Range(func(k, v string) error {
		if _, dup := m[k]; dup {
			return fmt.Errorf("key %q ranged twice", k)
		}
		m[k] = v
		return nil
	})
	if err == nil && len(m) != sn.Len() {
		err = fmt.Errorf("ranged %d keys, Len() = %d", len(m), sn.Len())
	}
	return m, err
}

// TestSnapshotsUnderWrites takes, reads and releases overlapping snapshots
// while a writer changes the store; each snapshot is read twice, the second
// time just before its release, and must not have changed in between.
func TestSnapshotsUnderWrites(t *testing.T) {
	e := newEngine(t)
	writes := 20000
	if testing.Short() {
		writes = 2000
	}
	var done atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		defer done.Store(true)
		rng := rand.New(rand.NewPCG(1, 2))
		key := func() string { return "k" + strconv.Itoa(rng.IntN(3000)) }
		for i := range writes {
			var query []string
			switch n := rng.IntN(100); {
			case n < 40:
				query = q("SET", key(), strconv.Itoa(i))
			case n < 70:
				query = q("USET", key(), strconv.Itoa(i), key(), strconv.Itoa(i), key(), "x")
			case n < 85:
				query = q("DEL", key(), key())
			case n < 95:
				query = q("POP", key())
			case n < 99:
				query = q("UPDATE", key(), "u")
			default:
				query = q("FLUSHDB")
			}
			if r := e.Exec(query); engine.Failed(r) && r != engine.Response(overwrite) {
				t.Errorf("%s = %s", fmtQuery(query), fmtResponse(r))
				return
			}
		}
	})
	for reader := range 2 {
		wg.Go(func() {
			type held struct {
				sn   *engine.Snapshot
				seen map[string]string
			}
			var window []held
			rng := rand.New(rand.NewPCG(uint64(reader), 3))
			check := func(h held) bool {
				again, err := readSnapshot(h.sn)
				if err != nil {
					t.Errorf("reader %d: %v", reader, err)
					return false
				}
				if !maps.Equal(again, h.seen) {
					t.Errorf("reader %d: snapshot changed after it was taken: %d keys, then %d", reader, len(h.seen), len(again))
					return false
				}
				return true
			}
			for snaps := 0; !done.Load() || snaps < 20; snaps++ {
				sn := e.Snapshot()
				seen, err := readSnapshot(sn)
				if err != nil {
					t.Errorf("reader %d: %v", reader, err)
					return
				}
				window = append(window, held{sn, seen})
				// Keep up to three live snapshots and release one at
				// random, so releases come in any order.
				if len(window) > 3 {
					i := rng.IntN(len(window))
					if !check(window[i]) {
						return
					}
					e.Release(window[i].sn)
					window = append(window[:i], window[i+1:]...)
				}
			}
			for _, h := range window {
				check(h)
				e.Release(h.sn)
			}
		})
	}
	wg.Wait()
	sn := e.Snapshot()
	defer e.Release(sn)
	if _, err := readSnapshot(sn); err != nil {
		t.Error(err)
	}
	if got, want := sn.Len(), e.Len(); got != want {
		t.Errorf("final snapshot Len() = %d, engine Len() = %d", got, want)
	}
}

// TestSnapshotsSeeWholeQueries checks that a snapshot falls between two
// queries: each query rewrites all 100 keys to a new generation (or deletes
// them all), so a snapshot holds either no key or all 100 with one value, and
// later snapshots never go back in generations.
func TestSnapshotsSeeWholeQueries(t *testing.T) {
	const nkeys = 100
	generations := 3000
	if testing.Short() {
		generations = 300
	}
	uset := func(gen int) []string {
		query := make([]string, 0, 1+2*nkeys)
		query = append(query, "USET")
		for i := range nkeys {
			query = append(query, "k"+strconv.Itoa(i), "g"+strconv.Itoa(gen))
		}
		return query
	}
	allKeys := make([]string, 0, 1+nkeys)
	allKeys = append(allKeys, "DEL")
	for i := range nkeys {
		allKeys = append(allKeys, "k"+strconv.Itoa(i))
	}

	e := newEngine(t, uset(0))
	var done atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		defer done.Store(true)
		// t.Fatal may not be called here: report and stop instead.
		exec := func(query []string, want engine.Response) bool {
			if got := e.Exec(query); !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %s, want %s", fmtQuery(query), fmtResponse(got), fmtResponse(want))
				return false
			}
			return true
		}
		for gen := 1; gen <= generations; gen++ {
			ok := exec(uset(gen), engine.Int(nkeys))
			switch gen % 50 {
			case 10:
				ok = ok && exec(q("FLUSHDB"), okay)
			case 30:
				ok = ok && exec(allKeys, engine.Int(nkeys))
			}
			if !ok {
				return
			}
		}
	})
	for reader := range 2 {
		wg.Go(func() {
			last, lastChanges := -1, uint64(0)
			for snaps := 0; !done.Load() || snaps < 20; snaps++ {
				sn := e.Snapshot()
				m, err := readSnapshot(sn)
				changes := sn.Changes
				e.Release(sn)
				if err != nil {
					t.Errorf("reader %d: %v", reader, err)
					return
				}
				if changes < lastChanges {
					t.Errorf("reader %d: Changes went back from %d to %d", reader, lastChanges, changes)
					return
				}
				lastChanges = changes
				if len(m) == 0 {
					continue
				}
				gen, err := generation(m, nkeys)
				if err != nil {
					t.Errorf("reader %d: snapshot %d: %v", reader, snaps, err)
					return
				}
				if gen < last {
					t.Errorf("reader %d: generation went back from %d to %d", reader, last, gen)
					return
				}
				last = gen
			}
		})
	}
	wg.Wait()
}

// generation returns the one generation all n keys of m hold.
func generation(m map[string]string, n int) (int, error) {
	if len(m) != n {
		return 0, fmt.Errorf("%d keys, want 0 or %d", len(m), n)
	}
	want := m["k0"]
	for k, v := range m {
		if v != want {
			return 0, fmt.Errorf("mixed generations: k0=%q, %s=%q", want, k, v)
		}
	}
	if len(want) < 2 || want[0] != 'g' {
		return 0, fmt.Errorf("k0=%q, want gN", want)
	}
	return strconv.Atoi(want[1:])
}
