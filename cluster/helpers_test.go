package cluster_test

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/conformance"
	"skysh/internal/etcdtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	etcdtest.CloseShared()
	os.Exit(code)
}

// q builds a query, so that tables read like what a user types.
func q(args ...string) []string { return args }

var keyspaces atomic.Int64

// notKeyspaceChars are what a test name holds that a keyspace name may not.
var notKeyspaceChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// keyspaceFor is a keyspace of the test's own: tests share a cluster.
func keyspaceFor(t testing.TB) string {
	name := notKeyspaceChars.ReplaceAllString(t.Name(), "_")
	if len(name) > 100 {
		name = name[:100]
	}
	return fmt.Sprintf("%s-%d", name, keyspaces.Add(1))
}

// open opens a store on a keyspace of the test's own, closed when the test
// ends.
func open(t testing.TB, c *etcdtest.Cluster, o cluster.Options) *cluster.Store {
	t.Helper()
	return openURL(t, c.URL(keyspaceFor(t)), o)
}

func openURL(t testing.TB, url string, o cluster.Options) *cluster.Store {
	t.Helper()
	s, err := cluster.Open(url, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", url, err)
	}
	t.Cleanup(func() { s.Close(nil) })
	return s
}

// store is what the tests query: the engine or a cluster.
type store interface {
	Exec([]string) engine.Response
	RangeSorted(func(k, v string) error) error
}

// mustRun runs a query and fails the test unless it answers want.
func mustRun(t testing.TB, s store, want engine.Response, args ...string) {
	t.Helper()
	if got := s.Exec(args); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s = %s, want %s", fmtQuery(args), fmtResponse(got), fmtResponse(want))
	}
}

// code is the response code of r, or -1 when r is not a code.
func code(r engine.Response) int {
	if st, ok := r.(engine.Status); ok {
		return int(st.Code)
	}
	return -1
}

// detail is the detail of a code, "" for any other answer.
func detail(r engine.Response) string {
	if st, ok := r.(engine.Status); ok {
		return st.Detail
	}
	return ""
}

// contents is every key and value of a store, in key order.
func contents(t testing.TB, s store) [][2]string {
	t.Helper()
	var out [][2]string
	if err := s.RangeSorted(func(k, v string) error {
		out = append(out, [2]string{k, v})
		return nil
	}); err != nil {
		t.Fatalf("RangeSorted: %v", err)
	}
	return out
}

// fmtQuery shows a query, its first arguments only when it has many.
func fmtQuery(args []string) string {
	var quoted []string
	for i, a := range args {
		if i == 8 {
			quoted = append(quoted, fmt.Sprintf("… (%d arguments)", len(args)-1))
			break
		}
		if len(a) > 40 {
			a = a[:40] + "…"
		}
		quoted = append(quoted, fmt.Sprintf("%q", a))
	}
	return "[" + strings.Join(quoted, " ") + "]"
}

// putMany writes keys key00000… with values v0…, in batches the cluster takes.
func putMany(t testing.TB, s *cluster.Store, n int) {
	t.Helper()
	var batch []cluster.Pair
	for i := range n {
		batch = append(batch, cluster.Pair{Key: fmt.Sprintf("key%05d", i), Value: "v" + strconv.Itoa(i)})
		if len(batch) == s.MaxOps() || i == n-1 {
			if err := s.PutBatch(batch); err != nil {
				t.Fatalf("PutBatch: %v", err)
			}
			batch = batch[:0]
		}
	}
}

// fmtResponse shows an answer, as the conformance table does.
var fmtResponse = conformance.FormatResponse
