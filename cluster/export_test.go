package cluster_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestRangeSortedAtOneRevision: RangeSorted reads the keyspace page by page
// in key order, every key once, as of its first page: keys written and
// deleted while it runs, before and after where it has got to, do not
// change what it returns.
func TestRangeSortedAtOneRevision(t *testing.T) {
	c := etcdtest.Shared(t)
	url := c.URL(keyspaceFor(t))
	s, other := openURL(t, url, cluster.Options{}), openURL(t, url, cluster.Options{})
	const n = 2500 // two and a half pages
	putMany(t, s, n)
	var keys []string
	err := s.RangeSorted(func(k, v string) error {
		if len(keys) == 10 {
			mustRun(t, other, engine.Int(2), "USET", "key00000a", "new", "zzz", "new")
			mustRun(t, other, engine.Int(2), "DEL", "key00001", "key02000")
		}
		if i, err := strconv.Atoi(k[3:]); err != nil || v != "v"+strconv.Itoa(i) {
			t.Fatalf("%s = %q", k, v)
		}
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != n || !slices.IsSorted(keys) || slices.Contains(keys, "zzz") || !slices.Contains(keys, "key02000") {
		t.Errorf("RangeSorted gave %d keys (sorted %v), want the %d there were when it began", len(keys), slices.IsSorted(keys), n)
	}
	var ranged int
	if err := s.RangeKeys(func(string) error { ranged++; return nil }); err != nil || ranged != n {
		t.Errorf("RangeKeys: %d keys, %v; want %d", ranged, err, n)
	}
	stop := fmt.Errorf("stop")
	if err := s.RangeSorted(func(string, string) error { return stop }); err != stop {
		t.Errorf("RangeSorted returned %v, want fn's error", err)
	}
	if got := s.Len(); got != n {
		t.Errorf("Len() = %d, want %d", got, n)
	}
}

// TestPutBatchAndEmpty: PutBatch writes a batch of up to MaxOps pairs in one
// transaction, refuses a larger batch or one with a key twice without
// writing any of it; Empty tells an empty keyspace from one with a key,
// the empty key included.
func TestPutBatchAndEmpty(t *testing.T) {
	s := open(t, etcdtest.Shared(t), cluster.Options{})
	if empty, err := s.Empty(); err != nil || !empty {
		t.Fatalf("Empty() = %v, %v on a new keyspace", empty, err)
	}
	if s.MaxOps() != 128 {
		t.Errorf("MaxOps() = %d, want 128", s.MaxOps())
	}
	tooMany := make([]cluster.Pair, 129)
	for i := range tooMany {
		tooMany[i] = cluster.Pair{Key: fmt.Sprint(i), Value: "v"}
	}
	if err := s.PutBatch(tooMany); err == nil || !strings.Contains(err.Error(), "128") {
		t.Errorf("PutBatch of 129 pairs: %v, want an error naming 128", err)
	}
	if err := s.PutBatch([]cluster.Pair{{"a", "1"}, {"b", "2"}, {"a", "3"}}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("PutBatch with a key twice: %v", err)
	}
	if empty, _ := s.Empty(); !empty {
		t.Fatal("a refused batch wrote something")
	}
	if err := s.PutBatch([]cluster.Pair{{"", "empty key"}, {"\x00", "\xff"}}); err != nil {
		t.Fatal(err)
	}
	if empty, err := s.Empty(); err != nil || empty {
		t.Errorf("Empty() = %v, %v with two keys", empty, err)
	}
	mustRun(t, s, engine.Array{engine.String("empty key"), engine.String("\xff")}, "MGET", "", "\x00")
}

// TestKeysWithPrefix: completion finds keys of the keyspace by prefix, up to
// a limit, and says whether it saw them all.
func TestKeysWithPrefix(t *testing.T) {
	s := open(t, etcdtest.Shared(t), cluster.Options{})
	mustRun(t, s, engine.Int(5), "USET", "user:1", "a", "user:2", "b", "user:3", "c", "other", "d", "", "e")
	for _, tc := range []struct {
		prefix   string
		limit    int
		want     []string
		complete bool
	}{
		{"user:", 10, []string{"user:1", "user:2", "user:3"}, true},
		{"user:", 2, []string{"user:1", "user:2"}, false},
		{"o", 10, []string{"other"}, true},
		{"x", 10, []string{}, true},
		{"", 10, []string{"", "other", "user:1", "user:2", "user:3"}, true},
	} {
		got, complete := s.KeysWithPrefix(tc.prefix, tc.limit, 1000)
		if !slices.Equal(got, tc.want) || complete != tc.complete {
			t.Errorf("KeysWithPrefix(%q, %d) = %q, %v; want %q, %v", tc.prefix, tc.limit, got, complete, tc.want, tc.complete)
		}
	}
}

// TestStatus: the report names the keyspace, its keys, the leader, every
// member healthy, the size and no alarm, and its JSON form holds the same.
func TestStatus(t *testing.T) {
	c := etcdtest.Shared(t)
	s := open(t, c, cluster.Options{})
	mustRun(t, s, engine.Int(2), "USET", "a", "1", "b", "2")
	rep, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	rows := fmtRows(rep.Rows)
	for _, want := range []string{"keys: 2 at revision", "leader: m", "alarms: none", "writes: accepted", "healthy, leader", "healthy, follower", "database size: "} {
		if !strings.Contains(rows, want) {
			t.Errorf("status rows lack %q:\n%s", want, rows)
		}
	}
	for _, ep := range c.Endpoints() {
		if !strings.Contains(rows, "member "+ep+": m") {
			t.Errorf("status rows lack member %s:\n%s", ep, rows)
		}
	}
	b, err := json.Marshal(rep.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Keyspace string
		Keys     int
		Leader   string
		Members  []struct{ Healthy bool }
		Alarms   []string
		Poisoned bool
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Keys != 2 || back.Leader == "" || len(back.Members) != 3 || back.Alarms == nil || back.Poisoned || !strings.HasPrefix(back.Keyspace, "TestStatus") {
		t.Errorf("status JSON: %s", b)
	}
}

// TestStatusListsEveryMember: given one endpoint, !status still shows every
// member of the cluster, each asked at its own address, and one that is
// down is named as unreachable; the endpoints are counted as given.
func TestStatusListsEveryMember(t *testing.T) {
	t.Parallel()
	c := etcdtest.Start(t, etcdtest.Options{})
	eps := c.Endpoints()
	s := openURL(t, "etcd://"+eps[0]+"/"+keyspaceFor(t), cluster.Options{})
	rep, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	rows := fmtRows(rep.Rows)
	if !strings.Contains(rows, "cluster: etcd, 1 endpoint: "+eps[0]) {
		t.Errorf("status rows do not count the one endpoint given:\n%s", rows)
	}
	for _, ep := range eps {
		if !strings.Contains(rows, "member "+ep+": m") || strings.Count(rows, "member "+ep+":") != 1 {
			t.Errorf("status rows lack member %s, or show it twice:\n%s", ep, rows)
		}
	}
	c.Kill(t, 2)
	rep, err = s.Status()
	if err != nil {
		t.Fatal(err)
	}
	rows = fmtRows(rep.Rows)
	if !strings.Contains(rows, "member "+eps[2]+": m2, unreachable") {
		t.Errorf("status rows do not name the member that is down:\n%s", rows)
	}
	if strings.Count(rows, "member ") != 3 {
		t.Errorf("status rows show %d members, want 3:\n%s", strings.Count(rows, "member "), rows)
	}
}

// TestDeleteAll: DeleteAll empties a keyspace of several pages, the empty
// key included, and leaves the keyspaces beside it as they are.
func TestDeleteAll(t *testing.T) {
	c := etcdtest.Shared(t)
	s, beside := open(t, c, cluster.Options{}), open(t, c, cluster.Options{})
	putMany(t, s, 2500)
	putMany(t, beside, 10)
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "", "empty key")
	if err := s.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if n, m := s.Len(), beside.Len(); n != 0 || m != 10 {
		t.Errorf("after DeleteAll the keyspace holds %d keys, the one beside it %d; want 0 and 10", n, m)
	}
	if err := s.DeleteAll(); err != nil {
		t.Errorf("DeleteAll of an empty keyspace: %v", err)
	}
}
