package cluster_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// manyPairs is n key-value pairs k0 v k1 v ….
func manyPairs(n int, value string) []string {
	args := make([]string, 0, 2*n)
	for i := range n {
		args = append(args, "k"+strconv.Itoa(i), value)
	}
	return args
}

// TestOverTheClusterLimits: a write that needs more operations in one
// transaction than etcd allows (128), or a request larger than it takes
// (1.5 MiB), is refused whole with code 5 naming the limit, and nothing
// is written. At the limits, it works.
func TestOverTheClusterLimits(t *testing.T) {
	s := open(t, etcdtest.Shared(t), cluster.Options{})
	big := strings.Repeat("v", 1<<20)
	for _, tc := range []struct {
		query []string
		limit string
	}{
		{append(q("SSET"), manyPairs(129, "v")...), "128 (its --max-txn-ops)"},
		{append(q("MSET"), manyPairs(129, "v")...), "128 (its --max-txn-ops)"},
		{append(q("USET"), manyPairs(129, "v")...), "128 (its --max-txn-ops)"},
		{append(q("MUPDATE"), manyPairs(129, "v")...), "128 (its --max-txn-ops)"},
		{append(q("SSET"), manyPairs(2, big)...), "1.5 MiB in one (its --max-request-bytes)"},
		{q("SET", "k", big+big), "1.5 MiB in one (its --max-request-bytes)"},
	} {
		got := s.Exec(tc.query)
		if code(got) != int(engine.ServerError) || !strings.Contains(detail(got), tc.limit) || !strings.Contains(detail(got), "nothing was written") {
			t.Errorf("%s… = %s, want code 5 naming %s", tc.query[0], fmtResponse(got), tc.limit)
		}
		mustRun(t, s, engine.Int(0), "DBSIZE")
	}
	// Deletes and reads of many keys: a DEL over the limit is refused, MGET
	// and EXISTS read in several transactions at one revision.
	mustRun(t, s, engine.Int(128), append(q("USET"), manyPairs(128, "v")...)...)
	keys := make([]string, 300)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i%150)
	}
	if got := s.Exec(append(q("DEL"), keys...)); code(got) != int(engine.ServerError) || !strings.Contains(detail(got), "128") {
		t.Errorf("DEL of 150 keys = %s, want code 5 naming 128", fmtResponse(got))
	}
	mustRun(t, s, engine.Int(128), "DBSIZE")
	mustRun(t, s, engine.Int(256), append(q("EXISTS"), keys...)...)
	mget := s.Exec(append(q("MGET"), keys...))
	want := make(engine.Array, len(keys))
	for i := range want {
		if i%150 < 128 {
			want[i] = engine.String("v")
		} else {
			want[i] = engine.Status{Code: engine.Nil}
		}
	}
	if !reflect.DeepEqual(mget, want) {
		t.Errorf("MGET of 300 keys = %s", fmtResponse(mget))
	}
}

// TestSmallerLimits: limits set lower, as for a cluster started with a
// smaller --max-txn-ops, are the ones answered.
func TestSmallerLimits(t *testing.T) {
	s := open(t, etcdtest.Shared(t), cluster.Options{MaxTxnOps: 2, MaxRequestBytes: 1000})
	mustRun(t, s, engine.Int(2), "MSET", "a", "1", "b", "2")
	if got := s.Exec(q("MSET", "a", "1", "b", "2", "c", "3")); !strings.Contains(detail(got), "at most 2") {
		t.Errorf("MSET of 3 keys = %s, want code 5 naming 2", fmtResponse(got))
	}
	if got := s.Exec(q("SET", "c", strings.Repeat("v", 1000))); !strings.Contains(detail(got), "1000 bytes") {
		t.Errorf("SET of 1000 bytes = %s, want code 5 naming 1000 bytes", fmtResponse(got))
	}
	mustRun(t, s, engine.Int(2), "DBSIZE")
	mustRun(t, s, engine.Int(3), "EXISTS", "a", "b", "c", "a") // reads go in several transactions
}
