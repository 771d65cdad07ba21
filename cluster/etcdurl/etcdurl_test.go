package etcdurl_test

import (
	"reflect"
	"strings"
	"testing"

	"skysh/cluster/etcdurl"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want etcdurl.Address
	}{
		{"etcd://127.0.0.1:2379", etcdurl.Address{Endpoints: []string{"127.0.0.1:2379"}, Keyspace: "default"}},
		{"etcd://127.0.0.1:2379/", etcdurl.Address{Endpoints: []string{"127.0.0.1:2379"}, Keyspace: "default"}},
		{"etcd://a:1,b:2,c:3/users", etcdurl.Address{Endpoints: []string{"a:1", "b:2", "c:3"}, Keyspace: "users"}},
		{"etcds://[::1]:2379/K.v_1-2", etcdurl.Address{Endpoints: []string{"[::1]:2379"}, Keyspace: "K.v_1-2", TLS: true}},
		{"etcd://[fe80::1%eth0]:2379,my_host-1.example:1", etcdurl.Address{Endpoints: []string{"[fe80::1%eth0]:2379", "my_host-1.example:1"}, Keyspace: "default"}},
	} {
		got, err := etcdurl.Parse(tc.url)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.url, got, err, tc.want)
		}
		if again, err := etcdurl.Parse(got.String()); err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("ParseURL(%q).String() = %q, which parses as %+v, %v", tc.url, got.String(), again, err)
		}
	}
	for url, why := range map[string]string{
		"":                           "etcd:// or etcds://",
		"127.0.0.1:2379":             "etcd:// or etcds://",
		"http://127.0.0.1:2379":      "etcd:// or etcds://",
		"etcd://":                    "no endpoint",
		"etcd:///ks":                 "no endpoint",
		"etcd://host":                "not HOST:PORT",
		"etcd://::1:2379":            "not HOST:PORT",
		"etcd://[::1]2379":           "not HOST:PORT",
		"etcd://[::1:2379":           "not HOST:PORT",
		"etcd://[]:2379":             "no host",
		"etcd://host:":               "port must be",
		"etcd://:2379":               "no host",
		"etcd://host:0":              "port must be",
		"etcd://host:65536":          "port must be",
		"etcd://host:x":              "port must be",
		"etcd://a:1,,b:2":            "not HOST:PORT",
		"etcd:// :1":                 "the host may hold only",
		"etcd://h\x1bx:1":            "the host may hold only",
		"etcd://[::1 ]:1":            "the host may hold only",
		"etcd://host:+1":             "port must be",
		"etcd://user:pw@host:1/ks":   "--user",
		"etcd://host:1/a/b":          "keyspace",
		"etcd://host:1/sp ace":       "keyspace",
		"etcd://host:1/\xff":         "keyspace",
		"etcd://host:1?x=1":          "--user",
		"etcd://host:1/" + long(129): "longer than 128",
	} {
		_, err := etcdurl.Parse(url)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseURL(%q) = %v, want an error saying %q", url, err, why)
		}
	}
}

func long(n int) string { return strings.Repeat("k", n) }

func TestIsURL(t *testing.T) {
	for s, want := range map[string]bool{"etcd://h:1": true, "etcds://h:1/k": true, "etcd:/h": false, "./data": false, "ETCD://h:1": false} {
		if got := etcdurl.IsURL(s); got != want {
			t.Errorf("IsURL(%q) = %v, want %v", s, got, want)
		}
	}
}
