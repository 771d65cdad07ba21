package cluster

import (
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// The S-actions are all or nothing: one transaction whose comparisons cover
// every key, so the check and the change are one step on the cluster, even
// with other clients writing the same keys.

func (s *Store) planSset(args []string) plan {
	keys, values := pairs(args, false)
	return s.condPlan("SSET", keys, false, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		if someAre(keys, exists, true) {
			return nil, overwrite
		}
		return s.putEach(keys, values), okay
	})
}

func (s *Store) planSupdate(args []string) plan {
	keys, values := pairs(args, false)
	return s.condPlan("SUPDATE", keys, true, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		if someAre(keys, exists, false) {
			return nil, nilResp
		}
		return s.putEach(keys, values), okay
	})
}

func (s *Store) planSdel(keys []string) plan {
	keys = distinct(keys)
	return s.condPlan("SDEL", keys, true, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		if someAre(keys, exists, false) {
			return nil, nilResp
		}
		return s.deleteEach(keys), okay
	})
}

// someAre reports whether some key's existence is want.
func someAre(keys []string, exists map[string]bool, want bool) bool {
	for _, k := range keys {
		if exists[k] == want {
			return true
		}
	}
	return false
}

// putEach puts each key's value.
func (s *Store) putEach(keys []string, values map[string]string) []clientv3.Op {
	out := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		out[i] = s.put(k, values[k])
	}
	return out
}

// deleteEach deletes each key, returning what it held with opts.
func (s *Store) deleteEach(keys []string, opts ...clientv3.OpOption) []clientv3.Op {
	out := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		out[i] = clientv3.OpDelete(s.ks.key(k), opts...)
	}
	return out
}
