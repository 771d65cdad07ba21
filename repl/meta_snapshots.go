package repl

import (
	"strconv"
	"time"

	"skysh/engine"
	"skysh/render"
)

func (s *Shell) metaSnapshots(args []string, at where, interactive bool) outcome {
	lister, ok := s.cfg.Store.(interface {
		Snapshots() ([]engine.SnapshotInfo, error)
	})
	if !ok {
		s.reportError(at, "this store keeps no snapshots", interactive)
		return lineFailed
	}
	list, err := lister.Snapshots()
	if err != nil {
		s.reportError(at, "cannot list snapshots: "+err.Error(), interactive)
		return lineFailed
	}
	if s.cfg.Format == render.JSON {
		s.jsonLine(snapshotsJSON(list))
		return lineOK
	}
	rows := make([][]string, 0, len(list))
	for _, sn := range list {
		kind := "auto"
		if sn.Remote {
			kind = "remote"
		}
		keys := strconv.FormatInt(sn.Keys, 10)
		if sn.Keys < 0 {
			keys = "unreadable: " + sn.Err
		}
		rows = append(rows, []string{sn.Name, kind, sn.Time.UTC().Format(time.RFC3339),
			humanBytes(sn.Size), keys})
	}
	if len(rows) == 0 {
		s.out.WriteString("no snapshots yet: MKSNAP NAME writes one, --snapevery SECS makes them automatic\n")
		return lineOK
	}
	s.r.Table([]string{"name", "kind", "time", "size", "keys"}, rows)
	return lineOK
}

// snapshotJSON is one snapshot in the JSON form of !snapshots: typed fields,
// keys null and an error when the file's header cannot be read.
type snapshotJSON struct {
	Name  string    `json:"name"`
	Kind  string    `json:"kind"`
	Time  time.Time `json:"time"`
	Size  int64     `json:"size"`
	Keys  *int64    `json:"keys"`
	Error string    `json:"error,omitempty"`
}

func snapshotsJSON(list []engine.SnapshotInfo) []snapshotJSON {
	out := make([]snapshotJSON, 0, len(list))
	for _, sn := range list {
		j := snapshotJSON{Name: sn.Name, Kind: "auto", Time: sn.Time.UTC(), Size: sn.Size, Error: sn.Err}
		if sn.Remote {
			j.Kind = "remote"
		}
		if sn.Keys >= 0 {
			j.Keys = &sn.Keys
		}
		out = append(out, j)
	}
	return out
}
