package cluster

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// Single-key actions. A key exists when its create revision is not 0: the
// comparisons of SET and UPDATE decide in the same transaction that writes.

// absent and present compare a key's existence inside a transaction.
func (s *Store) absent(k string) clientv3.Cmp {
	return clientv3.Compare(clientv3.CreateRevision(s.ks.key(k)), "=", 0)
}

func (s *Store) present(k string) clientv3.Cmp {
	return clientv3.Compare(clientv3.CreateRevision(s.ks.key(k)), ">", 0)
}

func (s *Store) put(k, v string) clientv3.Op { return clientv3.OpPut(s.ks.key(k), v) }

// getOne reads one key; answer makes the query's answer from its value.
func (s *Store) getOne(k string, answer func(v string) engine.Response) plan {
	return s.readPlan([]string{k}, func(extra ...clientv3.OpOption) []clientv3.Op {
		return []clientv3.Op{clientv3.OpGet(s.ks.key(k), extra...)}
	}, func(results []*pb.ResponseOp) engine.Response {
		kvs := results[0].GetResponseRange().Kvs
		if len(kvs) == 0 {
			return nilResp
		}
		return answer(string(kvs[0].Value))
	})
}

func (s *Store) planGet(k string) plan {
	return s.getOne(k, func(v string) engine.Response { return engine.String(v) })
}

func (s *Store) planKeylen(k string) plan {
	return s.getOne(k, func(v string) engine.Response { return engine.Int(len(v)) })
}

// planSet puts k when it is missing.
func (s *Store) planSet(k, v string) plan {
	return s.condPlan("SET", []string{k}, false, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		if exists[k] {
			return nil, overwrite
		}
		return []clientv3.Op{s.put(k, v)}, okay
	})
}

// planUpdate puts k when it is there.
func (s *Store) planUpdate(k, v string) plan {
	return s.condPlan("UPDATE", []string{k}, true, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		if !exists[k] {
			return nil, nilResp
		}
		return []clientv3.Op{s.put(k, v)}, okay
	})
}
