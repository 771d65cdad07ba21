//go:build !linux

package repl

import "io"

// readable cannot tell here: input.queued falls back on whether the last
// read filled its space.
func readable(io.Reader) (int, bool) { return 0, false }
