package cluster

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// txn is one etcd transaction: if every comparison holds, then runs, else
// els does. Each query that writes is one txn, so it is all or nothing.
type txn struct {
	ifs  []clientv3.Cmp
	then []clientv3.Op
	els  []clientv3.Op
	puts bool // then puts keys: success proves the cluster takes writes
}

// Backoff between tries of a request the cluster surely did not take: an
// election on a real cluster takes about a second.
const (
	firstBackoff = 10 * time.Millisecond
	maxBackoff   = 200 * time.Millisecond
)

// write runs t for action, trying again while the cluster surely did not
// act on it (no leader yet), until ctx ends. A failure is the answer to
// give: code 5 with the reason, which poisons the store when it is the
// cluster refusing writes. A transaction over the cluster's limits is
// refused before it is sent.
func (s *Store) write(ctx context.Context, action string, t txn) (*clientv3.TxnResponse, engine.Response) {
	if over := s.overLimits(action, t); over != nil {
		return nil, over
	}
	resp, r := s.commit(ctx, t)
	if r != nil {
		return nil, writeRefused(*r)
	}
	return resp, nil
}

// commit is write without the limits' check, failing with why.
func (s *Store) commit(ctx context.Context, t txn) (*clientv3.TxnResponse, *refusal) {
	// A member without a leader refuses at once instead of queueing the
	// request until one is elected.
	ctx = clientv3.WithRequireLeader(ctx)
	for backoff := firstBackoff; ; backoff = min(2*backoff, maxBackoff) {
		resp, err := s.cli.Txn(ctx).If(t.ifs...).Then(t.then...).Else(t.els...).Commit()
		if err == nil {
			s.accepted(t.puts && resp.Succeeded)
			return resp, nil
		}
		r := classify(err, s.reachable())
		if r.retry && sleep(ctx, backoff) {
			continue
		}
		s.refused(r)
		return nil, &r
	}
}

// writeRefused is the answer to a write the cluster did not complete.
func writeRefused(r refusal) engine.Response {
	if r.sent {
		return engine.Status{Code: engine.ServerError,
			Detail: r.reason + "; the write may or may not have been made: read the keys to find out"}
	}
	if r.kind == kindNone {
		return engine.Status{Code: engine.ServerError, Detail: r.reason}
	}
	return engine.Status{Code: engine.ServerError, Detail: "the cluster refuses writes: " + r.reason + "; nothing was written"}
}

// sleep waits for d, or less if ctx ends first; it reports whether ctx has
// time left.
func sleep(ctx context.Context, d time.Duration) bool {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
