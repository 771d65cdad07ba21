package repl

import (
	"fmt"
	"os"
)

// maxReadDepth bounds !read inside !read: a script that reads itself must
// end with an error, not exhaust memory.
const maxReadDepth = 16

// metaRead is `!read FILE`: it runs the queries of a script file, as a pipe
// would, from inside the shell. Its errors name the file and the line
// (`init.sky line 3: …`) on stderr, at a terminal too, since a person wants
// to know where in the file to look. exit or quit in the file ends the
// shell, and --bail stops at the file's first failure, as for any script.
func (s *Shell) metaRead(args []string, at where, interactive bool) outcome {
	if len(args) != 2 {
		s.reportError(at, "!read takes one file: !read FILE", interactive)
		return lineFailed
	}
	if s.reading >= maxReadDepth {
		s.reportError(at, fmt.Sprintf("!read %s: scripts read each other %d deep; is one reading itself?", Quote(args[1]), maxReadDepth), interactive)
		return lineFailed
	}
	f, err := openRegular(args[1], os.O_RDONLY)
	if err != nil {
		s.reportError(at, fmt.Sprintf("cannot read %s: %v", Quote(args[1]), err), interactive)
		return lineFailed
	}
	defer f.Close()
	s.reading++
	defer func() { s.reading-- }()

	in := newInput(f)
	c := newChunk()
	defer chunkPool.Put(c)
	res := lineOK
	for !in.done() {
		in.read()
		c.reset()
		in.parse(c)
		for i := range c.lines {
			l := &c.lines[i]
			lineAt := where{Quote(args[1]) + " line", l.first}
			var r outcome
			if l.err != nil {
				s.reportLineError(lineAt, l.text, l.err, false)
				r = lineFailed
			} else {
				r = s.runArgs(l.args, lineAt, false)
			}
			switch {
			case r == lineQuit:
				return lineQuit
			case r == lineFailed:
				res = lineFailed
				if s.cfg.Bail {
					return lineFailed
				}
			}
		}
	}
	if in.err != nil {
		s.reportError(at, fmt.Sprintf("cannot read %s: %v", Quote(args[1]), in.err), interactive)
		return lineFailed
	}
	return res
}
