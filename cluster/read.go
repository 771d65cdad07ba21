package cluster

import (
	"context"
	"errors"
	"maps"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// ops builds the operations of a read, each with the extra options given
// (a revision to read at; serializable, to read one member's copy).
type ops func(extra ...clientv3.OpOption) []clientv3.Op

// reader reads at one revision across several requests: the first fixes
// the revision, the others read at it. Its zero value is ready.
type reader struct {
	s          *Store
	rev        int64 // 0 until the first read
	memberCopy bool  // the first read came from one member's copy
	compacted  bool  // a read failed: the cluster compacted rev away
}

// fallbackShare is the part of a query's time a linearizable read may take
// before the read falls back to one member's copy.
const fallbackShare = 4 // a quarter of the timeout is kept for the fallback

// read runs a read-only transaction of build's operations. It reads
// through the leader (linearizable: it sees every acknowledged write);
// when the cluster has no leader, or cannot confirm one in time, it reads
// one member's copy (serializable), which may be stale, and says so once
// on the log. A failure is the answer to give.
func (rd *reader) read(ctx context.Context, build ops) (*clientv3.TxnResponse, engine.Response) {
	var extra []clientv3.OpOption
	if rd.rev > 0 {
		extra = append(extra, clientv3.WithRev(rd.rev))
	}
	if !rd.memberCopy {
		resp, r, ok := rd.s.linearizable(ctx, build, extra)
		if ok {
			rd.s.readFrom(false)
			if rd.rev == 0 {
				// A read at a revision answers with the newest one in
				// its header: only the first read sets it.
				rd.rev = resp.Header.Revision
			}
			return resp, nil
		}
		if r.kind == kindNone {
			rd.compacted = r.compacted
			return nil, readFailed(r)
		}
		rd.s.refused(r)
	}
	resp, r, ok := rd.s.serializable(ctx, build, extra)
	if !ok {
		rd.s.refused(r)
		rd.compacted = r.compacted
		return nil, readFailed(r)
	}
	rd.s.readFrom(true)
	if rd.rev == 0 {
		rd.rev, rd.memberCopy = resp.Header.Revision, true
	}
	return resp, nil
}

// linearizable tries a read through the leader until it succeeds, fails
// for a reason of its own (a denied permission), or the cluster shows it
// cannot serve one now: no leader, or no confirmation in most of the time
// the query has. Broken connections are tried again meanwhile.
func (s *Store) linearizable(ctx context.Context, build ops, extra []clientv3.OpOption) (*clientv3.TxnResponse, refusal, bool) {
	budget := s.opts.Timeout - s.opts.Timeout/fallbackShare
	lctx, cancel := context.WithTimeout(clientv3.WithRequireLeader(ctx), budget)
	defer cancel()
	for backoff := firstBackoff; ; backoff = min(2*backoff, maxBackoff) {
		resp, err := s.cli.Txn(lctx).Then(build(extra...)...).Commit()
		if err == nil {
			s.accepted(false)
			return resp, refusal{}, true
		}
		reachable := s.reachable()
		r := classify(err, reachable)
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && reachable {
			// Only the linearizable share ran out, with a member there.
			r = refusal{kind: kindTimeout, reason: "the cluster did not confirm a read in time"}
		}
		if (r.retry || r.kind == kindUnreachable) && lctx.Err() == nil && sleep(lctx, backoff) {
			continue
		}
		return nil, r, false
	}
}

// serializable reads one member's copy, trying again while the connection
// breaks or the member is behind the revision asked for, until ctx ends.
func (s *Store) serializable(ctx context.Context, build ops, extra []clientv3.OpOption) (*clientv3.TxnResponse, refusal, bool) {
	extra = append(extra, clientv3.WithSerializable())
	for backoff := firstBackoff; ; backoff = min(2*backoff, maxBackoff) {
		resp, err := s.cli.Txn(ctx).Then(build(extra...)...).Commit()
		if err == nil {
			return resp, refusal{}, true
		}
		r := classify(err, s.reachable())
		again := r.retry || r.kind == kindUnreachable || errors.Is(err, rpctypes.ErrFutureRev)
		if again && ctx.Err() == nil && sleep(ctx, backoff) {
			continue
		}
		return nil, r, false
	}
}

// readFailed is the answer to a read the cluster did not serve.
func readFailed(r refusal) engine.Response {
	return engine.Status{Code: engine.ServerError, Detail: "cannot read from the cluster: " + r.reason}
}

// getMany reads distinct keys at one revision, in transactions of at most
// MaxOps reads: the map holds each key found and its value ("" with
// keysOnly). When the cluster compacts the revision before the last of
// them (its --auto-compaction may, at any moment), it reads them all again
// at a new one, as long as the query has time.
func (s *Store) getMany(keys []string, keysOnly bool) (map[string]string, engine.Response) {
	ctx, cancel := s.queryContext()
	defer cancel()
	for {
		rd := reader{s: s}
		values, refused := s.getAt(ctx, &rd, keys, keysOnly)
		if refused == nil || !rd.compacted || ctx.Err() != nil {
			return values, refused
		}
	}
}

// getAt reads keys in transactions of at most MaxOps reads, all at rd's
// revision.
func (s *Store) getAt(ctx context.Context, rd *reader, keys []string, keysOnly bool) (map[string]string, engine.Response) {
	values := make(map[string]string, len(keys))
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), s.maxOps)]
		keys = keys[len(chunk):]
		resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
			return s.gets(chunk, keysOnly, extra)
		})
		if refused != nil {
			return nil, refused
		}
		maps.Copy(values, found(chunk, keysOnly, resp.Responses))
	}
	return values, nil
}
