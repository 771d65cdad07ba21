package cluster_test

import (
	"reflect"
	"strings"
	"testing"

	"skysh/cluster"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want cluster.Address
	}{
		{"etcd://127.0.0.1:2379", cluster.Address{Endpoints: []string{"127.0.0.1:2379"}, Keyspace: "default"}},
		{"etcd://127.0.0.1:2379/", cluster.Address{Endpoints: []string{"127.0.0.1:2379"}, Keyspace: "default"}},
		{"etcd://a:1,b:2,c:3/users", cluster.Address{Endpoints: []string{"a:1", "b:2", "c:3"}, Keyspace: "users"}},
		{"etcds://[::1]:2379/K.v_1-2", cluster.Address{Endpoints: []string{"[::1]:2379"}, Keyspace: "K.v_1-2", TLS: true}},
	} {
		got, err := cluster.ParseURL(tc.url)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.url, got, err, tc.want)
		}
		if again, err := cluster.ParseURL(got.String()); err != nil || !reflect.DeepEqual(again, got) {
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
		"etcd://host:":               "port must be",
		"etcd://:2379":               "no host",
		"etcd://host:0":              "port must be",
		"etcd://host:65536":          "port must be",
		"etcd://host:x":              "port must be",
		"etcd://a:1,,b:2":            "not HOST:PORT",
		"etcd://user:pw@host:1/ks":   "--user",
		"etcd://host:1/a/b":          "keyspace",
		"etcd://host:1/sp ace":       "keyspace",
		"etcd://host:1/\xff":         "keyspace",
		"etcd://host:1?x=1":          "--user",
		"etcd://host:1/" + long(129): "longer than 128",
	} {
		_, err := cluster.ParseURL(url)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseURL(%q) = %v, want an error saying %q", url, err, why)
		}
	}
}

func long(n int) string { return strings.Repeat("k", n) }
