package cluster

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// plan is how one query runs on the cluster. solo runs it by itself, with
// all a query alone may do: read a member's copy when there is no leader,
// try a transaction again when other clients changed its keys. A query
// that may share a transaction with others (ExecBatch) also says which
// keys it touches and, in one of three ways, what it does with them.
type plan struct {
	answer engine.Response // known without asking the cluster; nil otherwise
	solo   func() engine.Response

	// shared says the query may share a transaction: it names its keys
	// and fits in one (not the whole keyspace, not more keys than one
	// transaction holds).
	shared bool
	keys   []string // distinct

	// A read: its operations, and finish makes the answer from their
	// results.
	read ops
	// A write whatever exists: its operations (which put keys when puts
	// is set), and finish makes the answer from their results.
	write []clientv3.Op
	puts  bool
	// A write that depends on which of its keys exist: decide gives the
	// operations to make and the answer, given that; guess is what the
	// query expects at first (that its keys exist, or that none does).
	decide func(exists map[string]bool) ([]clientv3.Op, engine.Response)
	guess  bool

	finish func(results []*pb.ResponseOp) engine.Response
}

// Exec runs one query on the cluster with the engine's answers and codes.
func (s *Store) Exec(args []string) engine.Response {
	p := s.plan(args)
	return p.run()
}

// run is the query by itself.
func (p *plan) run() engine.Response {
	if p.answer != nil {
		return p.answer
	}
	return p.solo()
}

// readPlan is a query that reads keys: by itself it reads through the
// leader, or a member's copy when there is none.
func (s *Store) readPlan(keys []string, build ops, finish func([]*pb.ResponseOp) engine.Response) plan {
	return plan{shared: len(keys) <= s.maxOps, keys: keys, read: build, finish: finish, solo: func() engine.Response {
		ctx, cancel := s.queryContext()
		defer cancel()
		rd := reader{s: s}
		resp, refused := rd.read(ctx, build)
		if refused != nil {
			return refused
		}
		return finish(resp.Responses)
	}}
}

// writePlan is a query that writes keys whatever they hold: the
// operations write in one transaction.
func (s *Store) writePlan(action string, keys []string, write []clientv3.Op, puts bool, finish func([]*pb.ResponseOp) engine.Response) plan {
	t := txn{then: write, puts: puts}
	return plan{shared: s.overLimits(action, t) == nil, keys: keys, write: write, puts: puts, finish: finish, solo: func() engine.Response {
		ctx, cancel := s.queryContext()
		defer cancel()
		resp, refused := s.write(ctx, action, t)
		if refused != nil {
			return refused
		}
		return finish(resp.Responses)
	}}
}

// condPlan is a query whose writes depend on which of its keys exist. By
// itself it is one transaction on condition that its keys exist as
// guessed; when they do not, the same transaction reads which do, and
// decide says what to do then: nothing (the answer stands, as of that
// read), or writes on condition of what was read, tried again until they
// hold or the query's time is up.
func (s *Store) condPlan(action string, keys []string, guess bool, decide func(exists map[string]bool) ([]clientv3.Op, engine.Response)) plan {
	exists := make(map[string]bool, len(keys))
	for _, k := range keys {
		exists[k] = guess
	}
	first, _ := decide(exists)
	p := plan{keys: keys, decide: decide, guess: guess}
	p.shared = s.overLimits(action, s.condTxn(keys, exists, first)) == nil
	p.solo = func() engine.Response {
		ctx, cancel := s.queryContext()
		defer cancel()
		for {
			ops, answer := decide(exists)
			resp, refused := s.write(ctx, action, s.condTxn(keys, exists, ops))
			if refused != nil {
				return refused
			}
			if resp.Succeeded {
				return answer
			}
			learn(exists, keys, resp.Responses)
			if ops, answer := decide(exists); len(ops) == 0 {
				return answer // nothing to write, as of the read that failed the comparisons
			}
			if ctx.Err() != nil {
				return timedOut(action)
			}
		}
	}
	return p
}

// condTxn makes ops on condition that keys exist as exists says, reading
// whether each exists when they do not.
func (s *Store) condTxn(keys []string, exists map[string]bool, ops []clientv3.Op) txn {
	t := txn{then: ops}
	for _, k := range keys {
		if exists[k] {
			t.ifs = append(t.ifs, s.present(k))
		} else {
			t.ifs = append(t.ifs, s.absent(k))
		}
		t.els = append(t.els, clientv3.OpGet(s.ks.key(k), clientv3.WithCountOnly()))
	}
	for _, op := range ops {
		t.puts = t.puts || op.IsPut()
	}
	return t
}

// learn records which keys exist from the counts condTxn read.
func learn(exists map[string]bool, keys []string, results []*pb.ResponseOp) {
	for i, r := range results {
		exists[keys[i]] = r.GetResponseRange().Count > 0
	}
}

// timedOut is the answer to a query whose keys kept changing under it
// until its time was up.
func timedOut(action string) engine.Response {
	return engine.Status{Code: engine.ServerError,
		Detail: action + ": other clients kept changing the keys until the timeout; nothing was written"}
}

// alone is a query that runs only by itself.
func alone(run func() engine.Response) plan { return plan{solo: run} }

// answered is a query answered without the cluster.
func answered(r engine.Response) plan { return plan{answer: r} }
