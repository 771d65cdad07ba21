package repl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"skysh/data"
	"skysh/engine"
	"skysh/render"
)

// statusJSON is the JSON form of !status: one object, typed fields.
type statusJSON struct {
	Keys          int        `json:"keys"`
	Unsaved       uint64     `json:"unsaved_changes"`
	LastSave      *time.Time `json:"last_save"`
	Poisoned      bool       `json:"poisoned"`
	Reason        string     `json:"reason,omitempty"`
	NextRetry     *time.Time `json:"next_retry,omitempty"`
	DataDir       string     `json:"data_dir"`
	SaveEverySecs int64      `json:"bgsave_every_seconds"`
	Journal       string     `json:"journal"`
	JournalWrites uint64     `json:"journal_writes"`
	JournalBytes  int64      `json:"journal_bytes"`
	JournalError  string     `json:"journal_error,omitempty"`
	LastFsync     *time.Time `json:"journal_last_fsync"`
	DiskProblem   string     `json:"disk_problem,omitempty"`
}

func (s *Shell) metaStatus(args []string, at where, interactive bool) outcome {
	l, ok := s.local()
	if !ok {
		return s.remoteStatus(at, interactive)
	}
	st := l.State()
	if s.cfg.Format == render.JSON {
		out := statusJSON{
			Keys: st.Keys, Unsaved: st.Unsaved, Poisoned: st.Poisoned, Reason: st.Reason,
			DataDir: absolute(st.DataDir), SaveEverySecs: int64(st.SaveEvery / time.Second),
			DiskProblem: st.DiskProblem, Journal: st.Journal, JournalWrites: st.JournalRecords, JournalBytes: st.JournalBytes, JournalError: st.JournalError,
		}
		if !st.LastFsync.IsZero() {
			t := st.LastFsync.UTC()
			out.LastFsync = &t
		}
		if !st.LastSave.IsZero() {
			t := st.LastSave.UTC()
			out.LastSave = &t
		}
		if !st.NextRetry.IsZero() {
			t := st.NextRetry.UTC()
			out.NextRetry = &t
		}
		s.jsonLine(out)
		return lineOK
	}
	state := "ok: writes accepted"
	switch {
	case st.Poisoned:
		state = "POISONED: writes refused (" + st.Reason + ")"
	case st.DiskProblem != "":
		// Not ok: the data on disk is gone until the next save.
		state = "NOT ON DISK: " + st.DiskProblem + "; the next save (!save, BGSAVE or exit) writes it again"
	}
	rows := [][]string{
		{"state", state},
		{"keys", strconv.Itoa(st.Keys)},
		{"unsaved changes", strconv.FormatUint(st.Unsaved, 10)},
		{"last save", sinceText(st.LastSave)},
	}
	if !st.NextRetry.IsZero() {
		rows = append(rows, []string{"next retry", st.NextRetry.UTC().Format(time.RFC3339) +
			" (in " + time.Until(st.NextRetry).Round(time.Second).String() + ")"})
	}
	every := "off (saved only at exit)"
	if st.SaveEvery > 0 {
		every = "every " + st.SaveEvery.String()
	}
	rows = append(rows, []string{"bgsave", every}, []string{"journal", journalText(st)}, []string{"data directory", absolute(st.DataDir)})
	s.r.Table([]string{"FIELD", "VALUE"}, rows)
	return lineOK
}

// journalText sums up the journal for a person.
func journalText(st engine.State) string {
	switch {
	case st.Journal == "off":
		return "off (a crash loses the writes since the last save)"
	case st.JournalError != "":
		return "FAILED: " + st.JournalError
	}
	return fmt.Sprintf("fsync %s; %s since data.bin was saved; journal file %s; last fsync %s",
		st.Journal, plural(int(st.JournalRecords), "write"), humanBytes(st.JournalBytes), sinceText(st.LastFsync))
}

// sinceText shows a save time for a person.
func sinceText(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339) + " (" + time.Since(t).Round(time.Second).String() + " ago)"
}

func (s *Shell) metaSave(args []string, at where, interactive bool) outcome {
	l, ok := s.local()
	var wrote bool
	var msg string
	if ok {
		st := l.State()
		var err error
		if wrote, err = l.SaveNow(); err != nil {
			s.reportError(at, "save failed: "+err.Error(), interactive)
			return lineFailed
		}
		msg = "nothing changed since the last save"
		if wrote {
			msg = fmt.Sprintf("saved %s to %s", data.KeyCount(st.Keys), st.DataFile)
		}
	} else {
		msg = s.savedRemotely()
	}
	if s.cfg.Format == render.JSON {
		s.jsonLine(map[string]any{"saved": wrote, "message": msg})
		return lineOK
	}
	s.out.WriteString(msg + "\n")
	return lineOK
}

// jsonLine writes v as one line of JSON.
func (s *Shell) jsonLine(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.r.Error("cannot encode JSON: " + err.Error())
		return
	}
	s.out.Write(append(b, '\n'))
}
