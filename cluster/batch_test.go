package cluster_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestExecBatchAnswersAsOneByOne: long random scripts, run as one batch on
// the cluster and one query at a time on the engine, get the same answers
// in the same order and leave the same store. (TestDifferential runs many
// short ones, in batches of every size.)
func TestExecBatchAnswersAsOneByOne(t *testing.T) {
	c := etcdtest.Shared(t)
	for seed := range uint64(6) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			s := open(t, c, cluster.Options{})
			e := engine.New()
			script := newScriptGen(seed).script(250)
			got := s.ExecBatch(script)
			if len(got) != len(script) {
				t.Fatalf("%d answers to %d queries", len(got), len(script))
			}
			for i, q := range script {
				want := e.Exec(q)
				var keys []string // for LSKEYS, which lists any keys of the store
				if isLskeys(q) {
					keys = storeKeys(t, e)
				}
				if err := sameAnswer(want, got[i], keys); err != nil {
					t.Fatalf("query %d %s in a batch: %v", i, fmtQuery(q), err)
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
