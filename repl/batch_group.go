package repl

import (
	"skysh/backend"
	"skysh/engine"
)

// A script run against a store that is a backend.Batcher (a cluster, where
// each query alone would cost a network round trip) hands it runs of
// consecutive queries at once; the store groups them into as few round
// trips as keep every answer what it would have been one by one.

// batcher returns the store as a Batcher, and whether this run may hand it
// groups of queries: not with !timer (each query's own time is asked for)
// nor with Bail (no query may run after one that failed).
func (s *Shell) batcher() (backend.Batcher, bool) {
	b, ok := s.cfg.Store.(backend.Batcher)
	return b, ok && !s.timer && !s.cfg.Bail
}

// queryRun counts the lines at the start of lines that are queries of the
// query language: a line that failed to parse, a shell command or an
// unknown action ends the run, and runs alone as it always does.
func queryRun(lines []parsedLine) int {
	for i := range lines {
		l := &lines[i]
		if l.err != nil || len(l.args) == 0 {
			return i
		}
		if _, ok := engine.LookupAction(l.args[0]); !ok {
			return i
		}
	}
	return len(lines)
}

// runGroup runs a run of queries through the batcher and answers each in
// order, as if they had run one by one. It is one step: Stop waits for
// the whole group, whose writes are made together. It reports whether the
// shell should stop.
func (s *Shell) runGroup(b backend.Batcher, lines []parsedLine) bool {
	queries := make([][]string, len(lines))
	for i := range lines {
		queries[i] = lines[i].args
	}
	res := s.step(func() outcome {
		answers := b.ExecBatch(queries)
		for i := range lines {
			s.answer(lines[i].args, answers[i], where{"line", lines[i].first}, false)
		}
		return lineOK
	})
	return res == lineStopped
}
