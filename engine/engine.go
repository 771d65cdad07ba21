// Package engine is skysh's database: the store, the query actions and their
// responses, the poison state, and (with package data) saving and loading.
// It knows nothing of terminals.
package engine

import (
	"sync"
	"time"

	"skysh/data"
)

// Engine executes queries against one in-memory store. It is safe for
// concurrent use: the shell runs queries while background savers take
// snapshots.
//
// Locks are taken in this order: saveMu, jmu, mu.
type Engine struct {
	mu      sync.Mutex
	store   *store
	changes uint64 // successful modifications since start
	poison  poisonState
	// seq numbers the write queries that changed the store: the journal
	// record of the last one, and what a data file written now holds.
	seq uint64

	// The write journal; nil when it is off (and for an engine made by
	// New). jmu serialises its fsyncs with the switch to a new segment.
	jr  *journal
	jmu sync.Mutex

	// Persistence; dir is nil for an engine made by New.
	dir    *data.Dir
	opts   Options
	saveMu sync.Mutex // one save of data.bin at a time
	// saved is the change counter of the store as data.bin holds it, and
	// lastSave when it was written; both guarded by mu. onDisk is which
	// file that is: a save is skipped only while data.bin is still it.
	saved     uint64
	savedSeq  uint64 // the journal sequence data.bin holds
	lastSave  time.Time
	onDisk    data.FileID // data.bin as the last save or the load left it; guarded by mu
	nextRetry time.Time   // when a poisoned BGSAVE tries again; guarded by mu
	closing   bool        // Close has begun: writes are refused; guarded by mu
	bgStop    chan struct{}
	bgDone    chan struct{}
	snap      snapshotter
}

// New returns an engine with an empty store.
func New() *Engine {
	return &Engine{store: newStore()}
}

// Exec runs one query. args[0] is the action name, in any case; the rest are
// its arguments. Exec never panics on user input.
func (e *Engine) Exec(args []string) Response {
	a, refused := check(args)
	if refused != nil {
		return refused
	}
	rest := args[1:]
	if a.unlocked {
		return a.run(e, rest)
	}
	e.mu.Lock()
	if a.write {
		if reason, poisoned := e.poison.reason(); poisoned {
			e.mu.Unlock()
			return Status{Code: ServerError, Detail: "store is poisoned (" + reason + "); writes are refused until a save succeeds"}
		}
		if e.closing {
			e.mu.Unlock()
			return Status{Code: ServerError, Detail: "skysh is shutting down; the write was not made"}
		}
		if e.opts.ReadOnly {
			e.mu.Unlock()
			return Status{Code: ServerError, Detail: ErrReadOnly.Error()}
		}
	}
	resp := a.run(e, rest)
	if e.jr == nil || e.jr.open < 0 {
		e.mu.Unlock()
		return resp
	}
	change := e.endRecordLocked()
	e.mu.Unlock()
	e.announce(change)
	return resp
}

// touch records n modifications, so savers know there is something to write.
func (e *Engine) touch(n int) {
	e.changes += uint64(n)
}

// Len is the number of keys in the store.
func (e *Engine) Len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.store.count
}

// Changes is a counter of successful modifications since the engine started.
// Comparing it with the value a save recorded tells whether the store is dirty.
func (e *Engine) Changes() uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.changes
}

// Snapshot returns a point-in-time view of the store, taken between two
// queries. It holds no lock once returned; call Release when done with it.
func (e *Engine) Snapshot() *Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	sn := e.store.snapshot()
	sn.Changes, sn.Seq = e.changes, e.seq
	return sn
}

// Release tells the engine a snapshot is no longer read, so that writes to
// the shards it froze stop copying them.
func (e *Engine) Release(sn *Snapshot) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.store.release(sn)
}
