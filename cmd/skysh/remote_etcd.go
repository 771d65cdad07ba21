//go:build etcd

package main

import (
	"os"
	"os/signal"
	"strings"
	"syscall"

	"skysh/backend"
	"skysh/cluster"
)

// This build links the etcd client (go build -tags etcd): it is the
// skysh-etcd that a plain skysh hands --endpoint over to (remote_plain.go).

// withEtcd is nil: this build talks to clusters itself.
func withEtcd() error { return nil }

// openCluster connects to the cluster while watching for signals, as
// openEngine does for a data directory: a cluster that does not answer
// must not keep skysh from stopping on Ctrl-C.
func openCluster(signals chan os.Signal, r remoteSettings, dataDir string, onPoison func(bool, string)) (backend.Store, os.Signal, error) {
	o := cluster.Options{
		User: r.user, CACert: r.cacert, Cert: r.cert, Key: r.key,
		Timeout: r.timeout, DataDir: dataDir, Log: stderr, OnPoison: onPoison,
	}
	if r.user != "" {
		addr, _ := cluster.ParseURL(r.endpoint) // checked by checkRemote
		pw, err := password(r.user, strings.Join(addr.Endpoints, ","))
		if err != nil {
			return nil, nil, err
		}
		o.Password = pw
	}
	type opened struct {
		s   *cluster.Store
		err error
	}
	done := make(chan opened, 1)
	go func() {
		s, err := cluster.Open(r.endpoint, o)
		done <- opened{s, err}
	}()
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	select {
	case res := <-done:
		if res.err != nil {
			return nil, nil, res.err
		}
		return res.s, nil, nil
	case sig := <-signals:
		return nil, sig, nil
	}
}
