// Package repl is skysh's input side: the tokenizer, the interactive loop, the
// batch loop for pipes, -e, and the shell's own commands (!help, ?ACTION, …).
package repl

import (
	"bufio"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"skysh/engine"
	"skysh/render"
)

// Config says where a shell reads and writes and in which form.
type Config struct {
	Engine *engine.Engine
	Out    io.Writer // answers
	Err    io.Writer // diagnostics: parse errors and failed queries in batch mode
	Format render.Format
	Colour bool
	// Bail stops batch and -e runs at the first line that fails.
	Bail bool
}

// Shell runs queries and renders their answers. One goroutine drives it;
// Stop may be called from another (a signal handler).
type Shell struct {
	cfg Config
	out *bufio.Writer
	r   *render.Renderer

	// busy is held while a query runs and its answer is written, so that
	// Stop can wait for the shell to be between two queries.
	busy     sync.Mutex
	stopping bool // guarded by busy
	// restore puts the terminal back; set by the interactive loop.
	restore func()
	// keys is the interactive loop's key reader, which Stop and Redraw
	// reach from other goroutines; nil outside the interactive loop.
	keys atomic.Pointer[keyParser]

	failed bool     // some line failed: decides the exit status
	args   []string // reused by runLine for each line's arguments
}

// outBufferSize is large because a batch run may print millions of answers:
// they must cost few write calls, not one each.
const outBufferSize = 256 << 10

// New returns a shell for cfg.
func New(cfg Config) *Shell {
	out := bufio.NewWriterSize(cfg.Out, outBufferSize)
	return &Shell{cfg: cfg, out: out, r: render.New(out, cfg.Format, cfg.Colour)}
}

// Failed reports whether any query so far failed to parse, answered a code of
// 2 or more, or answered an error string.
func (s *Shell) Failed() bool { return s.failed }

// Stop waits until no query is running, flushes what was answered, puts the
// terminal back if the shell had changed it, and makes every loop return
// before its next query. It is how a signal handler takes over for the final
// save. The shell stays stopped.
func (s *Shell) Stop() {
	s.busy.Lock()
	defer s.busy.Unlock()
	s.stopping = true
	s.out.Flush()
	if keys := s.keys.Load(); keys != nil {
		keys.hangUp()
	}
	if s.restore != nil {
		s.restore()
	}
}

// outcome is what one line did.
type outcome int

const (
	lineOK      outcome = iota
	lineFailed          // a parse error, a code ≥ 2 or an error string
	lineQuit            // exit or quit
	lineStopped         // not run: the shell is stopping
)

// step runs one line's work under the busy lock, unless the shell is stopping.
func (s *Shell) step(run func() outcome) outcome {
	s.busy.Lock()
	defer s.busy.Unlock()
	if s.stopping {
		return lineStopped
	}
	return run()
}

// flush writes the buffered answers out.
func (s *Shell) flush() {
	s.busy.Lock()
	defer s.busy.Unlock()
	s.out.Flush()
}

// where names a line for diagnostics: "line 3" in a script, "query 2" for -e.
type where struct {
	kind string
	n    int
}

func (w where) String() string { return fmt.Sprintf("%s %d", w.kind, w.n) }

// runLine runs one logical line (continuations joined). interactive says
// whether failures are shown inline to a person rather than reported on
// stderr for a script.
func (s *Shell) runLine(line string, at where, interactive bool) outcome {
	args, err := appendTokens(s.args[:0], line)
	s.args = args
	if err != nil {
		s.reportError(at, err.Error(), interactive)
		return lineFailed
	}
	return s.runArgs(args, at, interactive)
}

// runArgs runs one tokenized line.
func (s *Shell) runArgs(args []string, at where, interactive bool) outcome {
	if len(args) == 0 {
		return lineOK
	}
	if res, ok := s.runMeta(args, at, interactive); ok {
		return res
	}
	resp := s.cfg.Engine.Exec(args)
	if engine.Failed(resp) {
		s.failed = true
		if !interactive {
			s.diag(at, render.Describe(resp))
			if s.cfg.Format != render.JSON {
				return lineFailed
			}
		}
		s.r.Response(args, resp)
		return lineFailed
	}
	s.r.Response(args, resp)
	return lineOK
}

// reportError reports a line that could not run. A script gets it on stderr;
// JSON output also gets one {"error":…} line so outputs stay aligned with
// inputs; a person at a terminal sees it inline.
func (s *Shell) reportError(at where, msg string, interactive bool) {
	s.failed = true
	if interactive {
		s.r.Error(msg)
		return
	}
	s.diag(at, msg)
	if s.cfg.Format == render.JSON {
		s.r.Error(msg)
	}
}

// diag writes a diagnostic to stderr, after flushing the answers before it so
// that a reader of both streams sees them in order. msg may echo user input,
// so it is escaped: a line of a script cannot drive the terminal.
func (s *Shell) diag(at where, msg string) {
	s.out.Flush()
	fmt.Fprintf(s.cfg.Err, "%s: %s\n", at, render.Printable(msg))
}

// Redraw makes the interactive prompt draw itself again, so that it shows a
// change of the poison state while the user is idle. Safe from any
// goroutine; it does nothing outside the interactive loop.
func (s *Shell) Redraw() {
	if keys := s.keys.Load(); keys != nil {
		keys.redraw()
	}
}
