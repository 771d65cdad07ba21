package cluster

import "fmt"

// probeTTL is how long the lease SameCluster grants lives if its revoke
// never arrives: it holds no key, so it costs the cluster nothing more.
const probeTTL = 10

// Keyspace is the name of the keyspace the store works in.
func (s *Store) Keyspace() string { return s.addr.Keyspace }

// SameCluster reports whether s and o are connected to one cluster,
// however their URLs name it: another member, another name or address of
// a host. A URL does not identify a cluster, and neither does its ID
// alone: clusters started with the same settings (etcd's defaults, say)
// have the same ID. So when the IDs match, s grants a lease, which holds
// no key, and o is asked whether it knows it; s then revokes it. An error
// means it could not be told.
func (s *Store) SameCluster(o *Store) (bool, error) {
	if s.clusterID != o.clusterID {
		return false, nil
	}
	ctx, cancel := s.queryContext()
	defer cancel()
	lease, err := s.cli.Grant(ctx, probeTTL)
	if err != nil {
		return false, fmt.Errorf("cannot tell whether %s and %s are one cluster: %w", s.addr, o.addr, explain(err))
	}
	defer s.cli.Revoke(ctx, lease.ID)
	octx, ocancel := o.queryContext()
	defer ocancel()
	seen, err := o.cli.TimeToLive(octx, lease.ID)
	if err != nil {
		return false, fmt.Errorf("cannot tell whether %s and %s are one cluster: %w", s.addr, o.addr, explain(err))
	}
	// A cluster that never granted the lease answers with a TTL of -1.
	return seen.TTL > 0, nil
}
