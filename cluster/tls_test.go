package cluster_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestTLSAndAuth: a cluster that serves TLS, requires client certificates
// and has auth on takes a store with the CA, a client certificate and the
// right password, and refuses every store that lacks one of them, each
// with a clear error at Open.
func TestTLSAndAuth(t *testing.T) {
	t.Parallel()
	c := etcdtest.Start(t, etcdtest.Options{TLS: true, Auth: true})
	ca, cert, key := c.TLSFiles()
	good := cluster.Options{User: "root", Password: c.RootPassword, CACert: ca, Cert: cert, Key: key}
	s := open(t, c, good)
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "k", "v")
	mustRun(t, s, engine.String("v"), "GET", "k")
	if !strings.HasPrefix(s.Where(), "etcd cluster 127.0.0.1:") {
		t.Errorf("Where() = %q", s.Where())
	}

	url := c.URL(keyspaceFor(t))
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fast := func(o cluster.Options) cluster.Options { o.Timeout = time.Second; return o }
	without := func(change func(*cluster.Options)) cluster.Options {
		o := fast(good)
		change(&o)
		return o
	}
	for _, tc := range []struct {
		name string
		url  string
		o    cluster.Options
		want string
	}{
		{"wrong password", url, without(func(o *cluster.Options) { o.Password += "x" }), "authentication failed"},
		{"unknown user", url, without(func(o *cluster.Options) { o.User = "nobody" }), "authentication failed"},
		{"no user", url, without(func(o *cluster.Options) { o.User, o.Password = "", "" }), "permission denied"},
		{"user without password", url, without(func(o *cluster.Options) { o.Password = "" }), "needs a password"},
		{"no client certificate", url, without(func(o *cluster.Options) { o.Cert, o.Key = "", "" }), "certificate"},
		{"cert without key", url, without(func(o *cluster.Options) { o.Key = "" }), "--cert and --key go together"},
		{"no CA", url, without(func(o *cluster.Options) { o.CACert = "" }), "certificate"},
		{"missing CA file", url, without(func(o *cluster.Options) { o.CACert = filepath.Join(t.TempDir(), "no.pem") }), "cannot read the CA certificate"},
		{"CA that is not PEM", url, without(func(o *cluster.Options) { o.CACert = notPEM }), "no PEM certificate"},
		{"plain URL", strings.Replace(url, "etcds://", "etcd://", 1), without(func(o *cluster.Options) { o.CACert, o.Cert, o.Key = "", "", "" }), "speaks TLS: use an etcds:// URL"},
		{"plain URL with TLS files", strings.Replace(url, "etcds://", "etcd://", 1), fast(good), "use an etcds:// URL"},
	} {
		s, err := cluster.Open(tc.url, tc.o)
		if err == nil {
			s.Close(nil)
			t.Errorf("%s: Open succeeded", tc.name)
			continue
		}
		t.Logf("%s: %v", tc.name, err)
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Open: %v; want it to say %q", tc.name, err, tc.want)
		}
		if strings.Contains(err.Error(), c.RootPassword) {
			t.Errorf("%s: the error shows the password: %v", tc.name, err)
		}
	}
}
