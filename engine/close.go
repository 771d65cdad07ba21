package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrGaveUp is returned by Close when the user gave up on a final save that
// kept failing. The data is then in the rescue copy, if one could be written.
var ErrGaveUp = errors.New("gave up on the final save")

// Close stops BGSAVE and saves the store a last time. A failed save is
// retried every Options.RetryEvery, without backoff, until it succeeds or
// giveUp is closed; then the store is written to a rescue file in another
// directory instead, its path is reported, and Close returns ErrGaveUp.
// Close releases the data directory's lock. An engine made by New has
// nothing to save.
func (e *Engine) Close(giveUp <-chan struct{}) error {
	if e.dir == nil {
		return nil
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

// rescue writes the store to a new file outside the data directory, which
// has just failed, and tells the user where it is.
func (e *Engine) rescue() error {
	dir := e.opts.RescueDir
	if dir == "" {
		dir = os.TempDir()
	}
	name := fmt.Sprintf("skysh-rescue-%s-%d.bin", time.Now().UTC().Format("20060102-150405"), os.Getpid())
	sn := e.Snapshot()
	defer e.Release(sn)
	path := filepath.Join(dir, name)
	if err := e.writeSnapshot(sn, dir, name, foreground); err != nil {
		fmt.Fprintf(e.opts.Log, "Could not write a rescue copy either: %v. The unsaved changes are lost.\n", err)
		return fmt.Errorf("%w: rescue copy failed: %w", ErrGaveUp, err)
	}
	fmt.Fprintf(e.opts.Log, "Wrote a rescue copy of all %d keys to %s\n"+
		"To use it, copy it over %s (it has the same format) and start skysh again.\n",
		sn.Len(), path, e.dir.DataFile())
	return ErrGaveUp
}
