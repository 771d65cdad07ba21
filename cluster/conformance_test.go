package cluster_test

import (
	"testing"

	"skysh/backend"
	"skysh/cluster"
	"skysh/internal/conformance"
	"skysh/internal/etcdtest"
)

// TestConformance holds the cluster to the query language's table of cases,
// the one the engine passes: each case on a fresh keyspace of the shared
// cluster.
func TestConformance(t *testing.T) {
	c := etcdtest.Shared(t)
	conformance.Run(t, func(t *testing.T) backend.Store { return open(t, c, cluster.Options{}) })
}
