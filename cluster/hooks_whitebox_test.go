package cluster

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// AfterCommit makes every transaction s commits call after with whether
// its comparisons held, once the cluster has answered: a test runs another
// client's queries there, between two transactions of one query or run.
func (s *Store) AfterCommit(after func(succeeded bool)) {
	s.cli.KV = observedKV{s.cli.KV, after}
}

type observedKV struct {
	clientv3.KV
	after func(bool)
}

func (kv observedKV) Txn(ctx context.Context) clientv3.Txn {
	return observedTxn{kv.KV.Txn(ctx), kv.after}
}

type observedTxn struct {
	clientv3.Txn
	after func(bool)
}

func (t observedTxn) If(cs ...clientv3.Cmp) clientv3.Txn {
	return observedTxn{t.Txn.If(cs...), t.after}
}
func (t observedTxn) Then(ops ...clientv3.Op) clientv3.Txn {
	return observedTxn{t.Txn.Then(ops...), t.after}
}
func (t observedTxn) Else(ops ...clientv3.Op) clientv3.Txn {
	return observedTxn{t.Txn.Else(ops...), t.after}
}

func (t observedTxn) Commit() (*clientv3.TxnResponse, error) {
	resp, err := t.Txn.Commit()
	if err == nil {
		t.after(resp.Succeeded)
	}
	return resp, err
}
