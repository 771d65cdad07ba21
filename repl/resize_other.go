//go:build !unix

package repl

// notifyResize does nothing where there is no SIGWINCH.
func notifyResize(func()) (stop func()) { return func() {} }
