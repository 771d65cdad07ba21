package engine

import (
	"fmt"

	"skysh/data"
)

// openJournal replays the journal records that data.bin does not hold, then
// creates the segment new writes go to, without an fsync: the first commit
// of a write makes it durable (unless the journal is off: then the
// replayed writes are saved into data.bin at once, and the journal removed).
// Damage anywhere but at the torn end of the journal refuses to start and
// changes nothing.
func (e *Engine) openJournal() error {
	segs, err := e.replayJournal()
	if err != nil {
		return err
	}
	if e.opts.NoJournal {
		if len(segs) == 0 {
			return nil
		}
		if _, err := e.Save(); err != nil {
			return fmt.Errorf("cannot save the journal's writes into data.bin: %w", err)
		}
		return e.removeAllSegments()
	}
	e.jr = &journal{policy: e.opts.Fsync, open: -1, written: e.seq, synced: e.seq}
	// Segments that start after the last write replayed hold no record, or
	// replay would have gone past them: a crash left them empty or torn.
	// Gone, they cannot be mistaken later for the successors of the
	// segment about to start (whose name they may have had).
	for _, sf := range segs {
		if sf.first > e.seq {
			if err := e.removeSegment(sf.name); err != nil {
				return err
			}
		}
	}
	cur, err := e.createSegment(e.seq + 1)
	if err != nil {
		return err
	}
	e.jr.cur = cur
	e.startJournalSync()
	return nil
}

// replayJournal applies the records of every segment that come after
// e.seq, and returns the segments.
func (e *Engine) replayJournal() ([]segmentFile, error) {
	segs, err := e.listSegments()
	if err != nil {
		return nil, err
	}
	replayed := 0
	for _, sf := range segs {
		n, err := e.replaySegment(sf)
		if err != nil {
			return nil, &fileError{ErrJournalFile, err}
		}
		replayed += n
	}
	if replayed > 0 {
		e.changes++ // data.bin lacks them: the next save writes them
		fmt.Fprintf(e.opts.Log, "skysh: replayed %d writes from the journal that data.bin did not hold yet\n", replayed)
	}
	return segs, nil
}

// replaySegment applies the records of one segment that come after e.seq,
// and says how many it applied. A torn tail is cut with a warning.
func (e *Engine) replaySegment(sf segmentFile) (int, error) {
	n := 0
	seg, err := e.readSegmentFile(sf.name, func(seq uint64, payload []byte) error {
		if seq <= e.seq {
			return nil // data.bin holds it already
		}
		if seq != e.seq+1 {
			return fmt.Errorf("it holds write %d, but data.bin and the journal before it end at write %d: "+
				"%s (was data.bin replaced by an older copy?)", seq, e.seq, missingWrites(e.seq+1, seq-1))
		}
		if err := data.DecodeOps(payload, e.replayOp); err != nil {
			return fmt.Errorf("write %d: %w", seq, err)
		}
		e.seq = seq
		n++
		return nil
	})
	path := e.dir.Shown(sf.name)
	switch {
	case err != nil:
		return n, fmt.Errorf("cannot replay the journal %s: %w", path, err)
	case !seg.HeaderTorn && seg.First != sf.first:
		return n, fmt.Errorf("cannot replay the journal %s: its header says it starts at write %d", path, seg.First)
	case !seg.HeaderTorn && seg.First > e.seq+1:
		// A segment starts where the data.bin of its time ended: one
		// that starts later than the data.bin found proves writes lost.
		return n, fmt.Errorf("cannot replay the journal %s: it starts at write %d, but data.bin and the journal before it end at write %d: "+
			"%s (was data.bin removed, or replaced by an older copy?)", path, seg.First, e.seq, missingWrites(e.seq+1, seg.First-1))
	case seg.HeaderTorn:
		fmt.Fprintf(e.opts.Log, "skysh: journal %s: its header is incomplete (%d bytes): a crash came right after it was created, before any write went into it; ignored\n", path, seg.Torn)
	case seg.Torn > 0:
		fmt.Fprintf(e.opts.Log, "skysh: journal %s: cut %d bytes at offset %d: the last write, which a crash interrupted before it was on disk\n", path, seg.Torn, seg.GoodSize)
	}
	return n, nil
}

// missingWrites names the writes from to to, which replay cannot find.
func missingWrites(from, to uint64) string {
	if from == to {
		return fmt.Sprintf("write %d is missing", from)
	}
	return fmt.Sprintf("writes %d to %d are missing", from, to)
}

// replayOp applies one journaled operation to the store.
func (e *Engine) replayOp(op byte, key, value string) error {
	switch op {
	case data.OpPut:
		e.store.put(key, value)
	case data.OpDel:
		e.store.remove(key)
	case data.OpFlush:
		e.store.clear()
	}
	return nil
}
