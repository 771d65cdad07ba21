// Package etcdtest starts real etcd clusters for tests: member processes of
// the etcd server installed on the machine (Debian's etcd-server,
// /usr/bin/etcd), on free loopback ports, with data in a temporary
// directory. Tests stop, kill and restart members to see what a client
// meets when a cluster loses a node, its leader or its quorum. etcd's
// embedded server package is deliberately not used: it takes minutes to
// build and is not the server users run.
package etcdtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Options shape a cluster.
type Options struct {
	// Members is how many members the cluster has; 0 means 3.
	Members int
	// QuotaBackendBytes is each member's --quota-backend-bytes: a tiny one
	// makes the cluster raise its NOSPACE alarm early. 0 keeps etcd's
	// default (2 GiB).
	QuotaBackendBytes int64
	// TLS serves clients over TLS with certificates made for the cluster,
	// and requires a client certificate signed by its CA (see TLSFiles).
	TLS bool
	// Auth turns authentication on, with a root user whose password is
	// RootPassword.
	Auth bool
}

// Cluster is a running etcd cluster. Its methods are for one test goroutine
// at a time.
type Cluster struct {
	opts    Options
	dir     string // everything the cluster writes, removed by Close
	members []*member
	token   string // --initial-cluster-token, unique per cluster
	certs   *certFiles
	// RootPassword is the root user's password when Options.Auth is set.
	RootPassword string
}

// Binary is the etcd server the clusters run.
const Binary = "/usr/bin/etcd"

// Deadlines for what a cluster on loopback does in well under a second,
// generous for a loaded machine running tests with the race detector.
const (
	startDeadline = 60 * time.Second
	stopDeadline  = 10 * time.Second
)

// startTries is how many sets of free ports start-up tries: a port found
// free can be taken by another process before etcd binds it.
const startTries = 5

// Start starts a cluster for the test and stops it, removing its data, when
// the test ends; it fails the test if the cluster cannot start.
func Start(t testing.TB, o Options) *Cluster {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("etcdtest: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// New starts a cluster; Close stops it. Start is New for one test; New is
// for a cluster shared by a package's tests (see Shared).
func New(o Options) (*Cluster, error) {
	if o.Members <= 0 {
		o.Members = 3
	}
	if _, err := os.Stat(Binary); err != nil {
		return nil, fmt.Errorf("no etcd server at %s (install Debian's etcd-server): %w", Binary, err)
	}
	dir, err := tempDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{opts: o, dir: dir, token: filepath.Base(dir)}
	if o.TLS {
		if c.certs, err = makeCerts(filepath.Join(dir, "tls")); err != nil {
			c.Close()
			return nil, err
		}
	}
	if err := c.start(); err != nil {
		c.Close()
		return nil, err
	}
	if o.Auth {
		if err := c.enableAuth(); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// tempDir makes the cluster's directory, in memory (/dev/shm) where there
// is one: etcd fsyncs every write, and the tests kill processes, not the
// machine, so a disk would only make them slower.
func tempDir() (string, error) {
	if dir, err := os.MkdirTemp("/dev/shm", "etcdtest-"); err == nil {
		return dir, nil
	}
	dir, err := os.MkdirTemp("", "etcdtest-")
	if err != nil {
		return "", fmt.Errorf("cannot make a directory for the cluster: %w", err)
	}
	return dir, nil
}

// start starts every member on free ports and waits until the cluster is
// healthy, trying new ports when a member cannot bind its own.
func (c *Cluster) start() error {
	var err error
	for try := 0; try < startTries; try++ {
		if err = c.startOnce(); err == nil {
			return nil
		}
		c.killAll()
		if !errors.Is(err, errBind) {
			return err
		}
	}
	return err
}

// startOnce is one attempt of start.
func (c *Cluster) startOnce() error {
	ports, err := freePorts(2 * c.opts.Members)
	if err != nil {
		return err
	}
	c.members = make([]*member, c.opts.Members)
	for i := range c.members {
		name := "m" + strconv.Itoa(i)
		data := filepath.Join(c.dir, name)
		// A failed attempt may have left a member's directory half made.
		if err := os.RemoveAll(data); err != nil {
			return err
		}
		c.members[i] = &member{
			name: name, dataDir: data, logPath: filepath.Join(c.dir, name+".log"),
			clientPort: ports[2*i], peerPort: ports[2*i+1],
		}
	}
	for i := range c.members {
		if err := c.launch(i, "new"); err != nil {
			return err
		}
	}
	return c.waitHealthy(startDeadline)
}

// launch starts member i's process; state is --initial-cluster-state.
func (c *Cluster) launch(i int, state string) error {
	m := c.members[i]
	scheme := "http"
	if c.certs != nil {
		scheme = "https"
	}
	clientURL := scheme + "://" + m.clientAddr()
	args := []string{
		"--name", m.name,
		"--data-dir", m.dataDir,
		"--listen-client-urls", clientURL,
		"--advertise-client-urls", clientURL,
		"--listen-peer-urls", m.peerURL(),
		"--initial-advertise-peer-urls", m.peerURL(),
		"--initial-cluster", c.initialCluster(),
		"--initial-cluster-state", state,
		"--initial-cluster-token", c.token,
		// Loopback answers in microseconds: short ticks make the first
		// election, and the one after a leader dies, take a fraction of
		// a second instead of seconds.
		"--heartbeat-interval", "50",
		"--election-timeout", "500",
		"--logger", "zap",
		"--log-outputs", m.logPath,
		"--log-level", "warn",
	}
	if c.opts.QuotaBackendBytes > 0 {
		args = append(args, "--quota-backend-bytes", strconv.FormatInt(c.opts.QuotaBackendBytes, 10))
	}
	if c.certs != nil {
		args = append(args,
			"--cert-file", c.certs.serverCert, "--key-file", c.certs.serverKey,
			"--trusted-ca-file", c.certs.ca, "--client-cert-auth")
	}
	return m.start(args)
}

// initialCluster is --initial-cluster: every member's name and peer URL.
func (c *Cluster) initialCluster() string {
	parts := make([]string, len(c.members))
	for i, m := range c.members {
		parts[i] = m.name + "=" + m.peerURL()
	}
	return strings.Join(parts, ",")
}

// Close stops every member and removes the cluster's data.
func (c *Cluster) Close() {
	c.killAll()
	os.RemoveAll(c.dir)
}

// killAll kills every running member and waits for it to end.
func (c *Cluster) killAll() {
	for _, m := range c.members {
		if m != nil {
			m.kill()
		}
	}
}

// Endpoints are the members' client addresses, HOST:PORT, in member order,
// running or not.
func (c *Cluster) Endpoints() []string {
	eps := make([]string, len(c.members))
	for i, m := range c.members {
		eps[i] = m.clientAddr()
	}
	return eps
}

// URL is skysh's address of a keyspace on the cluster:
// etcd://HOST:PORT,HOST:PORT,…/KEYSPACE, or etcds:// with TLS.
func (c *Cluster) URL(keyspace string) string {
	scheme := "etcd"
	if c.certs != nil {
		scheme = "etcds"
	}
	return scheme + "://" + strings.Join(c.Endpoints(), ",") + "/" + keyspace
}

// TLSFiles are the CA certificate, and a client certificate and key it
// signed, of a cluster started with Options.TLS; "" without it.
func (c *Cluster) TLSFiles() (ca, cert, key string) {
	if c.certs == nil {
		return "", "", ""
	}
	return c.certs.ca, c.certs.clientCert, c.certs.clientKey
}

// Client returns a client of the whole cluster, as root when auth is on,
// closed when the test ends.
func (c *Cluster) Client(t testing.TB) *clientv3.Client {
	t.Helper()
	cli, err := c.client(c.Endpoints()...)
	if err != nil {
		t.Fatalf("etcdtest: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// client connects to the given endpoints with the cluster's credentials.
func (c *Cluster) client(endpoints ...string) (*clientv3.Client, error) {
	cfg := clientv3.Config{
		Endpoints:   endpoints,
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
	}
	if c.certs != nil {
		tlsCfg, err := c.certs.clientConfig()
		if err != nil {
			return nil, err
		}
		cfg.TLS = tlsCfg
	}
	if c.RootPassword != "" {
		cfg.Username, cfg.Password = "root", c.RootPassword
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to the cluster: %w", err)
	}
	return cli, nil
}

// enableAuth adds the root user with a new password and turns auth on.
func (c *Cluster) enableAuth() error {
	cli, err := c.client(c.Endpoints()...)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), startDeadline)
	defer cancel()
	password := "pw-" + c.token
	if _, err := cli.UserAdd(ctx, "root", password); err != nil {
		return fmt.Errorf("cannot add the root user: %w", err)
	}
	if _, err := cli.UserGrantRole(ctx, "root", "root"); err != nil {
		return fmt.Errorf("cannot grant root the root role: %w", err)
	}
	if _, err := cli.AuthEnable(ctx); err != nil {
		return fmt.Errorf("cannot enable auth: %w", err)
	}
	c.RootPassword = password
	return nil
}
