package cluster_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// poisonEvents records what a store told its OnPoison.
type poisonEvents struct {
	mu     sync.Mutex
	events []string
}

func (p *poisonEvents) record(poisoned bool, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if poisoned {
		p.events = append(p.events, "poisoned: "+reason)
	} else {
		p.events = append(p.events, "recovered")
	}
}

func (p *poisonEvents) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.events...)
}

// syncBuffer is a log that a store's goroutines may write while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// within runs a query and fails the test if it has not answered by the
// deadline: the store must never hang, whatever the cluster does.
func within(t *testing.T, s *cluster.Store, deadline time.Duration, query ...string) engine.Response {
	t.Helper()
	answer := make(chan engine.Response, 1)
	go func() { answer <- s.Exec(query) }()
	select {
	case r := <-answer:
		return r
	case <-time.After(deadline):
		t.Fatalf("%s did not answer in %v", fmtQuery(query), deadline)
		return nil
	}
}

// eventually waits for cond, failing the test after a deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEveryMemberStopped: with every member killed, each query answers code
// 5 within its timeout, saying the cluster cannot be reached, and the store
// is poisoned; once the members are back, the same store takes writes
// again without being reopened, and says so.
func TestEveryMemberStopped(t *testing.T) {
	t.Parallel()
	c := etcdtest.Start(t, etcdtest.Options{})
	var events poisonEvents
	s := open(t, c, cluster.Options{Timeout: 500 * time.Millisecond, OnPoison: events.record})
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "a", "1")
	for i := range c.Endpoints() {
		c.Kill(t, i)
	}
	// The first query may go out on the connection the client has not yet
	// seen die; then the honest answer is that it broke under the request.
	first := within(t, s, 20*time.Second, "SET", "b", "2")
	if code(first) != int(engine.ServerError) ||
		!strings.Contains(detail(first), "no member of the cluster can be reached") && !strings.Contains(detail(first), "the connection to a member broke") {
		t.Errorf("first SET with every member down = %s, want code 5: no member can be reached, or the connection broke", fmtResponse(first))
	}
	for _, query := range [][]string{
		q("SET", "b", "2"), q("GET", "a"), q("MGET", "a", "b"), q("SSET", "x", "1"), q("LSKEYS"),
		q("POP", "a"), q("FLUSHDB"), q("MSET", "m", "1"),
	} {
		got := within(t, s, 20*time.Second, query...)
		if code(got) != int(engine.ServerError) || !strings.Contains(detail(got), "no member of the cluster can be reached") {
			t.Errorf("%s with every member down = %s, want code 5 saying no member can be reached", fmtQuery(query), fmtResponse(got))
		}
	}
	if got := within(t, s, 20*time.Second, "SET", "b", "2"); !strings.Contains(detail(got), "nothing was written") {
		t.Errorf("SET with every member down = %s, want it to say nothing was written", fmtResponse(got))
	}
	if reason, poisoned := s.Poisoned(); !poisoned || !strings.Contains(reason, "no member") {
		t.Errorf("Poisoned() = %q, %v; want poisoned, no member reachable", reason, poisoned)
	}
	if s.Len() != -1 {
		t.Errorf("Len() = %d with every member down, want -1", s.Len())
	}
	for i := range c.Endpoints() {
		c.Restart(t, i)
	}
	c.WaitHealthy(t)
	eventually(t, "the store sees the cluster take writes", func() bool {
		_, poisoned := s.Poisoned()
		return !poisoned
	})
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "b", "2")
	mustRun(t, s, engine.Array{engine.String("1"), engine.String("2")}, "MGET", "a", "b")
	if ev := events.list(); len(ev) != 2 || !strings.HasPrefix(ev[0], "poisoned: ") || ev[1] != "recovered" {
		t.Errorf("OnPoison saw %q, want poisoned then recovered", ev)
	}
}

// TestQuorumLost: with two of three members down the last one has no
// leader: writes answer code 5 saying so and poison the store, reads are
// served from that member's copy with a note that they may be stale, and
// when a member comes back writes work again in the same store.
func TestQuorumLost(t *testing.T) {
	t.Parallel()
	c := etcdtest.Start(t, etcdtest.Options{})
	var log syncBuffer
	var events poisonEvents
	s := open(t, c, cluster.Options{Timeout: 2 * time.Second, Log: &log, OnPoison: events.record})
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "a", "1")
	c.Kill(t, 0)
	c.Kill(t, 1)
	// Until the last member notices it lost its peers (an election
	// timeout), a write reaches it and cannot commit: its outcome is
	// unknown. Once it has no leader, writes are refused outright.
	last := c.Client(t)
	eventually(t, "the last member has no leader", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		st, err := last.Status(ctx, c.Endpoints()[2])
		return err == nil && st.Leader == 0
	})
	got := within(t, s, 20*time.Second, "SET", "b", "2")
	if code(got) != int(engine.ServerError) || !strings.Contains(detail(got), "no leader") {
		t.Errorf("SET without quorum = %s, want code 5 saying the cluster has no leader", fmtResponse(got))
	}
	if reason, poisoned := s.Poisoned(); !poisoned || !strings.Contains(reason, "no leader") {
		t.Errorf("Poisoned() = %q, %v; want poisoned for lack of a leader", reason, poisoned)
	}
	mustRun(t, s, engine.String("1"), "GET", "a")
	mustRun(t, s, engine.Int(1), "DBSIZE")
	// In a batch, the read is served all the same and the write refused.
	batch := s.ExecBatch([][]string{q("GET", "a"), q("SET", "c", "1")})
	if batch[0] != engine.Response(engine.String("1")) || !strings.Contains(detail(batch[1]), "no leader") {
		t.Errorf("GET a, SET c 1 in a batch without quorum = %s, %s", fmtResponse(batch[0]), fmtResponse(batch[1]))
	}
	if !strings.Contains(log.String(), "may be stale") {
		t.Errorf("the log says %q, want a note that reads may be stale", log.String())
	}
	c.Restart(t, 1)
	c.WaitHealthy(t)
	eventually(t, "the store sees the cluster take writes", func() bool {
		_, poisoned := s.Poisoned()
		return !poisoned
	})
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "b", "2")
	mustRun(t, s, engine.String("2"), "GET", "b")
	if !strings.Contains(log.String(), "reads are up to date") {
		t.Errorf("the log says %q, want a note that reads are up to date again", log.String())
	}
}

// TestNoSpace: a cluster started with a tiny --quota-backend-bytes raises
// its NOSPACE alarm: writes answer code 5 naming it and the store is
// poisoned, reads are served, deletes go through; once space is freed and
// the alarm disarmed, the same store takes writes again.
func TestNoSpace(t *testing.T) {
	t.Parallel()
	c := etcdtest.Start(t, etcdtest.Options{QuotaBackendBytes: 512 << 10})
	var events poisonEvents
	s := open(t, c, cluster.Options{OnPoison: events.record})
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "small", "1")
	value := strings.Repeat("v", 100<<10)
	var refused engine.Response
	for i := 0; i < 20 && refused == nil; i++ {
		if got := s.Exec(q("USET", "big"+string(rune('a'+i)), value)); code(got) == int(engine.ServerError) {
			refused = got
		}
	}
	if !strings.Contains(detail(refused), "NOSPACE") || !strings.Contains(detail(refused), "nothing was written") {
		t.Fatalf("writing past the quota answered %s, want code 5 naming NOSPACE", fmtResponse(refused))
	}
	if reason, poisoned := s.Poisoned(); !poisoned || !strings.Contains(reason, "NOSPACE") {
		t.Errorf("Poisoned() = %q, %v; want poisoned by NOSPACE", reason, poisoned)
	}
	if got := s.Exec(q("SET", "x", "1")); !strings.Contains(detail(got), "NOSPACE") {
		t.Errorf("SET while out of space = %s, want code 5 naming NOSPACE", fmtResponse(got))
	}
	mustRun(t, s, engine.String("1"), "GET", "small")
	// In a batch, each query is answered as by itself: the read served,
	// the delete taken, the write refused.
	batch := s.ExecBatch([][]string{q("GET", "small"), q("DEL", "biga"), q("SET", "y", "1")})
	if batch[0] != engine.Response(engine.String("1")) || batch[1] != engine.Response(engine.Int(1)) || !strings.Contains(detail(batch[2]), "NOSPACE") {
		t.Errorf("GET, DEL, SET in a batch out of space = %s, %s, %s", fmtResponse(batch[0]), fmtResponse(batch[1]), fmtResponse(batch[2]))
	}
	rep, err := s.Status()
	if err != nil || !strings.Contains(fmtRows(rep.Rows), "NOSPACE on m") {
		t.Errorf("Status() = %s, %v; want the NOSPACE alarm listed", fmtRows(rep.Rows), err)
	}
	// Space is freed as an operator does it: delete, compact, defragment,
	// disarm. The delete goes through skysh.
	lsBig := s.Exec(q("LSKEYS", "100"))
	for _, k := range lsBig.(engine.Array) {
		if k != engine.Response(engine.String("small")) {
			mustRun(t, s, engine.Int(1), "DEL", string(k.(engine.String)))
		}
	}
	if _, poisoned := s.Poisoned(); !poisoned {
		t.Errorf("deleting keys lifted the NOSPACE poison before the alarm was disarmed")
	}
	cli := c.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Compact(ctx, resp.Header.Revision); err != nil {
		t.Fatal(err)
	}
	for _, ep := range c.Endpoints() {
		if _, err := cli.Defragment(ctx, ep); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cli.AlarmDisarm(ctx, &clientv3.AlarmMember{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the store sees the alarm disarmed", func() bool {
		_, poisoned := s.Poisoned()
		return !poisoned
	})
	mustRun(t, s, engine.Status{Code: engine.Okay}, "SET", "x", "1")
	if ev := events.list(); len(ev) != 2 || ev[1] != "recovered" {
		t.Errorf("OnPoison saw %q, want poisoned then recovered", ev)
	}
}

func fmtRows(rows [][2]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r[0] + ": " + r[1] + "\n")
	}
	return b.String()
}
