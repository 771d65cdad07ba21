package repl

import (
	"skysh/backend"
	"skysh/render"
)

// local returns the store as a local one, if it is: what only a data
// directory has (!save, its !status, the directory !dump refuses).
func (s *Shell) local() (backend.Local, bool) {
	l, ok := s.cfg.Store.(backend.Local)
	return l, ok
}

// place says where the data lives, for the greeting: the data directory
// as an absolute path, "memory" for a store without one, or the cluster
// and keyspace.
func (s *Shell) place() string {
	if r, ok := s.cfg.Store.(backend.Remote); ok {
		return r.Where()
	}
	if l, ok := s.local(); ok {
		if dir := absolute(l.State().DataDir); dir != "" {
			return dir
		}
	}
	return "memory"
}

// remoteStatus is !status for a store that is not local: the store's own
// report, as a table of fields or one JSON object.
func (s *Shell) remoteStatus(at where, interactive bool) outcome {
	r, ok := s.cfg.Store.(backend.Remote)
	if !ok {
		s.reportError(at, "this store has no status to show", interactive)
		return lineFailed
	}
	rep, err := r.Status()
	if err != nil {
		s.reportError(at, "cannot read the cluster's status: "+err.Error(), interactive)
		return lineFailed
	}
	if s.cfg.Format == render.JSON {
		s.jsonLine(rep.JSON)
		return lineOK
	}
	rows := make([][]string, len(rep.Rows))
	for i, r := range rep.Rows {
		rows[i] = []string{r[0], r[1]}
	}
	s.r.Table([]string{"FIELD", "VALUE"}, rows)
	return lineOK
}

// savedRemotely is what !save says of a store that saves nothing itself.
func (s *Shell) savedRemotely() string {
	return "nothing to save: every acknowledged write is already durable on " + s.place()
}
