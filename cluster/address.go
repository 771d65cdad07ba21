package cluster

import "skysh/cluster/etcdurl"

// Address is a parsed cluster URL (see etcdurl).
type Address = etcdurl.Address

// DefaultKeyspace is the keyspace of a URL that names none.
const DefaultKeyspace = etcdurl.DefaultKeyspace

// ParseURL reads a cluster URL: etcdurl.Parse.
func ParseURL(raw string) (Address, error) { return etcdurl.Parse(raw) }
