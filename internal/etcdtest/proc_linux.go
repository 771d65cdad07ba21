package etcdtest

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// Linux sends a child its parent-death signal when the thread that forked
// it ends, not the process; Go may end threads. So members are forked from
// one goroutine locked to its thread for the life of the process, and the
// kernel kills them when the test process ends, however it ends (a panic, a
// timeout, kill -9): no etcd outlives its test.
var (
	spawns     = make(chan spawn)
	spawnerRun sync.Once
)

type spawn struct {
	cmd  *exec.Cmd
	done chan error
}

// spawner forks every member, from its own thread.
func spawner() {
	runtime.LockOSThread() // never unlocked: the thread lives as long as the process
	for s := range spawns {
		s.done <- s.cmd.Start()
	}
}

// startChild starts cmd so that it dies with the test process.
func startChild(cmd *exec.Cmd) error {
	spawnerRun.Do(func() { go spawner() })
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s := spawn{cmd, make(chan error)}
	spawns <- s
	return <-s.done
}
