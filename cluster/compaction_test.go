package cluster_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestManyKeyReadSurvivesCompaction: an MGET of more keys than one
// transaction holds reads them in several at the revision of the first.
// When the cluster compacts that revision in between (etcd's
// --auto-compaction does, on its own), the read starts again at a new
// revision and answers as the engine would, instead of failing. A cluster
// of its own: a compaction would fail the other tests' reads at one
// revision.
func TestManyKeyReadSurvivesCompaction(t *testing.T) {
	c := etcdtest.Start(t, etcdtest.Options{})
	url := c.URL(keyspaceFor(t))
	s := openURL(t, url, cluster.Options{MaxTxnOps: 2})
	other := openURL(t, url, cluster.Options{})
	cli := c.Client(t)
	mustRun(t, other, engine.Int(3), "USET", "a", "1", "b", "2", "c", "3")
	var once sync.Once
	s.AfterCommit(func(bool) {
		once.Do(func() {
			mustRun(t, other, engine.Status{Code: engine.Okay}, "UPDATE", "c", "new")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			resp, err := cli.Get(ctx, "any")
			if err == nil {
				_, err = cli.Compact(ctx, resp.Header.Revision)
			}
			if err != nil {
				t.Errorf("compacting: %v", err)
			}
		})
	})
	mustRun(t, s, engine.Array{engine.String("1"), engine.String("2"), engine.String("new")}, "MGET", "a", "b", "c")
}
