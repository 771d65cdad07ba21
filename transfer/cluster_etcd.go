//go:build etcd

package transfer

import (
	"fmt"

	"skysh/cluster"
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

// Flush deletes the keyspace a page at a time: FLUSHDB's one transaction
// outlasts the timeout on a large keyspace.
func (k clusterKeyspace) Flush() error {
	if err := k.s.DeleteAll(); err != nil {
		return fmt.Errorf("cannot empty the keyspace: %w; run the copy with --force again to finish", err)
	}
	return nil
}
