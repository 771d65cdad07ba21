package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/conformance"
	"skysh/internal/etcdtest"
)

// For long runs, diffSequencesEnv sets how many scripts TestDifferential
// runs and diffFirstEnv the seed of the first, so that runs one after the
// other try new ones:
//
//	SKYSH_DIFF_SEQUENCES=5000 SKYSH_DIFF_FIRST=5000 go test -run TestDifferential ./cluster/
const (
	diffSequencesEnv = "SKYSH_DIFF_SEQUENCES"
	diffFirstEnv     = "SKYSH_DIFF_FIRST"
)

// envCount is the number in the environment variable name, or def when it
// is not set.
func envCount(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a count", name, v)
	}
	return n
}

// diffWorkers run scripts side by side, each on keyspaces of its own: the
// cluster's round trips, not the machine, bound the test.
const diffWorkers = 4

// TestDifferential hunts for queries the cluster answers otherwise than the
// engine, where the fixed table does not look: random scripts of every
// action over a few colliding keys, each run one query at a time on the
// engine, one at a time on the cluster, and in batches of random sizes
// through ExecBatch on the cluster. Every answer and the store left must
// be the same, and keyspaces beside the script's (one whose name is a
// prefix of its name, others that start where its range ends) must be
// untouched.
func TestDifferential(t *testing.T) {
	n, first := envCount(t, diffSequencesEnv, 240), uint64(envCount(t, diffFirstEnv, 0))
	c := etcdtest.Shared(t)
	for w := range diffWorkers {
		t.Run(strconv.Itoa(w), func(t *testing.T) {
			t.Parallel()
			base := keyspaceFor(t)
			solo := openURL(t, c.URL(base+"-ks"), cluster.Options{})
			// Half the workers batch with a small limit of operations
			// (as a cluster may be set up): runs split where it is
			// reached, and reads of more keys take several requests.
			opts := cluster.Options{}
			if w%2 == 1 {
				opts.MaxTxnOps = 8
			}
			batch := openURL(t, c.URL(base+"-ks-batch"), opts)
			neighbours := fillNeighbours(t, c, base)
			failures := 0
			for seed := first + uint64(w); seed < first+uint64(n); seed += diffWorkers {
				if err := runDifferential(t, seed, solo, batch); err != nil {
					t.Errorf("seed %d: %v", seed, err)
					if failures++; failures == 3 {
						break
					}
				}
			}
			for _, nb := range neighbours {
				if got := contents(t, nb.s); !reflect.DeepEqual(got, nb.want) {
					t.Errorf("keyspace %s beside the scripts' now holds %q, want %q", nb.name, got, nb.want)
				}
			}
		})
	}
}

// neighbour is a keyspace beside a test's, with what it must hold.
type neighbour struct {
	name string
	s    *cluster.Store
	want [][2]string
}

// fillNeighbours opens keyspaces whose etcd keys sort right around those
// of base+"-ks" and fills each with keys the scripts also use.
func fillNeighbours(t *testing.T, c *etcdtest.Cluster, base string) []neighbour {
	var out []neighbour
	for _, name := range []string{base + "-k", base + "-ks0", base + "-ks.", base + "-ks-", base + "-ks_"} {
		s := openURL(t, c.URL(name), cluster.Options{})
		mustRun(t, s, engine.Int(4), "MSET", "", "n", "a", "n", "\xff", "n", "/", "n")
		out = append(out, neighbour{name, s, contents(t, s)})
	}
	return out
}

// runDifferential runs the script of seed on a new engine and on the two
// emptied keyspaces, and says where the three first differ.
func runDifferential(t *testing.T, seed uint64, solo, batch *cluster.Store) error {
	for _, s := range []*cluster.Store{solo, batch} {
		if r := s.Exec(q("FLUSHDB")); code(r) != 0 {
			return fmt.Errorf("FLUSHDB before the script: %s", fmtResponse(r))
		}
	}
	script := diffScript(seed, 40)
	e := engine.New()
	want := make([]engine.Response, len(script))
	keysThen := make([][]string, len(script)) // the engine's keys, at each LSKEYS
	for i, query := range script {
		want[i] = e.Exec(query)
		if isLskeys(query) {
			keysThen[i] = storeKeys(t, e)
		}
	}
	var bad []string // the first difference of each way, then the stores
	for i, query := range script {
		if err := sameAnswer(want[i], solo.Exec(query), keysThen[i]); err != nil && bad == nil {
			bad = append(bad, fmt.Sprintf("query %d, one by one: %v", i, err))
		}
	}
	parts := chunks(rand.New(rand.NewPCG(seed, 0xba7c)), script)
	i, batchBad := 0, false
	for _, part := range parts {
		got := batch.ExecBatch(part)
		if len(got) != len(part) {
			return fmt.Errorf("ExecBatch: %d answers to %d queries", len(got), len(part))
		}
		for _, g := range got {
			if err := sameAnswer(want[i], g, keysThen[i]); err != nil && !batchBad {
				bad, batchBad = append(bad, fmt.Sprintf("query %d, in batches of %v: %v", i, chunkSizes(parts), err)), true
			}
			i++
		}
	}
	final := contents(t, e)
	if got := contents(t, solo); !reflect.DeepEqual(got, final) {
		bad = append(bad, fmt.Sprintf("one by one, the cluster ends with %q, the engine %q", got, final))
	}
	if got := contents(t, batch); !reflect.DeepEqual(got, final) {
		bad = append(bad, fmt.Sprintf("in batches, the cluster ends with %q, the engine %q", got, final))
	}
	bad = append(bad, sameKeyViews(t, e, solo)...)
	if bad == nil {
		return nil
	}
	return fmt.Errorf("%s\nscript:\n%s", strings.Join(bad, "\n"), fmtScript(script))
}

func isLskeys(query []string) bool { return len(query) > 0 && strings.EqualFold(query[0], "LSKEYS") }

// storeKeys is every key of the engine, sorted.
func storeKeys(t *testing.T, e *engine.Engine) []string {
	var keys []string
	for _, kv := range contents(t, e) {
		keys = append(keys, kv[0])
	}
	return keys
}

// sameAnswer says how got differs from the engine's answer want, or
// returns nil. Which keys LSKEYS lists when it lists fewer than the store
// holds, and in which order, is not set: an LSKEYS answer (keys is the
// store's keys then) must list as many distinct keys of the store as the
// engine's.
func sameAnswer(want, got engine.Response, keys []string) error {
	w, ok := want.(engine.Array)
	if keys != nil && ok {
		g, ok := got.(engine.Array)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("got %s, want %d keys of %q", fmtResponse(got), len(w), keys)
		}
		seen := map[engine.Response]bool{}
		for _, k := range g {
			s, ok := k.(engine.String)
			if _, found := slices.BinarySearch(keys, string(s)); !ok || !found || seen[k] {
				return fmt.Errorf("got %s, want %d distinct keys of %q", fmtResponse(got), len(w), keys)
			}
			seen[k] = true
		}
		return nil
	}
	if !sameResponse(want, got) {
		return fmt.Errorf("got %s, the engine %s", fmtResponse(got), fmtResponse(want))
	}
	return nil
}

// sameResponse says whether two answers look the same to the user: an
// empty array is empty however it was made.
func sameResponse(a, b engine.Response) bool {
	aa, ok := a.(engine.Array)
	if !ok {
		return reflect.DeepEqual(a, b)
	}
	ba, ok := b.(engine.Array)
	return ok && slices.EqualFunc(aa, ba, sameResponse)
}

func chunkSizes(parts [][][]string) []int {
	out := make([]int, len(parts))
	for i, p := range parts {
		out[i] = len(p)
	}
	return out
}

// fmtScript shows a script one numbered query a line.
func fmtScript(script [][]string) string {
	var b strings.Builder
	for i, query := range script {
		fmt.Fprintf(&b, "%3d %s\n", i, conformance.FormatQuery(query))
	}
	return b.String()
}

// sameKeyViews compares the ways of finding keys besides queries, on the
// engine and the cluster: Len, RangeKeys, and KeysWithPrefix with
// prefixes of the keys of diffKeys, with and without a limit smaller than
// the matches. It says how they differ.
func sameKeyViews(t *testing.T, e *engine.Engine, s *cluster.Store) []string {
	var bad []string
	if g, w := s.Len(), e.Len(); g != w {
		bad = append(bad, fmt.Sprintf("Len() = %d, the engine %d", g, w))
	}
	var keys []string
	if err := s.RangeKeys(func(k string) error { keys = append(keys, k); return nil }); err != nil {
		bad = append(bad, fmt.Sprintf("RangeKeys: %v", err))
	}
	slices.Sort(keys)
	if w := storeKeys(t, e); !slices.Equal(keys, w) {
		bad = append(bad, fmt.Sprintf("RangeKeys gives %q, the engine %q", keys, w))
	}
	for _, p := range []string{"", "a", "ab", "\xff", "/"} {
		for _, limit := range []int{1, 1000} {
			gk, gc := s.KeysWithPrefix(p, limit, 1<<20)
			wk, wc := e.KeysWithPrefix(p, limit, 1<<20)
			slices.Sort(gk)
			slices.Sort(wk)
			// Which keys a limit below the matches leaves out is not set.
			if len(gk) != len(wk) || gc != wc || limit == 1000 && !slices.Equal(gk, wk) {
				bad = append(bad, fmt.Sprintf("KeysWithPrefix(%q, %d) = %q, complete %v; the engine %q, %v", p, limit, gk, gc, wk, wc))
			}
		}
	}
	return bad
}
