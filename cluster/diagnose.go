package cluster

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"strings"
	"time"
)

// diagnoseWait bounds each connection diagnose makes.
const diagnoseWait = time.Second

// diagnose finds out why the client reached no member, by connecting to
// each endpoint itself: gRPC reports only that it timed out, which hides a
// refused connection, a certificate the member does not trust or that the
// client does not, or a plain URL for a member that speaks TLS. It returns
// what it found, endpoint by endpoint, or "" when every endpoint connects.
func diagnose(addr Address, tc *tls.Config) string {
	var reasons []string
	where := map[string][]string{} // endpoints by what was found
	for _, ep := range addr.Endpoints {
		why := diagnoseOne(ep, tc)
		if why == "" {
			continue
		}
		if where[why] == nil {
			reasons = append(reasons, why)
		}
		where[why] = append(where[why], ep)
	}
	found := make([]string, len(reasons))
	for i, why := range reasons {
		found[i] = strings.Join(where[why], ", ") + ": " + why
	}
	return strings.Join(found, "; ")
}

func diagnoseOne(ep string, tc *tls.Config) string {
	d := net.Dialer{Timeout: diagnoseWait}
	conn, err := d.Dial("tcp", ep)
	if err != nil {
		return dialProblem(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(diagnoseWait))
	if tc == nil {
		// A plain client of a member that speaks TLS gets no answer it
		// understands: offer a handshake to find out.
		probe := tls.Client(conn, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // only asks whether TLS is spoken
		if probe.Handshake() == nil {
			return "the member speaks TLS: use an etcds:// URL"
		}
		return ""
	}
	cfg := tc.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName, _, _ = net.SplitHostPort(ep)
	}
	tconn := tls.Client(conn, cfg)
	if err := tconn.Handshake(); err != nil {
		return tlsProblem(err)
	}
	// With TLS 1.3 a member that refuses the client's certificate says so
	// only after the handshake, as the first thing it sends.
	tconn.SetReadDeadline(time.Now().Add(diagnoseWait / 4))
	if _, err := tconn.Read(make([]byte, 1)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, net.ErrClosed) {
		var alert tls.AlertError
		if errors.As(err, &alert) || strings.Contains(err.Error(), "tls:") {
			return tlsProblem(err)
		}
	}
	return ""
}

// dialProblem says why a TCP connection failed.
func dialProblem(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return "cannot connect: " + strings.TrimPrefix(op.Err.Error(), "connect: ")
	}
	return "cannot connect: " + err.Error()
}

// tlsProblem says why TLS failed, with the flag that fixes it.
func tlsProblem(err error) string {
	msg := err.Error()
	var unknownCA x509.UnknownAuthorityError
	switch {
	case errors.As(err, &unknownCA), strings.Contains(msg, "certificate signed by unknown authority"):
		return "its certificate is not signed by a CA skysh trusts (give the cluster's CA with --cacert): " + msg
	case strings.Contains(msg, "certificate required"), strings.Contains(msg, "bad certificate"),
		strings.Contains(msg, "unknown certificate authority"):
		return "it refused the client certificate, or wants one (give it with --cert and --key): " + msg
	case strings.Contains(msg, "first record does not look like a TLS handshake"):
		return "it does not speak TLS: use an etcd:// URL"
	}
	return "TLS failed: " + msg
}
