package engine

import (
	"errors"
	"fmt"
	"time"
)

// ErrGaveUp is returned by Close when the user gave up on a final save that
// kept failing. The data is then in the rescue copy.
var ErrGaveUp = errors.New("gave up on the final save")

// Close stops BGSAVE and saves the store a last time. A failed save is
// retried every Options.RetryEvery, without backoff, until it succeeds or
// giveUp is closed; then the store is written to a rescue file instead (see
// Options.RescueDirs), its path is reported, and Close returns ErrGaveUp.
// Close does not return before the data is in one file or the other.
// Close releases the data directory's lock. An engine made by New has
// nothing to save, and one opened ReadOnly only releases the lock.
func (e *Engine) Close(giveUp <-chan struct{}) error {
	if e.dir == nil {
		return nil
	}
	if e.opts.ReadOnly {
		return e.dir.Close()
	}
	e.mu.Lock()
	e.closing = true // a write after the final snapshot would be lost
	e.mu.Unlock()
	e.stopBGSave()
	e.stopSnapshots()
	// Every write is in the journal before the final save begins: should
	// the save never succeed, the next start still has them all.
	e.Commit()
	defer e.dir.Close()
	for attempt := 0; ; attempt++ {
		_, err := e.Save()
		if err == nil {
			if attempt > 0 {
				fmt.Fprintf(e.opts.Log, "Saved data to %s after %d failed attempts.\n", e.dir.DataFile(), attempt)
			}
			e.closeJournal()
			return nil
		}
		fmt.Fprintf(e.opts.Log, "Failed to write data with error '%v'. Attempting to retry in %v\n", err, e.opts.RetryEvery)
		if attempt == 0 {
			fmt.Fprintf(e.opts.Log, "Fix the cause to let the save finish, or press Ctrl-C three times to write a rescue copy elsewhere and quit.\n")
		}
		select {
		case <-time.After(e.opts.RetryEvery):
		case <-giveUp:
			return e.rescue()
		}
	}
}
