package etcdtest_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"skysh/internal/etcdtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	etcdtest.CloseShared()
	os.Exit(code)
}

// put writes through cli and fails the test on an error.
func put(t *testing.T, cli *clientv3.Client, key, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := cli.Put(ctx, key, value); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// get reads key through cli.
func get(t *testing.T, cli *clientv3.Client, key string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	if len(resp.Kvs) == 0 {
		return ""
	}
	return string(resp.Kvs[0].Value)
}

// TestSharedClusterServes: the shared cluster has three members on
// loopback, reachable through every endpoint, and URL names them all.
func TestSharedClusterServes(t *testing.T) {
	c := etcdtest.Shared(t)
	if got := len(c.Endpoints()); got != 3 {
		t.Fatalf("%d endpoints, want 3", got)
	}
	cli := c.Client(t)
	put(t, cli, "k", "v")
	for _, ep := range c.Endpoints() {
		one, err := clientv3.New(clientv3.Config{Endpoints: []string{ep}, Logger: zap.NewNop()})
		if err != nil {
			t.Fatal(err)
		}
		if got := get(t, one, "k"); got != "v" {
			t.Errorf("read through %s: %q, want v", ep, got)
		}
		one.Close()
	}
	if got, want := c.URL("ks"), "etcd://"+strings.Join(c.Endpoints(), ",")+"/ks"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if c2 := etcdtest.Shared(t); c2 != c {
		t.Error("Shared started a second cluster")
	}
}

// TestKillLeaderAndRestart: killing the leader with SIGKILL leaves two
// members that elect another and keep every acknowledged write; the killed
// one comes back on its data and catches up. A follower stopped with
// SIGTERM ends, and comes back too.
func TestKillLeaderAndRestart(t *testing.T) {
	c := etcdtest.Start(t, etcdtest.Options{})
	cli := c.Client(t)
	put(t, cli, "before", "1")
	old := c.Leader(t)
	c.Kill(t, old)
	if c.Running(old) {
		t.Fatalf("member %d still runs after Kill", old)
	}
	if now := c.Leader(t); now == old {
		t.Fatalf("leader is still the killed member %d", old)
	}
	put(t, cli, "during", "2")
	// Two of three are left: the killed member comes back before a
	// follower is stopped, or the quorum would be lost.
	c.Restart(t, old)
	c.WaitHealthy(t)
	follower := (c.Leader(t) + 1) % 3
	c.Stop(t, follower)
	if c.Running(follower) {
		t.Fatalf("member %d still runs after Stop", follower)
	}
	put(t, cli, "stopped", "3")
	c.Restart(t, follower)
	c.WaitHealthy(t)
	one, err := clientv3.New(clientv3.Config{Endpoints: []string{c.Endpoints()[old]}, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	for k, want := range map[string]string{"before": "1", "during": "2", "stopped": "3"} {
		if got := get(t, one, k); got != want {
			t.Errorf("restarted member: %s = %q, want %q", k, got, want)
		}
	}
}

// TestTLSAndAuth: a TLS cluster refuses a client without a certificate and
// serves one with the CA and client certificate; with auth on, a wrong
// password is refused and root's is accepted.
func TestTLSAndAuth(t *testing.T) {
	c := etcdtest.Start(t, etcdtest.Options{TLS: true, Auth: true})
	if !strings.HasPrefix(c.URL("x"), "etcds://") {
		t.Errorf("URL = %q, want etcds://", c.URL("x"))
	}
	put(t, c.Client(t), "k", "v")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	plain, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), Logger: zap.NewNop(),
		Username: "root", Password: c.RootPassword, DialTimeout: 2 * time.Second})
	if err == nil {
		_, err = plain.Get(ctx, "k")
		plain.Close()
	}
	if err == nil {
		t.Error("a client without TLS read from the TLS cluster")
	}
	ca, cert, key := c.TLSFiles()
	tlsCfg := clientTLS(t, ca, cert, key)
	for password, ok := range map[string]bool{c.RootPassword: true, c.RootPassword + "x": false} {
		cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), Logger: zap.NewNop(), TLS: tlsCfg,
			Username: "root", Password: password, DialTimeout: 5 * time.Second})
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err = cli.Get(ctx, "k")
			cancel()
			cli.Close()
		}
		if (err == nil) != ok {
			t.Errorf("with the CA, client certificate and password %q: err = %v, want success %v", password, err, ok)
		}
	}
}

// clientTLS loads a client's TLS configuration from PEM files.
func clientTLS(t *testing.T, ca, cert, key string) *tls.Config {
	t.Helper()
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(ca)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("no certificate in %s", ca)
	}
	return &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}}
}
