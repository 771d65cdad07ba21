package cluster

import (
	"testing"

	"skysh/internal/etcdtest"
)

// TestSameCluster: two stores are on one cluster when they reach it
// through different members, and not when they reach two clusters, even
// two with the same ID (clusters started with the same settings have it):
// a lease one of them grants is unknown to the other.
func TestSameCluster(t *testing.T) {
	t.Parallel()
	shared := etcdtest.Shared(t)
	other := etcdtest.Start(t, etcdtest.Options{Members: 1})
	open := func(url string) *Store {
		s, err := Open(url, Options{})
		if err != nil {
			t.Fatalf("Open(%s): %v", url, err)
		}
		t.Cleanup(func() { s.Close(nil) })
		return s
	}
	first := open("etcd://" + shared.Endpoints()[0] + "/ks")
	third := open("etcd://" + shared.Endpoints()[2] + "/ks")
	elsewhere := open(other.URL("ks"))
	elsewhere.clusterID = first.clusterID
	for _, c := range []struct {
		name string
		a, b *Store
		want bool
	}{
		{"two members of one cluster", first, third, true},
		{"two clusters with the same ID", first, elsewhere, false},
		{"the other way round", elsewhere, third, false},
	} {
		if got, err := c.a.SameCluster(c.b); err != nil || got != c.want {
			t.Errorf("%s: SameCluster = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}
