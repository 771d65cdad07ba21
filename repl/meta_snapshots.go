package repl

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"skysh/engine"
	"skysh/render"
)

func (s *Shell) metaSnapshots(args []string, at where, interactive bool) outcome {
	list, err := s.cfg.Engine.Snapshots()
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
			strconv.FormatInt(sn.Size, 10), keys})
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

// dumpHeader opens a dump so that a reader knows what the file is.
const dumpHeader = "# skysh dump of %d keys, %s. Replay into an empty store with: skysh < FILE\n"

func (s *Shell) metaDump(args []string, at where, interactive bool) outcome {
	e := s.cfg.Engine
	if len(args) > 2 {
		s.reportError(at, "!dump takes at most one file name", interactive)
		return lineFailed
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 256<<10)
		fmt.Fprintf(bw, dumpHeader, e.Len(), time.Now().UTC().Format(time.RFC3339))
		err := e.RangeSorted(func(k, v string) error {
			bw.WriteString("USET ")
			bw.WriteString(Quote(k))
			bw.WriteByte(' ')
			bw.WriteString(Quote(v))
			return bw.WriteByte('\n')
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	if len(args) == 2 {
		n := e.Len()
		if err := engine.WriteFile(args[1], write); err != nil {
			s.reportError(at, "cannot dump: "+err.Error(), interactive)
			return lineFailed
		}
		msg := fmt.Sprintf("dumped %d keys to %s", n, args[1])
		if s.cfg.Format == render.JSON {
			s.jsonLine(map[string]any{"dumped": n, "file": args[1]})
		} else {
			s.out.WriteString(msg + "\n")
		}
		return lineOK
	}
	if s.cfg.Format == render.JSON {
		var b strings.Builder
		write(&b)
		s.text(args, b.String())
		return lineOK
	}
	write(s.out)
	return lineOK
}
