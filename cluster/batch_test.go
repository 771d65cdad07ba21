package cluster_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// randomScript is n queries of every kind over a few keys (the empty key
// and binary ones among them), so that runs of queries on distinct keys
// and queries that name a key again both come often.
func randomScript(r *rand.Rand, n int) [][]string {
	keys := []string{"a", "b", "c", "d", "", "\x00", "\xff"}
	key := func() string { return keys[r.IntN(len(keys))] }
	some := func(pairs bool) []string {
		var args []string
		for range 1 + r.IntN(3) {
			args = append(args, key())
			if pairs {
				args = append(args, fmt.Sprint(r.IntN(100)))
			}
		}
		return args
	}
	var script [][]string
	for range n {
		var q []string
		switch r.IntN(22) {
		case 0, 1:
			q = []string{"SET", key(), fmt.Sprint(r.IntN(100))}
		case 2:
			q = []string{"UPDATE", key(), fmt.Sprint(r.IntN(100))}
		case 3, 4:
			q = []string{"GET", key()}
		case 5:
			q = []string{"KEYLEN", key()}
		case 6:
			q = append([]string{"DEL"}, some(false)...)
		case 7:
			q = append([]string{"EXISTS"}, some(false)...)
		case 8:
			q = append([]string{"MGET"}, some(false)...)
		case 9:
			q = append([]string{"MSET"}, some(true)...)
		case 10:
			q = append([]string{"MUPDATE"}, some(true)...)
		case 11:
			q = append([]string{"USET"}, some(true)...)
		case 12:
			q = append([]string{"SSET"}, some(true)...)
		case 13:
			q = append([]string{"SUPDATE"}, some(true)...)
		case 14:
			q = append([]string{"SDEL"}, some(false)...)
		case 15:
			q = append([]string{"POP"}, some(false)...)
		case 16:
			q = []string{"DBSIZE"}
		case 17:
			if r.IntN(4) == 0 {
				q = []string{"FLUSHDB"}
			} else {
				q = []string{"HEYA"}
			}
		case 18:
			q = []string{"LSKEYS", fmt.Sprint(r.IntN(3) * 10)}
		case 19:
			q = []string{"GET"} // an arity error
		case 20:
			q = []string{"NOPE", key()}
		default:
			q = []string{"LSKEYS", "x"}
		}
		script = append(script, q)
	}
	return script
}

// TestExecBatchAnswersAsOneByOne: random scripts, run as one batch on the
// cluster and one query at a time on the engine, get the same answers in
// the same order and leave the same store.
func TestExecBatchAnswersAsOneByOne(t *testing.T) {
	c := etcdtest.Shared(t)
	for seed := range uint64(6) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			s := open(t, c, cluster.Options{})
			e := engine.New()
			script := randomScript(rand.New(rand.NewPCG(seed, 11)), 250)
			got := s.ExecBatch(script)
			if len(got) != len(script) {
				t.Fatalf("%d answers to %d queries", len(got), len(script))
			}
			for i, q := range script {
				want := e.Exec(q)
				g := got[i]
				if len(q) > 0 && q[0] == "LSKEYS" {
					want, g = someKeys(t, e, want, g) // which keys, and in which order, is open
				}
				if !reflect.DeepEqual(g, want) {
					t.Fatalf("query %d %s = %s in a batch, %s on the engine", i, fmtQuery(q), fmtResponse(g), fmtResponse(want))
				}
			}
			if g, w := contents(t, s), contents(t, e); !reflect.DeepEqual(g, w) {
				t.Errorf("after the batch the cluster holds %q, the engine %q", g, w)
			}
		})
	}
}

// TestExecBatchSharesTransactions: a script of SETs of distinct keys costs
// one transaction per 128 queries (etcd makes one revision per
// transaction), and one that names a key again splits there.
func TestExecBatchSharesTransactions(t *testing.T) {
	c := etcdtest.Shared(t)
	s := open(t, c, cluster.Options{})
	cli := c.Client(t)
	revision := func() int64 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		resp, err := cli.Get(ctx, "any")
		if err != nil {
			t.Fatal(err)
		}
		return resp.Header.Revision
	}
	var script [][]string
	for i := range 256 {
		script = append(script, q("SET", fmt.Sprint("k", i), "v"))
	}
	before := revision()
	for i, r := range s.ExecBatch(script) {
		if r != engine.Response(engine.Status{Code: engine.Okay}) {
			t.Fatalf("query %d: %s", i, fmtResponse(r))
		}
	}
	if got := revision() - before; got != 2 {
		t.Errorf("256 SETs of distinct keys made %d revisions, want 2 transactions", got)
	}
	before = revision()
	answers := s.ExecBatch([][]string{q("SET", "x", "1"), q("UPDATE", "x", "2"), q("USET", "y", "1"), q("GET", "x")})
	want := []engine.Response{engine.Status{Code: engine.Okay}, engine.Status{Code: engine.Okay}, engine.Int(1), engine.String("2")}
	if !reflect.DeepEqual(answers, want) {
		t.Errorf("answers %v, want %v", answers, want)
	}
	if got := revision() - before; got != 2 {
		t.Errorf("SET x, UPDATE x, USET y made %d revisions, want 2: x comes again", got)
	}
	// Guesses that fail: x exists for SET and MSET, zz does not for
	// UPDATE. The run reads that, and writes what is left in one more
	// transaction: one revision for all of it.
	before = revision()
	answers = s.ExecBatch([][]string{q("SET", "x", "9"), q("SET", "b", "1"), q("MSET", "y", "5", "c", "3"),
		q("UPDATE", "zz", "1"), q("USET", "u", "1"), q("GET", "nope"), q("POP", "k0")})
	want = []engine.Response{engine.Status{Code: engine.OverwriteError}, engine.Status{Code: engine.Okay}, engine.Int(1),
		engine.Status{Code: engine.Nil}, engine.Int(1), engine.Status{Code: engine.Nil}, engine.Array{engine.String("v")}}
	if !reflect.DeepEqual(answers, want) {
		t.Errorf("answers %v, want %v", answers, want)
	}
	if got := revision() - before; got != 1 {
		t.Errorf("the run made %d revisions, want 1", got)
	}
	mustRun(t, s, engine.Array{engine.String("2"), engine.String("1"), engine.String("1"), engine.String("3"), engine.String("1")},
		"MGET", "x", "b", "y", "c", "u")
}

// TestExecBatchOverLimits: a query over the cluster's limits in a batch is
// refused alone, with the answer it gets by itself, and the others run.
func TestExecBatchOverLimits(t *testing.T) {
	s := open(t, etcdtest.Shared(t), cluster.Options{})
	big := append(q("SSET"), manyPairs(129, "v")...)
	answers := s.ExecBatch([][]string{q("SET", "a", "1"), big, q("SET", "b", strings.Repeat("v", 2<<20)), q("SET", "c", "1")})
	if answers[0] != engine.Response(engine.Status{Code: engine.Okay}) || answers[3] != engine.Response(engine.Status{Code: engine.Okay}) ||
		!strings.Contains(detail(answers[1]), "at most 128") || !strings.Contains(detail(answers[2]), "1.5 MiB") {
		t.Errorf("answers: %v", answers)
	}
	mustRun(t, s, engine.Int(2), "DBSIZE")
}
