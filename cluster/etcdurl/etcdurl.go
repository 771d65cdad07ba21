// Package etcdurl reads the URLs that name a keyspace of an etcd cluster,
// etcd://HOST:PORT[,HOST:PORT…][/KEYSPACE] and etcds://… . It imports no
// etcd code, so that a build of skysh without the etcd client can tell a
// cluster's URL from a path.
package etcdurl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// DefaultKeyspace is the keyspace of a URL that names none.
const DefaultKeyspace = "default"

// maxKeyspace bounds a keyspace name: it prefixes every key.
const maxKeyspace = 128

// keyspaceChars is the alphabet of keyspace names: no "/", so that the
// prefix of one keyspace is never the prefix of another's keys.
var keyspaceChars = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
})

// Address is a parsed cluster URL.
type Address struct {
	Endpoints []string // HOST:PORT, in the order given
	Keyspace  string
	TLS       bool // etcds://
}

// IsURL reports whether s is meant as a cluster's URL: it starts with
// etcd:// or etcds://. Parse says whether it is a good one.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "etcd://") || strings.HasPrefix(s, "etcds://")
}

// urlForm is what a cluster URL looks like, for error messages.
const urlForm = "etcd://HOST:PORT[,HOST:PORT...][/KEYSPACE] or etcds://... for TLS"

// Parse reads etcd://HOST:PORT[,HOST:PORT…][/KEYSPACE] or the same with
// etcds:// (TLS). The keyspace defaults to DefaultKeyspace and is made of
// letters, digits, '.', '_' and '-'. Credentials are refused: a password
// in a URL ends up in shell history and process lists.
func Parse(raw string) (Address, error) {
	bad := func(why string) (Address, error) {
		return Address{}, fmt.Errorf("bad cluster URL %q: %s; want %s", raw, why, urlForm)
	}
	var a Address
	rest, ok := strings.CutPrefix(raw, "etcd://")
	if !ok {
		if rest, ok = strings.CutPrefix(raw, "etcds://"); !ok {
			return bad("it must start with etcd:// or etcds://")
		}
		a.TLS = true
	}
	hosts, keyspace, _ := strings.Cut(rest, "/")
	if strings.ContainsAny(hosts, "@?#") {
		return bad("it may hold only endpoints and a keyspace (a user goes in --user, a password in SKYSH_PASSWORD)")
	}
	if hosts == "" {
		return bad("no endpoint")
	}
	for _, hp := range strings.Split(hosts, ",") {
		if err := checkEndpoint(hp); err != nil {
			return bad(err.Error())
		}
		a.Endpoints = append(a.Endpoints, hp)
	}
	switch {
	case keyspace == "":
		keyspace = DefaultKeyspace
	case len(keyspace) > maxKeyspace:
		return bad(fmt.Sprintf("the keyspace is longer than %d bytes", maxKeyspace))
	case !keyspaceChars().MatchString(keyspace):
		return bad(fmt.Sprintf("keyspace %q may hold only letters, digits, '.', '_' and '-'", keyspace))
	}
	a.Keyspace = keyspace
	return a, nil
}

// checkEndpoint accepts HOST:PORT with a port from 1 to 65535, an IPv6
// host in brackets.
func checkEndpoint(hp string) error {
	host, port, ok := splitHostPort(hp)
	if !ok {
		return fmt.Errorf("endpoint %q is not HOST:PORT", hp)
	}
	if host == "" {
		return fmt.Errorf("endpoint %q has no host", hp)
	}
	if !validHost(host, strings.HasPrefix(hp, "[")) {
		return fmt.Errorf("endpoint %q: the host may hold only letters, digits, '.', '-' and '_' (an IPv6 address goes in brackets)", hp)
	}
	if n, err := strconv.Atoi(port); err != nil || strings.TrimLeft(port, "0123456789") != "" || n < 1 || n > 65535 {
		return fmt.Errorf("endpoint %q: the port must be a number from 1 to 65535", hp)
	}
	return nil
}

// validHost accepts a host name or IPv4 address, or inside brackets an
// IPv6 address with an optional zone (fe80::1%eth0): nothing a resolver
// would not take, such as spaces or control bytes.
func validHost(host string, bracketed bool) bool {
	for _, r := range host {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
		case r == '_' && !bracketed:
		case (r == ':' || r == '%') && bracketed:
		default:
			return false
		}
	}
	return true
}

// String is the address as a URL.
func (a Address) String() string {
	scheme := "etcd://"
	if a.TLS {
		scheme = "etcds://"
	}
	return scheme + strings.Join(a.Endpoints, ",") + "/" + a.Keyspace
}

// splitHostPort is net.SplitHostPort for what an endpoint may be; package
// net is not imported for it, as a plain skysh would pay for its
// initialisation at every start.
func splitHostPort(hp string) (host, port string, ok bool) {
	if rest, bracketed := strings.CutPrefix(hp, "["); bracketed {
		host, port, ok = strings.Cut(rest, "]:")
		return host, port, ok && !strings.ContainsAny(host, "[]") && !strings.Contains(port, ":")
	}
	i := strings.LastIndexByte(hp, ':')
	if i < 0 || strings.ContainsAny(hp[:i], ":[]") {
		return "", "", false
	}
	return hp[:i], hp[i+1:], true
}
