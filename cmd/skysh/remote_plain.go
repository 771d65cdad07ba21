//go:build !etcd

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"skysh/backend"
)

// A plain build of skysh does not link the etcd client: its gRPC, protobuf
// and logging packages would double the start-up of every local run
// (`skysh -e HEYA`: 18 ms to 34 ms, and a garbage collection), whose
// package initialisation no flag can skip. With --endpoint, skysh hands the
// whole command line to skysh-etcd, the same skysh built with the client
// (go build -tags etcd -o skysh-etcd ./cmd/skysh), found beside it or on
// PATH. The process is replaced, not forked: pid, terminal, pipes, signals
// and exit status stay the user's.

// etcdBuild names the build with the etcd client.
const etcdBuild = "skysh-etcd"

// handedOver is set in the environment of skysh-etcd by the plain build:
// a plain build that finds it set was itself started as skysh-etcd, and
// must not hand over again.
const handedOver = "SKYSH_ETCD_HANDOVER"

// withEtcd replaces this process with skysh-etcd, given the same
// arguments; it returns only when that cannot be done, saying why.
func withEtcd() error {
	if os.Getenv(handedOver) != "" {
		return fmt.Errorf("%s was built without the etcd client; build it with: go build -tags etcd -o %s ./cmd/skysh", os.Args[0], etcdBuild)
	}
	path, err := findEtcdBuild()
	if err != nil {
		return err
	}
	env := append(os.Environ(), handedOver+"=1")
	return fmt.Errorf("cannot start %s: %w", path, syscall.Exec(path, append([]string{path}, os.Args[1:]...), env))
}

// findEtcdBuild looks for skysh-etcd beside this executable (as started,
// then with symbolic links resolved), then on PATH.
func findEtcdBuild() (string, error) {
	var tried []string
	if exe, err := os.Executable(); err == nil {
		dirs := []string{filepath.Dir(exe)}
		if real, err := filepath.EvalSymlinks(exe); err == nil && filepath.Dir(real) != dirs[0] {
			dirs = append(dirs, filepath.Dir(real))
		}
		for _, dir := range dirs {
			p := filepath.Join(dir, etcdBuild)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				return p, nil
			}
			tried = append(tried, dir)
		}
	}
	if p, err := exec.LookPath(etcdBuild); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("--endpoint needs %s, skysh built with the etcd client, beside skysh (looked in %v) or on PATH; "+
		"build it with: go build -tags etcd -o %s ./cmd/skysh", etcdBuild, tried, etcdBuild)
}

// openCluster is never reached in this build: withEtcd has replaced the
// process, or failed.
func openCluster(chan os.Signal, remoteSettings, string, func(bool, string)) (backend.Store, os.Signal, error) {
	return nil, nil, errors.New("this skysh has no etcd client")
}
