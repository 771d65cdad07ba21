package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"
	"golang.org/x/term"

	"skysh/cluster/etcdurl"
)

// remoteSettings say which cluster to use instead of a data directory:
// from [remote] in the configuration file, then the command line.
type remoteSettings struct {
	endpoint string // "" for a local store
	user     string
	cacert   string
	cert     string
	key      string
	timeout  time.Duration // 0: cluster.DefaultTimeout
}

// remoteFlags declares the flags of a cluster.
func remoteFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.remote.endpoint, "endpoint", "", "")
	connectionFlags(fs, &o.remote.user, &o.remote.cacert, &o.remote.cert, &o.remote.key, &o.remote.timeout)
}

// connectionFlags declares how to reach a cluster, the same for the shell
// and for skysh copy: the login, the TLS files and the timeout.
func connectionFlags(fs *flag.FlagSet, user, cacert, cert, key *string, timeout *time.Duration) {
	fs.StringVar(user, "user", "", "")
	fs.StringVar(cacert, "cacert", "", "")
	fs.StringVar(cert, "cert", "", "")
	fs.StringVar(key, "key", "", "")
	fs.Func("timeout", "", func(v string) (err error) {
		*timeout, err = parseTimeout(v)
		return err
	})
}

// parseTimeout reads a timeout: a Go duration (500ms, 5s, 1m) or a bare
// number of seconds, more than zero.
func parseTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		secs, nerr := strconv.ParseFloat(v, 64)
		if nerr != nil {
			return 0, fmt.Errorf("want a duration such as 5s or 500ms, not %q", v)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 || d > time.Hour {
		return 0, fmt.Errorf("want a duration from 1ms to 1h, not %q", v)
	}
	return d, nil
}

// localOnlyFlags are the flags of a data directory's persistence, which
// mean nothing for a cluster.
var localOnlyFlags = []string{"restore", "saveduration", "nosave", "snapevery", "snapkeep", "stop-write-on-fail", "fsync", "nojournal"}

// remoteOnlyFlags mean nothing without a cluster.
var remoteOnlyFlags = []string{"user", "cacert", "cert", "key", "timeout"}

// checkRemote rejects flags that do not apply to the store chosen, once
// the configuration file has had its say on the endpoint.
func checkRemote(o *options, r remoteSettings) error {
	if r.endpoint == "" {
		for _, name := range remoteOnlyFlags {
			if o.set[name] {
				return fmt.Errorf("--%s is for a cluster: give one with --endpoint etcd://HOST:PORT/KEYSPACE", name)
			}
		}
		return nil
	}
	for _, name := range localOnlyFlags {
		if o.set[name] {
			return fmt.Errorf("--%s is for a local data directory; with --endpoint every acknowledged write is kept by the cluster", name)
		}
	}
	if _, err := etcdurl.Parse(r.endpoint); err != nil {
		return err
	}
	return nil
}

// resolveRemote merges [remote] from the configuration file with the
// command line, which overrides it.
func resolveRemote(o *options, file *remoteConfig) remoteSettings {
	var r remoteSettings
	if file != nil {
		for _, kv := range []struct {
			dst *string
			src *string
		}{{&r.endpoint, file.Endpoint}, {&r.user, file.User}, {&r.cacert, file.CACert}, {&r.cert, file.Cert}, {&r.key, file.Key}} {
			if kv.src != nil {
				*kv.dst = *kv.src
			}
		}
		if file.Timeout != nil {
			r.timeout = file.Timeout.d
		}
	}
	for name, kv := range map[string]struct{ dst, src *string }{
		"endpoint": {&r.endpoint, &o.remote.endpoint}, "user": {&r.user, &o.remote.user},
		"cacert": {&r.cacert, &o.remote.cacert}, "cert": {&r.cert, &o.remote.cert}, "key": {&r.key, &o.remote.key},
	} {
		if o.set[name] {
			*kv.dst = *kv.src
		}
	}
	if o.set["timeout"] {
		r.timeout = o.remote.timeout
	}
	return r
}

// remoteConfig is [remote] in the configuration file. A password has no
// key: it would sit in a file in clear.
type remoteConfig struct {
	Endpoint *string      `toml:"endpoint"`
	User     *string      `toml:"user"`
	CACert   *string      `toml:"cacert"`
	Cert     *string      `toml:"cert"`
	Key      *string      `toml:"key"`
	Timeout  *tomlTimeout `toml:"timeout"`
}

// tomlTimeout is a timeout in the configuration file: "5s", "500ms", or a
// number of seconds.
type tomlTimeout struct{ d time.Duration }

func (t *tomlTimeout) UnmarshalTOML(v any) error {
	var err error
	switch v := v.(type) {
	case string:
		t.d, err = parseTimeout(v)
	case int64:
		t.d, err = parseTimeout(strconv.FormatInt(v, 10))
	case float64:
		t.d, err = parseTimeout(strconv.FormatFloat(v, 'f', -1, 64))
	default:
		err = fmt.Errorf("want a duration such as \"5s\" or a number of seconds, not %v", v)
	}
	return err
}

// checkRemoteConfig checks [remote] once decoded; the endpoint's syntax is
// checked with the command line's (checkRemote), where the flag may
// override it.
func checkRemoteConfig(path string, src []byte, r *remoteConfig) error {
	if r.Endpoint != nil && *r.Endpoint != "" {
		if _, err := etcdurl.Parse(*r.Endpoint); err != nil {
			return &configError{path: path, line: lineOf(src, toml.Key{"remote", "endpoint"}), key: "remote.endpoint", msg: err.Error()}
		}
	}
	return nil
}

// passwordEnv holds the password of --user, for scripts.
const passwordEnv = "SKYSH_PASSWORD"

// password is the password of user: SKYSH_PASSWORD when set, else typed at
// the terminal without echo. It is never taken from the command line,
// where other users and the shell's history see it.
func password(user, where string) (string, error) {
	if pw, ok := os.LookupEnv(passwordEnv); ok {
		return pw, nil
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("--user %s needs a password: set %s, or run skysh at a terminal to type it", user, passwordEnv)
	}
	defer tty.Close()
	fmt.Fprintf(tty, "Password for %s on %s: ", user, where)
	pw, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("cannot read the password: %w", err)
	}
	return string(pw), nil
}

// announceClusterPoison tells a script's user on stderr each time the
// cluster starts or stops refusing writes.
func announceClusterPoison(poisoned bool, reason string) {
	if poisoned {
		fmt.Fprintf(stderr, "skysh: the cluster refuses writes: %s\n", reason)
		return
	}
	fmt.Fprintf(stderr, "skysh: the cluster takes writes again\n")
}
