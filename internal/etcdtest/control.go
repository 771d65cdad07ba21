package etcdtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// pollEvery is how often a wait looks again at a cluster that is not there
// yet: elections on loopback take a few hundred milliseconds.
const pollEvery = 20 * time.Millisecond

// Stop stops member i as an operator does (SIGTERM), waiting for it to end.
func (c *Cluster) Stop(t testing.TB, i int) {
	t.Helper()
	c.members[i].stop()
}

// Kill kills member i with SIGKILL, as a crash does, waiting for it to end.
func (c *Cluster) Kill(t testing.TB, i int) {
	t.Helper()
	c.members[i].signal(syscall.SIGKILL, stopDeadline)
}

// Restart starts member i again on its data and ports after Stop or Kill.
// It does not wait: WaitHealthy does.
func (c *Cluster) Restart(t testing.TB, i int) {
	t.Helper()
	if c.members[i].running() {
		t.Fatalf("etcdtest: member %d is running", i)
	}
	if err := c.launch(i, "existing"); err != nil {
		t.Fatalf("etcdtest: %v", err)
	}
}

// Running reports whether member i's process is alive.
func (c *Cluster) Running(i int) bool { return c.members[i].running() }

// WaitHealthy waits until every running member answers and agrees on one
// leader, and a linearizable read through them succeeds; it fails the test
// after a deadline.
func (c *Cluster) WaitHealthy(t testing.TB) {
	t.Helper()
	if err := c.waitHealthy(startDeadline); err != nil {
		t.Fatalf("etcdtest: %v", err)
	}
}

// Leader is the index of the member that leads the cluster, once the
// running members agree on one; it fails the test after a deadline.
func (c *Cluster) Leader(t testing.TB) int {
	t.Helper()
	var leader int
	err := c.poll(startDeadline, func(cli *clientv3.Client) (err error) {
		leader, err = c.agreedLeader(cli)
		return err
	})
	if err != nil {
		t.Fatalf("etcdtest: %v", err)
	}
	return leader
}

// waitHealthy is WaitHealthy returning its error.
func (c *Cluster) waitHealthy(deadline time.Duration) error {
	return c.poll(deadline, func(cli *clientv3.Client) error {
		if _, err := c.agreedLeader(cli); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := cli.Get(ctx, "etcdtest-health")
		return err
	})
}

// poll calls check with a client of the running members until it succeeds,
// a member that should run has ended, or the deadline passes.
func (c *Cluster) poll(deadline time.Duration, check func(*clientv3.Client) error) error {
	var eps []string
	for _, m := range c.members {
		if m.running() {
			eps = append(eps, m.clientAddr())
		}
	}
	if len(eps) == 0 {
		return errors.New("no member is running")
	}
	cli, err := c.client(eps...)
	if err != nil {
		return err
	}
	defer cli.Close()
	end := time.Now().Add(deadline)
	for {
		err := check(cli)
		if err == nil {
			return nil
		}
		for _, m := range c.members {
			if m.cmd != nil && !m.running() && slices.Contains(eps, m.clientAddr()) {
				return m.exitError()
			}
		}
		if time.Now().After(end) {
			return fmt.Errorf("cluster not ready after %v: %w", deadline, err)
		}
		time.Sleep(pollEvery)
	}
}

// agreedLeader asks every running member for its status and returns the
// index of the leader they all name.
func (c *Cluster) agreedLeader(cli *clientv3.Client) (int, error) {
	var leaderID uint64
	ids := map[uint64]int{}
	for i, m := range c.members {
		if !m.running() {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st, err := cli.Status(ctx, m.clientAddr())
		cancel()
		if err != nil {
			return 0, fmt.Errorf("member %s: %w", m.name, err)
		}
		ids[st.Header.MemberId] = i
		switch {
		case st.Leader == 0:
			return 0, fmt.Errorf("member %s has no leader", m.name)
		case leaderID != 0 && st.Leader != leaderID:
			return 0, fmt.Errorf("members disagree on the leader")
		}
		leaderID = st.Leader
	}
	i, ok := ids[leaderID]
	if !ok {
		return 0, fmt.Errorf("the leader %x is not a running member", leaderID)
	}
	return i, nil
}
