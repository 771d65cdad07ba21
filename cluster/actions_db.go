package cluster

import (
	"strconv"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// Whole-keyspace actions: each covers the keyspace's range of etcd keys and
// nothing outside it.

// defaultLskeys is how many keys LSKEYS lists without a count, as in the engine.
const defaultLskeys = 10

// all is the keyspace's whole range, with more options.
func (s *Store) all(opts ...clientv3.OpOption) []clientv3.OpOption {
	return append([]clientv3.OpOption{clientv3.WithRange(s.ks.end)}, opts...)
}

func (s *Store) actDbsize() engine.Response {
	n, refused := s.count()
	if refused != nil {
		return refused
	}
	return engine.Int(n)
}

// count is the number of keys in the keyspace.
func (s *Store) count() (int64, engine.Response) {
	ctx, cancel := s.queryContext()
	defer cancel()
	rd := reader{s: s}
	resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		return []clientv3.Op{clientv3.OpGet(s.ks.prefix, s.all(append(extra, clientv3.WithCountOnly())...)...)}
	})
	if refused != nil {
		return 0, refused
	}
	return resp.Responses[0].GetResponseRange().Count, nil
}

func (s *Store) actFlushdb() engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	if _, refused := s.write(ctx, "FLUSHDB", txn{then: []clientv3.Op{clientv3.OpDelete(s.ks.prefix, s.all()...)}}); refused != nil {
		return refused
	}
	return okay
}

// planLskeys lists up to n keys, in key order. A count that is not a whole
// number from 0 to 2^31-1 is code 7, as in the engine.
func (s *Store) planLskeys(args []string) plan {
	n := int64(defaultLskeys)
	if len(args) == 1 {
		v, err := strconv.ParseUint(args[0], 10, 31)
		if err != nil {
			return answered(wrongtype)
		}
		n = int64(v)
	}
	if n == 0 {
		return answered(engine.Array{}) // etcd reads a limit of 0 as no limit
	}
	return alone(func() engine.Response { return s.lskeys(n) })
}

func (s *Store) lskeys(n int64) engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	rd := reader{s: s}
	resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		return []clientv3.Op{clientv3.OpGet(s.ks.prefix, s.all(append(extra, clientv3.WithKeysOnly(), clientv3.WithLimit(n))...)...)}
	})
	if refused != nil {
		return refused
	}
	kvs := resp.Responses[0].GetResponseRange().Kvs
	out := make(engine.Array, len(kvs))
	for i, kv := range kvs {
		out[i] = engine.String(s.ks.user(kv.Key))
	}
	return out
}
