package etcdtest

import (
	"sync"
	"testing"
)

// shared is the cluster a test package's tests share: one start-up for all
// of them, each test in a keyspace of its own.
var shared struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Shared returns the package's shared 3-member cluster, started at the
// first call. Tests must not stop its members or change its settings (use
// Start for that), and should keep to keyspaces of their own. The package's
// TestMain stops it with CloseShared; without that, its members die with
// the test process but their data directory stays behind.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	shared.once.Do(func() { shared.c, shared.err = New(Options{}) })
	if shared.err != nil {
		t.Fatalf("etcdtest: %v", shared.err)
	}
	return shared.c
}

// CloseShared stops the shared cluster, if one was started.
func CloseShared() {
	if shared.c != nil {
		shared.c.Close()
	}
}
