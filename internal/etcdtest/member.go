package etcdtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// member is one etcd process of a cluster.
type member struct {
	name       string
	dataDir    string
	logPath    string // etcd's own log, and anything it prints
	clientPort int
	peerPort   int

	cmd  *exec.Cmd     // nil while stopped
	done chan struct{} // closed when cmd has ended
}

// errBind is a member that could not listen on its ports: another process
// took one between freePorts and etcd binding it.
var errBind = errors.New("a port was taken")

func (m *member) clientAddr() string { return "127.0.0.1:" + strconv.Itoa(m.clientPort) }
func (m *member) peerURL() string    { return "http://127.0.0.1:" + strconv.Itoa(m.peerPort) }

// running reports whether the member's process is alive.
func (m *member) running() bool {
	if m.cmd == nil {
		return false
	}
	select {
	case <-m.done:
		return false
	default:
		return true
	}
}

// start runs etcd with args, its output appended to the member's log.
func (m *member) start(args []string) error {
	log, err := os.OpenFile(m.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close() // the process has its own copy
	cmd := exec.Command(Binary, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := startChild(cmd); err != nil {
		return fmt.Errorf("cannot start %s: %w", Binary, err)
	}
	m.cmd, m.done = cmd, make(chan struct{})
	done := m.done
	go func() {
		cmd.Wait()
		close(done)
	}()
	return nil
}

// exitError says why the member ended while it should be running: errBind
// when it could not listen, else the end of its log.
func (m *member) exitError() error {
	log, _ := os.ReadFile(m.logPath)
	if bytes.Contains(log, []byte("address already in use")) {
		return fmt.Errorf("member %s: %w", m.name, errBind)
	}
	return fmt.Errorf("member %s exited (%v); its log ends:\n%s", m.name, m.cmd.ProcessState, tail(log, 2000))
}

// tail is the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// signal sends sig to the member and waits up to wait for it to end; it
// reports whether it did.
func (m *member) signal(sig syscall.Signal, wait time.Duration) bool {
	if !m.running() {
		return true
	}
	m.cmd.Process.Signal(sig)
	select {
	case <-m.done:
		return true
	case <-time.After(wait):
		return false
	}
}

// kill ends the member at once, as a crash does.
func (m *member) kill() {
	if m.cmd != nil {
		m.signal(syscall.SIGKILL, stopDeadline)
	}
}

// stop ends the member as an operator does, with SIGTERM; one that has not
// ended in time (a leader without peers can wait long to hand over) is
// killed.
func (m *member) stop() {
	if !m.signal(syscall.SIGTERM, stopDeadline) {
		m.kill()
	}
}

// freePorts returns n distinct loopback ports that were free a moment ago:
// each is found by listening on port 0 and closing the listener. All are
// held open until all are found, so that none is handed out twice.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("cannot find a free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
