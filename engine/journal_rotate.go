package engine

import (
	"fmt"
	"time"

	"skysh/data"
)

// A save of data.bin rotates the journal. The snapshot it writes is taken
// at a sequence S, and at that same instant the current segment is sealed
// and a new one starts at S+1; once data.bin (holding S) is on disk, every
// segment before the new one is redundant and removed. A crash anywhere in
// between leaves a data.bin and segments whose sequences still join up.

// snapshotForSave takes the snapshot a save of data.bin writes and, when the
// journal is healthy and holds records, starts the next segment at the
// snapshot's sequence.
func (e *Engine) snapshotForSave() *Snapshot {
	if e.jr == nil {
		return e.Snapshot()
	}
	e.jmu.Lock()
	defer e.jmu.Unlock()
	e.mu.Lock()
	sn := e.store.snapshot()
	sn.Changes, sn.Seq = e.changes, e.seq
	old := e.jr.cur
	if old == nil || !old.hasRecords(e.seq) {
		e.mu.Unlock()
		return sn
	}
	change, err := e.writePendingLocked()
	var next *segment
	if err == nil {
		// Creating a file and writing its header costs microseconds;
		// the fsyncs wait until queries may go on, or for a write.
		if next, err = e.createSegment(e.seq + 1); err == nil {
			e.jr.cur = next
		}
		// A segment that cannot be created is no failure of the
		// journal: the old one goes on, and the next save tries again.
	}
	e.mu.Unlock()
	e.announce(change)
	if next == nil {
		return sn
	}
	// Seal the old segment before Commit (which waits for jmu) reports any
	// record in the new one durable, unless a commit already made all its
	// records durable (as it does at every answer with fsync always). The
	// new one and its name are made durable by the fsync that first
	// reports one of its records so: a save with no write after it (the
	// final one) costs no fsync for it.
	if e.jr.synced < sn.Seq {
		err = e.fsyncSegment(old)
	}
	old.f.Close()
	if err != nil {
		e.mu.Lock()
		if e.jr.cur == next {
			change, _ = e.failJournalLocked(fmt.Errorf("cannot rotate the journal: %w", err))
		}
		e.mu.Unlock()
		e.announce(change)
		return sn
	}
	e.mu.Lock()
	e.jr.synced = max(e.jr.synced, sn.Seq)
	e.mu.Unlock()
	e.jr.lastSync = time.Now()
	return sn
}

// afterSave runs once a data.bin holding every write up to seq is on disk:
// those writes are durable, the segments that hold only them go, and a
// journal that had failed starts afresh, which lifts its poison.
func (e *Engine) afterSave(seq uint64) {
	if e.jr == nil {
		return
	}
	e.jmu.Lock()
	defer e.jmu.Unlock()
	e.mu.Lock()
	e.jr.synced = max(e.jr.synced, seq)
	var change poisonChange
	if cur := e.jr.cur; cur != nil && cur.root != e.dir.Root() {
		// The save made the data directory again: the segment being
		// written is in the removed one.
		change, _ = e.failJournalLocked(e.segmentHome(cur))
	}
	restart := e.jr.cur == nil && e.seq == seq // no write since: the store is poisoned
	e.mu.Unlock()
	e.announce(change)
	if restart {
		e.restartJournal(seq)
	}
	e.mu.Lock()
	keep := ""
	if e.jr.cur != nil {
		keep = e.jr.cur.name
	}
	e.mu.Unlock()
	if err := e.removeSegments(seq, keep); err != nil {
		fmt.Fprintf(e.opts.Log, "skysh: %v\n", data.Explained(err))
	}
}

// journalFailed reports whether the journal has failed and not started
// again, and the sequence data.bin holds.
func (e *Engine) journalFailed() (savedSeq uint64, failed bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.savedSeq, e.jr != nil && e.jr.cur == nil && e.jr.failed != nil
}

// restartJournal starts a new segment after a failed one, now that data.bin
// holds every write up to seq; the caller holds jmu. Writes are refused
// until it is durable, so none can be acknowledged into a segment that is
// not.
func (e *Engine) restartJournal(seq uint64) {
	next, err := e.startSegment(seq + 1)
	if err != nil {
		e.mu.Lock()
		change := e.journalFailedLocked(err)
		e.mu.Unlock()
		e.announce(change)
		return
	}
	e.mu.Lock()
	e.jr.cur, e.jr.failed, e.jr.written = next, nil, seq
	e.jr.lastSync = time.Now()
	change := e.changePoisonLocked(func(p *poisonState) { delete(p.reasons, SourceJournal) })
	e.mu.Unlock()
	e.announce(change)
}

// closeJournal ends the journal after the final save: data.bin holds every
// write, so the last segment, empty, goes too, and a clean exit leaves no
// journal behind.
func (e *Engine) closeJournal() {
	if e.jr == nil {
		return
	}
	e.stopJournalSync()
	e.jmu.Lock()
	defer e.jmu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	cur := e.jr.cur
	if cur == nil || cur.hasRecords(e.seq) || len(e.jr.pending) > 0 {
		return
	}
	cur.f.Close()
	e.jr.cur = nil
	if err := e.removeSegment(cur.name); err != nil {
		fmt.Fprintf(e.opts.Log, "skysh: %v\n", data.Explained(err))
	}
}
