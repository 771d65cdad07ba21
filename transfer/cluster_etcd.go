//go:build etcd

package transfer

import (
	"fmt"

	"skysh/cluster"
	"skysh/engine"
)

// dialKeyspace connects to the keyspace that url names.
func dialKeyspace(url string, o ClusterOptions) (keyspace, error) {
	s, err := cluster.Open(url, cluster.Options{
		User: o.User, Password: o.Password,
		CACert: o.CACert, Cert: o.Cert, Key: o.Key,
		Timeout: o.Timeout,
	})
	if err != nil {
		return nil, err
	}
	return clusterKeyspace{s}, nil
}

// clusterKeyspace is a cluster.Store as the etcd sides use it.
type clusterKeyspace struct{ s *cluster.Store }

func (k clusterKeyspace) RangeSorted(fn func(key, value string) error) error {
	return k.s.RangeSorted(fn)
}

func (k clusterKeyspace) PutBatch(pairs []pair) error {
	batch := make([]cluster.Pair, len(pairs))
	for i, p := range pairs {
		batch[i] = cluster.Pair{Key: p.key, Value: p.value}
	}
	return k.s.PutBatch(batch)
}

// Same compares the keyspaces' names, then asks the clusters.
func (k clusterKeyspace) Same(other keyspace) (bool, error) {
	o, ok := other.(clusterKeyspace)
	if !ok || k.s.Keyspace() != o.s.Keyspace() {
		return false, nil
	}
	return k.s.SameCluster(o.s)
}

func (k clusterKeyspace) MaxOps() int          { return k.s.MaxOps() }
func (k clusterKeyspace) Empty() (bool, error) { return k.s.Empty() }
func (k clusterKeyspace) Close() error         { return k.s.Close(nil) }

// Flush is FLUSHDB, which deletes the keyspace in one transaction.
func (k clusterKeyspace) Flush() error {
	r := k.s.Exec([]string{"FLUSHDB"})
	if st, ok := r.(engine.Status); ok && st.Code == engine.Okay {
		return nil
	}
	if st, ok := r.(engine.Status); ok && st.Detail != "" {
		return fmt.Errorf("cannot empty the keyspace: %s", st.Detail)
	}
	return fmt.Errorf("cannot empty the keyspace: %v", r)
}
