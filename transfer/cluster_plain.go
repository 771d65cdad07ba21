//go:build !etcd

package transfer

import "errors"

// A plain build does not link the etcd client (see cmd/skysh's
// remote_plain.go): skysh hands a copy with an etcd side over to
// skysh-etcd, built with -tags etcd, before it gets here.

// errNoEtcd is returned for an etcd side by a build without the etcd
// client.
var errNoEtcd = errors.New("this build of skysh has no etcd client (build it with -tags etcd)")

func dialKeyspace(string, ClusterOptions) (keyspace, error) { return nil, errNoEtcd }
