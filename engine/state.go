package engine

import (
	"io/fs"
	"time"
)

// State is the engine's persistence state, for `!status`.
type State struct {
	Keys      int
	Unsaved   uint64    // changes since the last successful save
	LastSave  time.Time // zero when data.bin was never written by this run
	Poisoned  bool
	Reason    string    // why writes are refused, when Poisoned
	NextRetry time.Time // when a failed BGSAVE is tried again; zero if none
	DataDir   string    // "" for an engine without one
	DataFile  string    // data.bin inside DataDir
	SaveEvery time.Duration

	// The write journal.
	Journal        string    // its fsync policy, or "off"
	JournalRecords uint64    // writes journaled since data.bin was saved
	JournalBytes   int64     // size of the journal file written to now
	JournalError   string    // why it stopped, when it failed
	LastFsync      time.Time // when it was last fsynced; zero if never
	// DiskProblem says why data.bin on disk does not hold what skysh last
	// saved (deleted, replaced, rewritten, the directory removed), or is
	// "". The next save writes the store again.
	DiskProblem string
}

// State reports the persistence state as it is now.
func (e *Engine) State() State {
	lastFsync := e.lastJournalSync()

	var problem string
	if e.dir != nil {
		problem = e.diskProblem()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st := State{
		LastFsync: lastFsync,
		Keys:      e.store.count,
		Unsaved:   e.changes - e.saved,
		LastSave:  e.lastSave,
		NextRetry: e.nextRetry,
		SaveEvery: e.opts.SaveEvery,

		DiskProblem: problem,
	}
	st.Reason, st.Poisoned = e.poison.reason()
	e.journalStateLocked(&st)
	if e.dir != nil {
		st.DataDir = e.dir.Path()
		st.DataFile = e.dir.DataFile()
	}
	return st
}

// DataDirStat describes the data directory skysh opened, even after it was
// renamed: exports compare paths with it to stay out of it. It returns
// ErrNoDataDir for an engine made by New.
func (e *Engine) DataDirStat() (fs.FileInfo, error) {
	if e.dir == nil {
		return nil, ErrNoDataDir
	}
	return e.dir.Stat()
}
