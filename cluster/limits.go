package cluster

import (
	"fmt"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// Encoding overheads, for the size of a request before it is sent: tags
// and lengths of each operation, and of the request around them. A little
// over what protobuf spends, so that a request judged small enough is.
const (
	opOverhead  = 16
	txnOverhead = 64
)

// overLimits refuses a transaction the cluster would refuse: more
// operations in one branch than --max-txn-ops, or more bytes than
// --max-request-bytes. The answer names the limit; nothing is sent, so
// nothing is written.
func (s *Store) overLimits(action string, t txn) engine.Response {
	if n := max(len(t.ifs), len(t.then), len(t.els)); n > s.maxOps {
		return engine.Status{Code: engine.ServerError, Detail: fmt.Sprintf(
			"%s needs %d operations in one transaction, and etcd allows at most %d (its --max-txn-ops): nothing was written",
			action, n, s.maxOps)}
	}
	if size := txnSize(t); size > s.maxSize {
		return engine.Status{Code: engine.ServerError, Detail: fmt.Sprintf(
			"%s is a request of %s, and etcd takes at most %s in one (its --max-request-bytes): nothing was written",
			action, bytesInWords(size), bytesInWords(s.maxSize))}
	}
	return nil
}

// txnSize is about how many bytes t takes on the wire, never less.
func txnSize(t txn) int {
	n := txnOverhead
	for i := range t.ifs {
		n += len(t.ifs[i].KeyBytes()) + len(t.ifs[i].ValueBytes()) + opOverhead
	}
	for _, branch := range [][]clientv3.Op{t.then, t.els} {
		for _, op := range branch {
			n += len(op.KeyBytes()) + len(op.RangeBytes()) + len(op.ValueBytes()) + opOverhead
		}
	}
	return n
}

// bytesInWords is a size as people read it: 1.5 MiB, 900 KiB, 12 bytes.
func bytesInWords(n int) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
