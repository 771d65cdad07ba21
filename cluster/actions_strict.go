package cluster

import (
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// The S-actions are all or nothing: one transaction whose comparisons cover
// every key, so the check and the change are one step on the cluster, even
// with other clients writing the same keys.

func (s *Store) actSset(args []string) engine.Response {
	keys, values := pairs(args, false)
	ifs := make([]clientv3.Cmp, len(keys))
	then := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		ifs[i], then[i] = s.absent(k), s.put(k, values[k])
	}
	return s.ifThenPut("SSET", ifs, then, overwrite)
}

func (s *Store) actSupdate(args []string) engine.Response {
	keys, values := pairs(args, false)
	ifs := make([]clientv3.Cmp, len(keys))
	then := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		ifs[i], then[i] = s.present(k), s.put(k, values[k])
	}
	return s.ifThenPut("SUPDATE", ifs, then, nilResp)
}

func (s *Store) actSdel(keys []string) engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	keys = distinct(keys)
	ifs := make([]clientv3.Cmp, len(keys))
	then := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		ifs[i], then[i] = s.present(k), clientv3.OpDelete(s.ks.key(k))
	}
	resp, refused := s.write(ctx, "SDEL", txn{ifs: ifs, then: then})
	switch {
	case refused != nil:
		return refused
	case !resp.Succeeded:
		return nilResp
	}
	return okay
}
