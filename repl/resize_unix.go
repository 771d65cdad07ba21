//go:build unix

package repl

import (
	"os"
	"os/signal"
	"syscall"
)

// notifyResize calls resized on each change of the terminal window's size
// until the returned stop is called.
func notifyResize(resized func()) (stop func()) {
	winch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(winch, syscall.SIGWINCH)
	go func() {
		for {
			select {
			case <-winch:
				resized()
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(winch)
		close(done)
	}
}
