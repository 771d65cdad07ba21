package etcdurl_test

import (
	"reflect"
	"strings"
	"testing"

	"skysh/cluster/etcdurl"
)

// FuzzParse: whatever a user types after --endpoint, Parse answers without
// a panic; what it accepts names at least one endpoint and a keyspace of
// the allowed alphabet, and reads back the same from its own String form.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"etcd://127.0.0.1:2379", "etcds://[::1]:2379/K.v_1-2", "etcd://a:1,b:2,c:3/users",
		"etcd://user:pw@h:1/k", "etcd://h:0", "etcd://h:65536/x", "etcd://,/", "etcd:///k", "etcd://h:1/a/b",
		"etcd://[::1/k", "etcd://h:1?x=1", "etcd://h:1/" + strings.Repeat("k", 300),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		a, err := etcdurl.Parse(raw)
		if err != nil {
			if !etcdurl.IsURL(raw) && strings.HasPrefix(raw, "etcd://") {
				t.Fatalf("IsURL(%q) = false for an etcd:// string", raw)
			}
			return
		}
		if !etcdurl.IsURL(raw) {
			t.Fatalf("Parse(%q) accepted what IsURL refuses", raw)
		}
		if len(a.Endpoints) == 0 || a.Keyspace == "" {
			t.Fatalf("Parse(%q) = %+v: no endpoint or no keyspace", raw, a)
		}
		for _, r := range a.Keyspace {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
				t.Fatalf("Parse(%q) keyspace %q holds %q", raw, a.Keyspace, r)
			}
		}
		for _, ep := range a.Endpoints {
			if strings.ContainsAny(ep, ",/@ ") {
				t.Fatalf("Parse(%q) endpoint %q", raw, ep)
			}
		}
		back, err := etcdurl.Parse(a.String())
		if err != nil || !reflect.DeepEqual(back, a) {
			t.Fatalf("Parse(%q) = %+v; its String %q parses as %+v, %v", raw, a, a.String(), back, err)
		}
	})
}
