package cluster

import (
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

func (s *Store) actGet(k string) engine.Response {
	v, found, refused := s.get(k)
	switch {
	case refused != nil:
		return refused
	case !found:
		return nilResp
	}
	return engine.String(v)
}

func (s *Store) actKeylen(k string) engine.Response {
	v, found, refused := s.get(k)
	switch {
	case refused != nil:
		return refused
	case !found:
		return nilResp
	}
	return engine.Int(len(v))
}

func (s *Store) actSet(k, v string) engine.Response {
	return s.ifThenPut("SET", []clientv3.Cmp{s.absent(k)}, []clientv3.Op{s.put(k, v)}, overwrite)
}

func (s *Store) actUpdate(k, v string) engine.Response {
	return s.ifThenPut("UPDATE", []clientv3.Cmp{s.present(k)}, []clientv3.Op{s.put(k, v)}, nilResp)
}

// ifThenPut runs one conditional transaction: code 0 when every comparison
// held and then ran, else the answer otherwise.
func (s *Store) ifThenPut(action string, ifs []clientv3.Cmp, then []clientv3.Op, otherwise engine.Response) engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	resp, refused := s.write(ctx, action, txn{ifs: ifs, then: then, puts: true})
	switch {
	case refused != nil:
		return refused
	case !resp.Succeeded:
		return otherwise
	}
	return okay
}
