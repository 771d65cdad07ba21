package cluster

import (
	"context"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/backend"
	"skysh/engine"
)

// A script against a cluster would cost a network round trip per query.
// ExecBatch puts runs of consecutive queries into one transaction each,
// where that cannot change an answer: no key is named by two queries of a
// run, so none can see another's effect and their order does not matter,
// and a query over the whole keyspace (DBSIZE, FLUSHDB, LSKEYS, MKSNAP)
// runs alone. The writes that depend on which keys exist (SET, SSET,
// MSET, …) are made on condition that every one of their keys exists as
// they expect; when one does not, the same transaction reads which keys
// exist, each such query decides again, and the run is tried again, those
// with nothing left to write still comparing their keys: every query of a
// run is decided as of the one transaction that writes. Every operation
// stays at the top of the transaction, where etcd counts it against its
// limits and its quota (etcd 3.4 leaves the puts of nested transactions
// out of the quota).

// Interface check: a cluster takes queries in batches.
var _ backend.Batcher = (*Store)(nil)

// ExecBatch runs queries in their order and returns the answer to each,
// exactly what Exec would have answered had they run one by one, in as
// few transactions as that allows.
func (s *Store) ExecBatch(queries [][]string) []engine.Response {
	plans := make([]plan, len(queries))
	for i, q := range queries {
		plans[i] = s.plan(q)
	}
	out := make([]engine.Response, len(queries))
	for i := 0; i < len(plans); {
		n := s.runLength(plans[i:])
		if working(plans[i:i+n]) > 1 {
			s.runShared(plans[i:i+n], out[i:i+n])
		} else {
			for j := i; j < i+n; j++ {
				out[j] = plans[j].run()
			}
		}
		i += n
	}
	return out
}

// working counts the queries of a run that ask the cluster.
func working(run []plan) int {
	n := 0
	for i := range run {
		if run[i].answer == nil {
			n++
		}
	}
	return n
}

// runLength is how many of the plans, from the first, can share one
// transaction: until a key comes again, a query must run alone, or the
// transaction would hold more operations or bytes than the cluster takes.
// It is at least 1.
func (s *Store) runLength(plans []plan) int {
	seen := map[string]bool{}
	ops, size := 0, txnOverhead
	for j := range plans {
		p := &plans[j]
		if p.answer != nil {
			continue
		}
		if !p.shared {
			return max(j, 1)
		}
		for _, k := range p.keys {
			if seen[k] {
				return j
			}
		}
		o, sz := s.cost(p)
		if ops+o > s.maxOps || size+sz > s.maxSize {
			return max(j, 1)
		}
		for _, k := range p.keys {
			seen[k] = true
		}
		ops, size = ops+o, size+sz
	}
	return len(plans)
}

// cost is how many operations a query adds to each part of a shared
// transaction at most (comparisons, operations, reads of existence), and
// about how many bytes.
func (s *Store) cost(p *plan) (ops, size int) {
	var t txn
	switch {
	case p.read != nil:
		t.then = p.read()
	case p.decide != nil:
		exists := make(map[string]bool, len(p.keys))
		for _, k := range p.keys {
			exists[k] = p.guess
		}
		first, _ := p.decide(exists)
		t = s.condTxn(p.keys, exists, first)
	default:
		t.then = p.write
	}
	return max(len(t.ifs), len(t.then), len(t.els)), txnSize(t) - txnOverhead
}

// runShared runs a run of queries in one transaction and answers each.
func (s *Store) runShared(run []plan, out []engine.Response) {
	ctx, cancel := s.queryContext()
	defer cancel()
	for i := range run {
		out[i] = run[i].answer
	}
	if reads(run) {
		s.readShared(ctx, run, out)
		return
	}
	sh := newShared(run)
	for {
		t, at := sh.txn(s, run)
		resp, r := s.commit(ctx, t)
		if r != nil {
			s.refusedRun(run, out, sh.pending, *r)
			return
		}
		if resp.Succeeded {
			sh.answer(run, out, resp.Responses, at)
			return
		}
		// Some keys were not as their queries expected: each of those
		// queries decides again on what the transaction read, and the
		// run is tried again unless that leaves it nothing to do.
		sh.learn(run, out, resp.Responses)
		if len(sh.pending) == 0 {
			return
		}
		if ctx.Err() != nil {
			for _, i := range sh.pending {
				out[i] = run[i].solo()
			}
			return
		}
	}
}

// reads reports whether every query of the run that asks the cluster only
// reads.
func reads(run []plan) bool {
	for i := range run {
		if run[i].answer == nil && run[i].read == nil {
			return false
		}
	}
	return true
}

// readShared runs a run of reads as one read: through the leader, or from
// a member's copy without one.
func (s *Store) readShared(ctx context.Context, run []plan, out []engine.Response) {
	at := make([]int, len(run)+1)
	rd := reader{s: s}
	resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		var ops []clientv3.Op
		for i := range run {
			at[i] = len(ops)
			if run[i].answer == nil {
				ops = append(ops, run[i].read(extra...)...)
			}
		}
		at[len(run)] = len(ops)
		return ops
	})
	for i := range run {
		switch {
		case run[i].answer != nil:
		case refused != nil:
			out[i] = refused // neither the leader nor a member answered
		default:
			out[i] = run[i].finish(resp.Responses[at[i]:at[i+1]])
		}
	}
}

// shared is a run of queries with writes on its way through the cluster.
type shared struct {
	pending []int           // the queries still to run, in order
	exists  map[string]bool // what the conditional ones expect of their keys
	decided map[int]engine.Response
}

func newShared(run []plan) *shared {
	sh := &shared{exists: map[string]bool{}, decided: map[int]engine.Response{}}
	for i := range run {
		if run[i].answer != nil {
			continue
		}
		sh.pending = append(sh.pending, i)
		if run[i].decide != nil {
			for _, k := range run[i].keys {
				sh.exists[k] = run[i].guess
			}
		}
	}
	return sh
}

// txn is the transaction of the pending queries: the comparisons of the
// conditional ones, everyone's operations, and the reads of existence for
// when a comparison fails. at[i] is where query i's results start.
func (sh *shared) txn(s *Store, run []plan) (txn, map[int]int) {
	var t txn
	at := make(map[int]int, len(sh.pending))
	for _, i := range sh.pending {
		p := &run[i]
		at[i] = len(t.then)
		switch {
		case p.read != nil:
			t.then = append(t.then, p.read()...)
		case p.decide != nil:
			ops, answer := p.decide(sh.exists)
			sh.decided[i] = answer
			c := s.condTxn(p.keys, sh.exists, ops)
			t.ifs, t.els = append(t.ifs, c.ifs...), append(t.els, c.els...)
			t.then, t.puts = append(t.then, ops...), t.puts || c.puts
		default:
			t.then, t.puts = append(t.then, p.write...), t.puts || p.puts
		}
	}
	return t, at
}

// answer answers the pending queries from the results of their shared
// transaction.
func (sh *shared) answer(run []plan, out []engine.Response, results []*pb.ResponseOp, at map[int]int) {
	for n, i := range sh.pending {
		end := len(results)
		if n+1 < len(sh.pending) {
			end = at[sh.pending[n+1]]
		}
		if run[i].decide != nil {
			out[i] = sh.decided[i]
		} else {
			out[i] = run[i].finish(results[at[i]:end])
		}
	}
}

// learn records which keys exist from the reads of a transaction whose
// comparisons failed. When that read leaves every pending query with
// nothing to do, they are answered as of it; otherwise all stay pending,
// those with nothing to write as comparisons only, so that the whole run
// is decided as of the one transaction that writes. (Answering those at
// the failed read while the others write later would put a query's answer
// before the writes of the queries ahead of it: another client could see
// the two in the wrong order.)
func (sh *shared) learn(run []plan, out []engine.Response, results []*pb.ResponseOp) {
	var keys []string
	for _, i := range sh.pending {
		if run[i].decide != nil {
			keys = append(keys, run[i].keys...)
		}
	}
	learn(sh.exists, keys, results)
	answers := make([]engine.Response, len(sh.pending))
	for n, i := range sh.pending {
		p := &run[i]
		if p.decide == nil {
			return
		}
		ops, answer := p.decide(sh.exists)
		if len(ops) > 0 {
			return
		}
		answers[n] = answer
	}
	for n, i := range sh.pending {
		out[i] = answers[n]
	}
	sh.pending = nil
}

// refusedRun answers the pending queries of a run whose transaction the
// cluster refused, each as it would have been answered by itself, without
// waiting out the timeout once per query where the answer is known:
//   - a write gets the refusal when it is the cluster's state (no leader,
//     unreachable) or its outcome is unknown (it was made with the whole
//     run, or not at all);
//   - with no member reachable, or no answer in time, a read fails too;
//   - anything else runs by itself: a read without a leader is served from
//     a member's copy, under NOSPACE a query that only deletes is still
//     taken, and a query the cluster finds too large is refused alone.
func (s *Store) refusedRun(run []plan, out []engine.Response, pending []int, r refusal) {
	for _, i := range pending {
		p := &run[i]
		switch {
		case p.read != nil && (r.kind == kindUnreachable || r.kind == kindTimeout):
			out[i] = readFailed(r)
		case p.read != nil, !r.sent && (r.kind == kindNone || r.kind.alarm()):
			out[i] = p.solo()
		default:
			out[i] = writeRefused(r)
		}
	}
}
