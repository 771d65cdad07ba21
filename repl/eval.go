package repl

// RunEval runs the queries given with -e, in order, as if they were the lines
// of a script; diagnostics name them "query N". It returns an error only
// when the answers could not be written to stdout.
func (s *Shell) RunEval(queries []string) error {
	for i, q := range queries {
		at := where{"query", i + 1}
		res := s.step(func() outcome { return s.runLine(q, at, false) })
		if res == lineQuit || res == lineStopped || (res == lineFailed && s.cfg.Bail) || s.out.writeFailed() != nil {
			break
		}
	}
	s.flush()
	return s.answersLost()
}
