// Package cluster is skysh's store on an etcd v3 cluster: the same query
// language, answers, codes and all-or-nothing guarantees as the local
// engine, with the data replicated by Raft and every acknowledged write on
// a quorum of disks. Each query is one etcd transaction (reads of many
// keys, several at one revision); a keyspace, a key prefix, lets several
// datasets share a cluster.
package cluster

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"skysh/backend"
)

// Options configure a Store.
type Options struct {
	// User and Password authenticate with the cluster when User is set.
	User, Password string
	// CACert verifies the members' certificates (etcds://); empty uses the
	// system's roots. Cert and Key are a client certificate, for clusters
	// that require one.
	CACert, Cert, Key string
	// Timeout bounds each query, retries included; 0 means DefaultTimeout.
	Timeout time.Duration
	// DataDir is the local data directory MKSNAP exports snapshots into;
	// without one MKSNAP answers err-snapshot-disabled, as the engine does
	// without a data directory.
	DataDir string
	// MaxTxnOps is the cluster's --max-txn-ops; 0 means etcd's default, 128.
	MaxTxnOps int
	// MaxRequestBytes is the cluster's --max-request-bytes; 0 means etcd's
	// default, 1.5 MiB.
	MaxRequestBytes int
	// Log receives notes for the user (a read answered from a member that
	// may be behind); nil discards them.
	Log io.Writer
	// OnPoison, if set, is called each time the cluster starts or stops
	// refusing writes, from the goroutine that found out.
	OnPoison func(poisoned bool, reason string)
}

// Defaults: etcd's own limits and a timeout long enough for an election.
const (
	DefaultTimeout         = 5 * time.Second
	DefaultMaxTxnOps       = 128
	DefaultMaxRequestBytes = 1536 * 1024
)

// Store is a keyspace of an etcd cluster. It is safe for concurrent use.
type Store struct {
	addr    Address
	ks      keyspace
	opts    Options
	cli     *clientv3.Client
	ctx     context.Context // ended by Close: queries in flight give up
	cancel  context.CancelFunc
	maxOps  int
	maxSize int
	// clusterID is the cluster's ID as the member that answered Open's
	// check gave it: see SameCluster.
	clusterID uint64

	poison poisonState
	stale  staleNote
	probe  sync.WaitGroup // the prober, while one runs
}

// Interface checks: a cluster is a remote store.
var _ backend.Remote = (*Store)(nil)

// Open connects to the cluster at url (see ParseURL) and checks that the
// keyspace can be read, within the timeout. The cluster may be without a
// leader (reads are then served, writes refused); it must be reachable.
func Open(url string, o Options) (*Store, error) {
	addr, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxTxnOps <= 0 {
		o.MaxTxnOps = DefaultMaxTxnOps
	}
	if o.MaxRequestBytes <= 0 {
		o.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	cfg, err := clientConfig(addr, o)
	if err != nil {
		return nil, err
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		// With a user, New logs in, and fails as a first read would.
		return nil, openError(addr, cfg, err, false)
	}
	s := &Store{addr: addr, ks: newKeyspace(addr.Keyspace), opts: o, cli: cli,
		maxOps: o.MaxTxnOps, maxSize: o.MaxRequestBytes}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.check(); err != nil {
		reachable := s.reachable()
		s.Close(nil)
		return nil, openError(addr, cfg, err, reachable)
	}
	return s, nil
}

// openError says why Open failed. When no member could be reached it
// connects to the endpoints itself to find out why (see diagnose).
func openError(addr Address, cfg clientv3.Config, err error, reachable bool) error {
	if classify(err, reachable).kind == kindUnreachable {
		if why := diagnose(addr, cfg.TLS); why != "" {
			return fmt.Errorf("cannot connect to %s: %s", addr, why)
		}
	}
	return fmt.Errorf("cannot use %s: %w", addr, explain(err))
}

// clientConfig is the etcd client's configuration for addr.
func clientConfig(addr Address, o Options) (clientv3.Config, error) {
	cfg := clientv3.Config{
		Endpoints:   addr.Endpoints,
		DialTimeout: o.Timeout,
		// The store retries what is safe to retry itself, within the
		// query's timeout; the client's own retries would hide the
		// errors it decides on (no leader: read from a member instead).
		MaxUnaryRetries: 1,
		// Keep-alives notice a member that died without closing its
		// connections (a machine lost, not a process) within a timeout.
		DialKeepAliveTime:    o.Timeout,
		DialKeepAliveTimeout: o.Timeout,
		Logger:               zap.NewNop(),
	}
	if o.User != "" {
		if o.Password == "" {
			return cfg, errors.New("--user needs a password (SKYSH_PASSWORD, or typed at the terminal)")
		}
		cfg.Username, cfg.Password = o.User, o.Password
	}
	tlsFiles := o.CACert != "" || o.Cert != "" || o.Key != ""
	switch {
	case !addr.TLS && tlsFiles:
		return cfg, fmt.Errorf("--cacert, --cert and --key are for TLS: use an etcds:// URL (%s)", addr)
	case (o.Cert == "") != (o.Key == ""):
		return cfg, errors.New("--cert and --key go together: give both or neither")
	case !addr.TLS:
		return cfg, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.CACert != "" {
		pem, err := os.ReadFile(o.CACert)
		if err != nil {
			return cfg, fmt.Errorf("cannot read the CA certificate: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return cfg, fmt.Errorf("cannot read the CA certificate %s: no PEM certificate in it", o.CACert)
		}
	}
	if o.Cert != "" {
		pair, err := tls.LoadX509KeyPair(o.Cert, o.Key)
		if err != nil {
			return cfg, fmt.Errorf("cannot read the client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	cfg.TLS = tc
	return cfg, nil
}

// check reads the keyspace's size, as a member sees it: the cluster is
// reachable, the credentials hold, and the keyspace may be read.
func (s *Store) check() error {
	ctx, cancel := s.queryContext()
	defer cancel()
	resp, err := s.cli.Get(ctx, s.ks.prefix, clientv3.WithRange(s.ks.end), clientv3.WithCountOnly(), clientv3.WithSerializable())
	if err != nil {
		return err
	}
	s.clusterID = resp.Header.ClusterId
	return nil
}

// queryContext bounds one query by the timeout; Close ends it early.
func (s *Store) queryContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, s.opts.Timeout)
}

// Where names the cluster and keyspace, for the greeting.
func (s *Store) Where() string {
	return "etcd cluster " + strings.Join(s.addr.Endpoints, ",") + " keyspace " + s.addr.Keyspace
}

// Label names the keyspace in a word, for the prompt: etcd:KEYSPACE.
func (s *Store) Label() string { return "etcd:" + s.addr.Keyspace }

// Commit returns nil: a write is acknowledged only once a quorum of the
// cluster has it on disk.
func (s *Store) Commit() error { return nil }

// Close ends queries in flight, stops watching a refusing cluster and
// closes the connections. giveUp is not used: nothing is left to save.
func (s *Store) Close(giveUp <-chan struct{}) error {
	s.cancel()
	s.probe.Wait()
	return s.cli.Close()
}

// MaxOps is the most operations one transaction may hold: the most pairs
// PutBatch takes at once.
func (s *Store) MaxOps() int { return s.maxOps }
