package cluster

import (
	"fmt"
	"sync"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// poisonKind says why the cluster refuses writes.
type poisonKind int

const (
	kindNone        poisonKind = iota
	kindNoLeader               // no quorum, or an election
	kindUnreachable            // no member answers
	kindTimeout                // a member took the request but the cluster did not complete it in time
	kindNoSpace                // NOSPACE alarm
	kindCorrupt                // CORRUPT alarm
)

// alarm reports whether the kind is an alarm, which only a write that puts
// a key, or the alarm list, can show to be over.
func (k poisonKind) alarm() bool { return k == kindNoSpace || k == kindCorrupt }

// probeEvery is how often a store whose cluster refuses writes asks it
// whether it takes them again, so that the prompt and a script's stderr say
// so without waiting for the next write.
const probeEvery = 250 * time.Millisecond

// poisonState is whether the cluster refuses writes, as the store last
// found out.
type poisonState struct {
	mu      sync.Mutex
	kind    poisonKind
	reason  string
	gen     uint64 // counts changes, so the prober never undoes a newer finding
	probing bool
}

// Poisoned reports whether the cluster refuses writes, as last seen, and why.
func (s *Store) Poisoned() (reason string, poisoned bool) {
	s.poison.mu.Lock()
	defer s.poison.mu.Unlock()
	return s.poison.reason, s.poison.kind != kindNone
}

// refused records that the cluster refuses writes for r's reason, and
// starts asking it whether it takes them again.
func (s *Store) refused(r refusal) {
	if r.kind == kindNone {
		return
	}
	p := &s.poison
	p.mu.Lock()
	was := p.kind != kindNone
	p.kind, p.reason = r.kind, r.reason
	p.gen++
	start := !p.probing && s.ctx.Err() == nil
	if start {
		p.probing = true
		s.probe.Add(1)
	}
	p.mu.Unlock()
	if start {
		go s.prober()
	}
	if !was && s.opts.OnPoison != nil {
		s.opts.OnPoison(true, r.reason)
	}
}

// accepted records that the cluster did what a request asked. A request
// that put a key proves the cluster takes writes; any other one proves it
// has a leader and can be reached, which does not end an alarm.
func (s *Store) accepted(put bool) {
	p := &s.poison
	p.mu.Lock()
	cleared := p.kind != kindNone && (put || !p.kind.alarm())
	if cleared {
		p.kind, p.reason = kindNone, ""
		p.gen++
	}
	p.mu.Unlock()
	if cleared && s.opts.OnPoison != nil {
		s.opts.OnPoison(false, "")
	}
}

// prober asks the cluster, while it refuses writes, whether it takes them
// again.
func (s *Store) prober() {
	defer s.probe.Done()
	tick := time.NewTicker(probeEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			s.poison.mu.Lock()
			s.poison.probing = false
			s.poison.mu.Unlock()
			return
		case <-tick.C:
		}
		if s.probeOnce() {
			return
		}
	}
}

// probeOnce asks the cluster once and records the answer; it reports
// whether probing is over. The alarm list goes through Raft, so it succeeds
// only with a leader and a quorum, and it names the alarms that block
// writes: together, whether writes are taken.
func (s *Store) probeOnce() (over bool) {
	p := &s.poison
	p.mu.Lock()
	gen, kind := p.gen, p.kind
	if kind == kindNone { // a write found the cluster taking writes again
		p.probing = false
		p.mu.Unlock()
		return true
	}
	p.mu.Unlock()

	ctx, cancel := s.queryContext()
	resp, err := s.cli.AlarmList(clientv3.WithRequireLeader(ctx))
	cancel()
	found := refusal{}
	switch {
	case err != nil:
		found = classify(err, s.reachable())
		if found.kind == kindNone || found.kind == kindTimeout {
			return false // nothing learnt: keep the reason there is
		}
	default:
		for _, a := range resp.Alarms {
			switch a.Alarm {
			case pb.AlarmType_NOSPACE:
				found = classify(rpctypes.ErrNoSpace, true)
			case pb.AlarmType_CORRUPT:
				found = classify(rpctypes.ErrCorrupt, true)
			}
		}
	}

	p.mu.Lock()
	if p.gen != gen { // a query found out something newer meanwhile
		p.mu.Unlock()
		return false
	}
	p.gen++
	if found.kind != kindNone {
		p.kind, p.reason = found.kind, found.reason
		p.mu.Unlock()
		return false
	}
	p.kind, p.reason, p.probing = kindNone, "", false
	p.mu.Unlock()
	if s.opts.OnPoison != nil {
		s.opts.OnPoison(false, "")
	}
	return true
}

// staleNote tells the user once, not at every query, that reads come from
// one member's copy because the cluster has no leader.
type staleNote struct {
	mu    sync.Mutex
	stale bool
}

// readFrom records whether a read came from one member's copy, and says so
// when that changes.
func (s *Store) readFrom(memberCopy bool) {
	s.stale.mu.Lock()
	changed := s.stale.stale != memberCopy
	s.stale.stale = memberCopy
	s.stale.mu.Unlock()
	switch {
	case changed && memberCopy:
		fmt.Fprintf(s.opts.Log, "skysh: %s; reads are answered from one member's copy and may be stale\n", noLeaderReason)
	case changed:
		fmt.Fprintf(s.opts.Log, "skysh: the cluster has a leader again; reads are up to date\n")
	}
}
