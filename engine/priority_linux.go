package engine

import (
	"runtime"
	"syscall"
)

// lowerPriority moves the calling goroutine to a thread of its own with the
// lowest CPU priority (nice 19; on Linux nice is per thread), for work that
// must not keep the shell's threads off a CPU. The thread ends with the
// goroutine, which must not unlock it.
func lowerPriority() {
	runtime.LockOSThread()
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}
