package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/status"
)

// refusal is why the cluster did not do what a query asked, sorted for the
// answer and for the poison state.
type refusal struct {
	// kind says whether this is the cluster refusing writes (which
	// poisons the store) and why; kindNone is anything else, such as a
	// denied permission.
	kind   poisonKind
	reason string // in words, for the answer and Poisoned
	// sent: the request may have reached the cluster, so a write may have
	// been made even though no answer came.
	sent bool
	// retry: the cluster surely did not act on the request, and may take
	// it if it is sent again (a leader is being elected).
	retry bool
	// compacted: a read at a revision the cluster has compacted away.
	compacted bool
}

// classify sorts an error of the etcd client. reachable says whether the
// client had a connection to some member when the error came: a deadline
// that passes while none could be made means the request was never sent.
func classify(err error, reachable bool) refusal {
	switch {
	case errors.Is(err, rpctypes.ErrNoSpace):
		return refusal{kind: kindNoSpace, reason: "the cluster is out of space (NOSPACE alarm: its database reached --quota-backend-bytes); " +
			"delete keys, compact and defragment, then disarm the alarm (etcdctl alarm disarm)"}
	case errors.Is(err, rpctypes.ErrCorrupt):
		return refusal{kind: kindCorrupt, reason: "the cluster found its data corrupt (CORRUPT alarm)"}
	case errors.Is(err, rpctypes.ErrNoLeader):
		return refusal{kind: kindNoLeader, reason: noLeaderReason, retry: true}
	case errors.Is(err, rpctypes.ErrTooManyOps):
		return refusal{reason: "the query needs more operations than the cluster allows in one transaction (its --max-txn-ops); nothing was written"}
	case errors.Is(err, rpctypes.ErrRequestTooLarge):
		return refusal{reason: "the query is larger than the cluster takes in one request (its --max-request-bytes); nothing was written"}
	case errors.Is(err, rpctypes.ErrCompacted):
		return refusal{reason: "the cluster compacted the revision being read", compacted: true}
	case errors.Is(err, rpctypes.ErrPermissionDenied):
		return refusal{reason: "permission denied: the cluster's auth does not let this user (without --user: anyone) do this in this keyspace"}
	case errors.Is(err, rpctypes.ErrAuthFailed):
		return refusal{reason: "authentication failed: wrong user or password"}
	case errors.Is(err, rpctypes.ErrInvalidAuthToken), errors.Is(err, rpctypes.ErrAuthOldRevision):
		// The client has fetched a new token; the request was refused.
		return refusal{reason: "the cluster refused an expired login", retry: true}
	case errors.Is(err, rpctypes.ErrLeaderChanged), errors.Is(err, rpctypes.ErrTimeout),
		errors.Is(err, rpctypes.ErrTimeoutDueToLeaderFail), errors.Is(err, rpctypes.ErrTimeoutDueToConnectionLost),
		errors.Is(err, rpctypes.ErrTimeoutWaitAppliedIndex), errors.Is(err, rpctypes.ErrStopped):
		return refusal{kind: kindTimeout, reason: "the cluster did not complete the request (" + describe(err) + ")", sent: true}
	case errors.Is(err, context.Canceled):
		return refusal{reason: "skysh is closing", sent: true}
	case errors.Is(err, context.DeadlineExceeded) && !reachable:
		return refusal{kind: kindUnreachable, reason: unreachableReason}
	case errors.Is(err, context.DeadlineExceeded):
		return refusal{kind: kindTimeout, reason: "the cluster did not answer in time", sent: true}
	}
	if st, ok := status.FromError(err); ok && st.Code() == codes.Unavailable {
		// The connection broke under the request: the member may have
		// acted on it before it went.
		return refusal{kind: kindUnreachable, reason: "the connection to a member broke (" + st.Message() + ")", sent: true}
	}
	return refusal{reason: describe(err), sent: true}
}

// Reasons the cluster refuses writes, in words.
const (
	noLeaderReason    = "the cluster has no leader: it lost its quorum (a majority of members is down or cut off), or is electing one"
	unreachableReason = "no member of the cluster can be reached"
)

// describe is an etcd error without the "etcdserver: " its messages start
// with.
func describe(err error) string {
	var ee rpctypes.EtcdError
	if errors.As(err, &ee) {
		return strings.TrimPrefix(ee.Error(), "etcdserver: ")
	}
	if st, ok := status.FromError(err); ok {
		return st.Message()
	}
	return err.Error()
}

// reachable reports whether the client holds a connection to some member.
func (s *Store) reachable() bool {
	return s.cli.ActiveConnection().GetState() == connectivity.Ready
}

// explain turns an error of Open into words for a person.
func explain(err error) error {
	r := classify(err, false)
	if r.kind == kindUnreachable && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s (is it running, and are the endpoints right?)", unreachableReason)
	}
	return errors.New(r.reason)
}
