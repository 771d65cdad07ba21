package cluster

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/backend"
)

// statusTimeout bounds the question to each member: !status must come back
// promptly even when a member is gone.
const statusTimeout = 2 * time.Second

// etcdDefaultQuota is the backend quota of a member started without
// --quota-backend-bytes, which etcd 3.4 does not report.
const etcdDefaultQuota = 2 << 30

// MemberStatus is what one member says of itself.
type MemberStatus struct {
	Name     string `json:"name"`
	ID       string `json:"id"`
	Endpoint string `json:"endpoint"`
	Healthy  bool   `json:"healthy"`
	Leader   bool   `json:"leader"`
	Version  string `json:"version,omitempty"`
	DBSize   int64  `json:"dbSize,omitempty"`
	Quota    int64  `json:"quota,omitempty"` // 0: not reported
	Error    string `json:"error,omitempty"`
}

// ClusterStatus is the cluster as !status shows it; its JSON form is the
// JSON of !status.
type ClusterStatus struct {
	Endpoints []string       `json:"endpoints"`
	Keyspace  string         `json:"keyspace"`
	Keys      *int64         `json:"keys"`     // nil: could not be read
	Revision  int64          `json:"revision"` // of the key count
	Leader    string         `json:"leader"`   // member name, "" if none
	Members   []MemberStatus `json:"members"`
	DBSize    int64          `json:"dbSize"` // the largest member's
	Quota     int64          `json:"quota"`  // 0: not reported
	Alarms    []string       `json:"alarms"` // e.g. "NOSPACE on m1"
	AlarmErr  string         `json:"alarmError,omitempty"`
	Poisoned  bool           `json:"poisoned"`
	Reason    string         `json:"reason,omitempty"` // why writes are refused
	Timeout   string         `json:"timeout"`
}

// Status describes the cluster now: its endpoints and members with their
// health, the leader, the revision, the database size against its quota,
// the alarms and the keyspace's key count.
func (s *Store) Status() (backend.Report, error) {
	st := s.status()
	if len(st.Members) == 0 {
		return backend.Report{}, fmt.Errorf("no member answered: %s", st.AlarmErr)
	}
	return backend.Report{Rows: st.rows(), JSON: st}, nil
}

// status asks every endpoint and every member of the member list (at its
// own address, if no endpoint reached it), the alarms and the key count,
// each within its own time.
func (s *Store) status() ClusterStatus {
	st := ClusterStatus{Endpoints: s.addr.Endpoints, Keyspace: s.addr.Keyspace, Timeout: s.opts.Timeout.String()}
	st.Reason, st.Poisoned = s.Poisoned()
	byEndpoint := s.memberStatuses(s.addr.Endpoints)
	ctx, cancel := s.queryContext()
	defer cancel()
	names := map[uint64]string{}
	var members []*pb.Member
	if ml, err := s.cli.MemberList(ctx); err == nil {
		members = ml.Members
		for _, m := range members {
			names[m.ID] = m.Name
		}
	}
	var leaderID uint64
	add := func(ep, name string, r endpointStatus) {
		ms := MemberStatus{Endpoint: ep, Name: name}
		if r.err != nil {
			ms.Error = classify(r.err, false).reason
			if ms.Error == unreachableReason {
				ms.Error = "not answering"
			}
		} else {
			id := r.resp.Header.MemberId
			ms.ID, ms.Name = strconv.FormatUint(id, 16), names[id]
			ms.Version, ms.DBSize, ms.Quota = r.resp.Version, r.resp.DbSize, r.resp.DbSizeQuota
			ms.Leader = r.resp.Leader == id
			ms.Healthy = r.resp.Leader != 0 && len(r.resp.Errors) == 0
			if len(r.resp.Errors) > 0 {
				ms.Error = strings.Join(r.resp.Errors, "; ")
			}
			if r.resp.Leader != 0 {
				leaderID = r.resp.Leader
			}
			st.DBSize, st.Quota = max(st.DBSize, ms.DBSize), max(st.Quota, ms.Quota)
		}
		st.Members = append(st.Members, ms)
	}
	// A member is the endpoint that names one of its client addresses; the
	// members no endpoint names are asked at their own.
	byAddr := map[string]*pb.Member{}
	for _, m := range members {
		for _, u := range m.ClientURLs {
			byAddr[hostPort(u)] = m
		}
	}
	covered := map[uint64]bool{}
	for i, ep := range s.addr.Endpoints {
		name := ""
		if m := byAddr[ep]; m != nil {
			name, covered[m.ID] = m.Name, true
		}
		if r := byEndpoint[i]; r.err == nil {
			covered[r.resp.Header.MemberId] = true
		}
		add(ep, name, byEndpoint[i])
	}
	var others []string
	var otherNames []string
	for _, m := range members {
		if covered[m.ID] {
			continue
		}
		if len(m.ClientURLs) == 0 {
			st.Members = append(st.Members, MemberStatus{Name: m.Name, ID: strconv.FormatUint(m.ID, 16), Error: "not started yet (no client address)"})
			continue
		}
		others, otherNames = append(others, hostPort(m.ClientURLs[0])), append(otherNames, m.Name)
	}
	for i, r := range s.memberStatuses(others) {
		add(others[i], otherNames[i], r)
	}
	st.Leader = names[leaderID]
	if leaderID != 0 && st.Leader == "" {
		st.Leader = strconv.FormatUint(leaderID, 16)
	}
	st.Alarms = []string{}
	if al, err := s.cli.AlarmList(clientv3.WithRequireLeader(ctx)); err != nil {
		st.AlarmErr = classify(err, s.reachable()).reason
	} else {
		for _, a := range al.Alarms {
			st.Alarms = append(st.Alarms, a.Alarm.String()+" on "+nameOr(names, a.MemberID))
		}
	}
	rd := reader{s: s}
	if resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		return []clientv3.Op{clientv3.OpGet(s.ks.prefix, s.all(append(extra, clientv3.WithCountOnly())...)...)}
	}); refused == nil {
		n := resp.Responses[0].GetResponseRange().Count
		st.Keys, st.Revision = &n, resp.Header.Revision
	}
	return st
}

// endpointStatus is one endpoint's answer to Status.
type endpointStatus struct {
	resp *clientv3.StatusResponse
	err  error
}

// memberStatuses asks every address at once.
func (s *Store) memberStatuses(addrs []string) []endpointStatus {
	out := make([]endpointStatus, len(addrs))
	var wg sync.WaitGroup
	for i, ep := range addrs {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(s.ctx, min(s.opts.Timeout, statusTimeout))
			defer cancel()
			out[i].resp, out[i].err = s.cli.Status(ctx, ep)
		})
	}
	wg.Wait()
	return out
}

// endpointCount is "1 endpoint", "3 endpoints".
func endpointCount(n int) string {
	if n == 1 {
		return "1 endpoint"
	}
	return strconv.Itoa(n) + " endpoints"
}

// hostPort is a member's client URL (http://127.0.0.1:2379) as skysh's
// endpoints name it (127.0.0.1:2379).
func hostPort(clientURL string) string {
	if u, err := url.Parse(clientURL); err == nil && u.Host != "" {
		return u.Host
	}
	return clientURL
}

func nameOr(names map[uint64]string, id uint64) string {
	if n := names[id]; n != "" {
		return n
	}
	return strconv.FormatUint(id, 16)
}

// rows is the status as fields and values, for the human and raw forms.
func (st ClusterStatus) rows() [][2]string {
	rows := [][2]string{
		{"cluster", "etcd, " + endpointCount(len(st.Endpoints)) + ": " + strings.Join(st.Endpoints, ", ")},
		{"keyspace", st.Keyspace},
	}
	keys := "unknown (the keyspace could not be read)"
	if st.Keys != nil {
		keys = strconv.FormatInt(*st.Keys, 10) + " at revision " + strconv.FormatInt(st.Revision, 10)
	}
	rows = append(rows, [2]string{"keys", keys})
	leader := st.Leader
	if leader == "" {
		leader = "none: " + noLeaderReason
	}
	rows = append(rows, [2]string{"leader", leader})
	for _, m := range st.Members {
		rows = append(rows, [2]string{"member " + m.Endpoint, m.describe()})
	}
	size := bytesInWords(int(st.DBSize)) + " of " + quotaInWords(st.Quota)
	rows = append(rows, [2]string{"database size", size})
	alarms := "none"
	switch {
	case st.AlarmErr != "":
		alarms = "unknown: " + st.AlarmErr
	case len(st.Alarms) > 0:
		alarms = strings.Join(st.Alarms, ", ")
	}
	rows = append(rows, [2]string{"alarms", alarms})
	writes := "accepted"
	if st.Poisoned {
		writes = "refused (poisoned): " + st.Reason
	}
	rows = append(rows, [2]string{"writes", writes}, [2]string{"timeout", st.Timeout})
	return rows
}

// describe is a member's row: health, role, version and size.
func (m MemberStatus) describe() string {
	if m.Version == "" {
		// It did not answer (or has not started): nothing more is known.
		if m.Name != "" {
			return m.Name + ", unreachable: " + m.Error
		}
		return "unreachable: " + m.Error
	}
	parts := []string{m.Name}
	switch {
	case m.Healthy && m.Leader:
		parts = append(parts, "healthy, leader")
	case m.Healthy:
		parts = append(parts, "healthy, follower")
	default:
		parts = append(parts, "unhealthy")
	}
	parts = append(parts, "etcd "+m.Version, "db "+bytesInWords(int(m.DBSize)))
	if m.Error != "" {
		parts = append(parts, m.Error)
	}
	return strings.Join(parts, ", ")
}

// quotaInWords is the quota, or what it is when the cluster does not say.
func quotaInWords(q int64) string {
	if q > 0 {
		return "a quota of " + bytesInWords(int(q))
	}
	return "a quota the cluster does not report (etcd before 3.6; " + bytesInWords(etcdDefaultQuota) + " unless --quota-backend-bytes)"
}
