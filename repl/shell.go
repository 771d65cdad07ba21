// Package repl is skysh's input side: the tokenizer, the interactive loop, the
// batch loop for pipes, -e, and the shell's own commands (!help, ?ACTION, …).
package repl

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"skysh/backend"
	"skysh/engine"
	"skysh/render"
)

// Config says where a shell reads and writes and in which form.
type Config struct {
	// Store is the database queried: the local engine or a cluster.
	Store  backend.Store
	Out    io.Writer // answers
	Err    io.Writer // diagnostics: parse errors and failed queries in batch mode
	Format render.Format
	Colour bool
	// Bail stops batch and -e runs at the first line that fails.
	Bail bool
	// Quiet prints no answers, only what failed (on stderr): for replaying
	// a dump of a million keys.
	Quiet bool
}

// Shell runs queries and renders their answers. One goroutine drives it;
// Stop may be called from another (a signal handler).
type Shell struct {
	cfg Config
	r   *render.Renderer

	// busy is held while a query runs and renders its answer into out, so
	// that Stop can wait for the shell to be between two queries. It is
	// never held while output is written: a reader that stops reading must
	// not keep Stop waiting.
	busy     sync.Mutex
	stopping bool    // guarded by busy
	out      *output // guarded by busy
	// writing is held while output is written out, so that batches go out
	// whole and in order; ahead counts the batch being written out by
	// flushAhead (at most one).
	writing sync.Mutex
	ahead   sync.WaitGroup
	// restore puts the terminal back; set by the interactive loop.
	restore func()
	// keys is the interactive loop's key reader, which Stop and Redraw
	// reach from other goroutines; nil outside the interactive loop.
	keys atomic.Pointer[keyParser]

	failed  bool     // some line failed: decides the exit status
	args    []string // reused by runLine for each line's arguments
	timer   bool     // !timer on: say how long each query took
	pager   string   // at the prompt, the pager for long answers; "" for none
	noFit   bool     // !width off: tables as wide as their cells
	reading int      // how deep in !read FILE the shell is
}

// outBufferSize is how much output is gathered before it is written: a
// batch run may print millions of answers, and they must cost few write
// calls, not one each.
const outBufferSize = 256 << 10

// New returns a shell for cfg.
func New(cfg Config) *Shell {
	out := &output{out: cfg.Out, err: cfg.Err, commit: cfg.Store.Commit, stopped: make(chan struct{})}
	s := &Shell{cfg: cfg, out: out}
	s.setRenderer()
	return s
}

// setRenderer makes the renderer for the configured form; --quiet renders
// answers into nothing.
func (s *Shell) setRenderer() {
	var w io.Writer = s.out
	if s.cfg.Quiet {
		w = io.Discard
	}
	s.r = render.New(w, s.cfg.Format, s.cfg.Colour)
}

// Failed reports whether any query so far failed to parse, answered a code of
// 2 or more, or answered an error string.
func (s *Shell) Failed() bool { return s.failed }

// Stop waits until no query is running, makes every loop return before its
// next query, and puts the terminal back if the shell had changed it. It is
// how a signal handler takes over for the final save: once Stop returns, no
// query runs again. The shell stays stopped.
//
// Stop does not wait for the answers to be written: a reader that has
// stopped reading must not hold up the final save. It starts writing them
// and returns a channel that is closed once they are out. Answers held
// because their writes could not be made durable are dropped: the final
// save makes them durable or says it cannot.
func (s *Shell) Stop() <-chan struct{} {
	s.busy.Lock()
	s.stopping = true
	rest := s.out.take()
	s.out.stop()
	if keys := s.keys.Load(); keys != nil {
		keys.hangUp()
	}
	if s.restore != nil {
		s.restore()
	}
	s.busy.Unlock()
	written := make(chan struct{})
	go func() {
		defer close(written)
		s.writing.Lock()
		defer s.writing.Unlock()
		s.out.write(rest)
	}()
	return written
}

// outcome is what one line did.
type outcome int

const (
	lineOK      outcome = iota
	lineFailed          // a parse error, a code ≥ 2 or an error string
	lineQuit            // exit or quit
	lineStopped         // not run: the shell is stopping
)

// step runs one line's work under the busy lock, unless the shell is
// stopping. Once a buffer's worth of output has gathered, it is written out
// ahead, while the next lines run.
func (s *Shell) step(run func() outcome) outcome {
	res, full := s.stepLocked(run)
	if full {
		s.flushAhead()
	}
	return res
}

func (s *Shell) stepLocked(run func() outcome) (outcome, bool) {
	s.busy.Lock()
	defer s.busy.Unlock()
	if s.stopping {
		return lineStopped, false
	}
	return run(), s.out.size() >= outBufferSize
}

// flush writes out what the queries so far have printed, and returns once
// it is out. It holds busy only to take the output, so a blocked write
// never keeps Stop waiting.
func (s *Shell) flush() { s.flushWith(s.out.write) }

// flushWith is flush writing the batch with write: the output's own, or
// the prompt's, which may page it.
func (s *Shell) flushWith(write func(batch)) {
	s.ahead.Wait()
	s.writing.Lock()
	defer s.writing.Unlock()
	s.writeOut(s.takeOutput(), write)
}

// flushAhead writes out what the queries so far have printed on a goroutine
// of its own and returns at once: the next queries run while the journal is
// fsynced for these answers, so a script's group commits cost it no time.
// One batch is in flight at a time, and batches go out in order: each is
// taken with the writing lock held, which its goroutine lets go.
func (s *Shell) flushAhead() {
	s.ahead.Wait()
	s.writing.Lock()
	b := s.takeOutput()
	s.ahead.Add(1)
	go func() {
		defer s.ahead.Done()
		defer s.writing.Unlock()
		s.writeOut(b, s.out.write)
	}()
}

// takeOutput takes what is gathered, for writing out.
func (s *Shell) takeOutput() batch {
	s.busy.Lock()
	defer s.busy.Unlock()
	return s.out.take()
}

// writeOut writes b out and keeps its memory for the next batch; the
// caller holds writing.
func (s *Shell) writeOut(b batch, write func(batch)) {
	write(b)
	s.busy.Lock()
	s.out.reuse(b)
	s.busy.Unlock()
}

// answersLost is the error for answers that could not be written to
// stdout, or nil: the shell stopped reading queries at the first.
func (s *Shell) answersLost() error {
	if err := s.out.writeFailed(); err != nil {
		return fmt.Errorf("cannot write the answers to stdout: %w (the queries that ran are saved; no more were read)", err)
	}
	return nil
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
		s.reportLineError(at, line, err, interactive)
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
	if s.timer {
		defer s.showTime(time.Now())
	}
	return s.answer(args, s.cfg.Store.Exec(args), at, interactive)
}

// answer renders the store's answer to one query, and for a query that
// failed, reports it (with a hint where one helps) and marks the run failed.
func (s *Shell) answer(args []string, resp engine.Response, at where, interactive bool) outcome {
	if engine.Failed(resp) {
		s.failed = true
		advice := hint(args, resp)
		if !interactive {
			s.diag(at, withHint(render.Describe(resp), resp, advice))
			if s.cfg.Format != render.JSON {
				return lineFailed
			}
		}
		s.r.Response(args, resp)
		if interactive && advice != "" && s.cfg.Format != render.JSON {
			s.out.WriteString("hint: " + render.Printable(advice) + "\n")
		}
		return lineFailed
	}
	s.r.Response(args, resp)
	return lineOK
}

// showTime writes how long the query that started at start took, after
// its answer, for !timer. JSON keeps one line per query, so it has none.
func (s *Shell) showTime(start time.Time) {
	if s.cfg.Format == render.JSON {
		return
	}
	d := time.Since(start)
	s.out.WriteString(fmt.Sprintf("Run Time: %.3f ms\n", float64(d.Nanoseconds())/1e6))
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

// reportLineError reports a line that could not be read: for a syntax
// error, the line follows with a caret under the column, for people (on
// stderr, or inline at the prompt; a JSON answer stays one line).
func (s *Shell) reportLineError(at where, line string, err error, interactive bool) {
	s.reportError(at, err.Error(), interactive)
	var syntax *SyntaxError
	if !errors.As(err, &syntax) {
		return
	}
	switch {
	case !interactive:
		s.out.diag([]byte(caretUnder(line, syntax.Column)))
	case s.cfg.Format != render.JSON:
		s.out.WriteString(caretUnder(line, syntax.Column))
	}
}

// diag queues a diagnostic for stderr, after the answers before it, so that
// a reader of both streams sees them in order. msg may echo user input, so
// it is escaped: a line of a script cannot drive the terminal.
func (s *Shell) diag(at where, msg string) {
	s.out.diag(fmt.Appendf(nil, "%s: %s\n", at, render.Printable(msg)))
}

// Redraw makes the interactive prompt draw itself again, so that it shows a
// change of the poison state while the user is idle. Safe from any
// goroutine; it does nothing outside the interactive loop.
func (s *Shell) Redraw() {
	if keys := s.keys.Load(); keys != nil {
		keys.redraw()
	}
}
