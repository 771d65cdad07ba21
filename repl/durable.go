package repl

import (
	"fmt"
	"io"
)

// durableWriter is what the shell's answers are written through: before any
// byte reaches the real output, the engine commits its journal. Answers are
// buffered, so this runs once per flush, and the journal's fsync is shared
// by every answer in it (group commit); and because bufio flushes through
// here even when its buffer fills mid-script, no answer to a write is ever
// seen before the write is durable.
type durableWriter struct {
	w      io.Writer
	commit func() error
	errOut io.Writer // where a failed commit is reported
}

func (d *durableWriter) Write(p []byte) (int, error) {
	if err := d.commit(); err != nil {
		fmt.Fprintf(d.errOut, "skysh: warning: %v; the writes answered next are in memory only until a save succeeds\n", err)
	}
	return d.w.Write(p)
}
