package cluster_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestKeyspacesStayApart: keyspaces whose names are prefixes of each other
// ("k", "k.x", "k-") share nothing: DBSIZE, LSKEYS and FLUSHDB of one
// never see the others, and each key is stored in etcd as
// skysh/KEYSPACE/KEY, the empty key as the prefix alone.
func TestKeyspacesStayApart(t *testing.T) {
	c := etcdtest.Shared(t)
	base := keyspaceFor(t)
	names := []string{base, base + ".x", base + "-"}
	stores := make([]*cluster.Store, len(names))
	for i, name := range names {
		stores[i] = openURL(t, c.URL(name), cluster.Options{})
		mustRun(t, stores[i], engine.Status{Code: engine.Okay}, "SET", "", name)
		mustRun(t, stores[i], engine.Status{Code: engine.Okay}, "SET", "k/"+name, "v")
	}
	for i, s := range stores {
		mustRun(t, s, engine.Int(2), "DBSIZE")
		mustRun(t, s, engine.String(names[i]), "GET", "")
		if got := s.Exec(q("LSKEYS", "100")); !reflect.DeepEqual(got, engine.Array{engine.String(""), engine.String("k/" + names[i])}) {
			t.Errorf("LSKEYS in %s = %s", names[i], fmtResponse(got))
		}
	}
	mustRun(t, stores[0], engine.Status{Code: engine.Okay}, "FLUSHDB")
	mustRun(t, stores[0], engine.Int(0), "DBSIZE")
	mustRun(t, stores[1], engine.Int(2), "DBSIZE")
	mustRun(t, stores[2], engine.Int(2), "DBSIZE")

	cli := c.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "skysh/"+base+".x/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, kv := range resp.Kvs {
		got = append(got, string(kv.Key)+"="+string(kv.Value))
	}
	want := []string{"skysh/" + base + ".x/=" + base + ".x", "skysh/" + base + ".x/k/" + base + ".x=v"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("etcd holds %q, want %q", got, want)
	}
}
