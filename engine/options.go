package engine

import (
	"io"
	"os"
	"time"
)

// Options configure an engine opened on a data directory.
type Options struct {
	// SaveEvery is the BGSAVE interval; 0 turns BGSAVE off. A failed BGSAVE
	// is retried at the same interval.
	SaveEvery time.Duration
	// SnapEvery is the interval of automatic snapshots; 0 turns them off
	// (MKSNAP then answers err-snapshot-disabled; MKSNAP name still works).
	SnapEvery time.Duration
	// SnapKeep is how many automatic snapshots to keep, deleting the
	// oldest; 0 keeps them all.
	SnapKeep int
	// NoFailsafe stops a failed snapshot from poisoning the store. The
	// default, failsafe, refuses writes while snapshots fail, as Skytable does.
	NoFailsafe bool
	// Restore, if set, names a snapshot (relative to the snapshots
	// directory, e.g. "remote/before.snapshot") to start from instead of
	// data.bin, which is then replaced by it.
	Restore string
	// RetryEvery is how long the final save waits between attempts; 0 means
	// DefaultRetryEvery.
	RetryEvery time.Duration
	// Log receives messages meant for the user, such as a failed final
	// save. nil discards them.
	Log io.Writer
	// OnPoison, if set, is called each time the store becomes poisoned or
	// recovers, from the goroutine that changed the state.
	OnPoison func(poisoned bool, reason string)
	// RescueDirs are the directories where the final save may write a
	// rescue copy when the user gives up on data.bin, tried in this order;
	// nil means the OS temp directory ($TMPDIR), the data directory, the
	// home directory and the working directory.
	RescueDirs []string
	// WrapWriter, if set, wraps the writer of every save: tests inject write
	// faults (a full disk, an I/O error) with it.
	WrapWriter func(io.Writer) io.Writer
	// WrapJournal, if set, wraps the writer of every journal segment, for
	// the same purpose.
	WrapJournal func(io.Writer) io.Writer
	// SyncJournal, if set, replaces the fsync of journal segments: tests
	// inject fsync failures with it.
	SyncJournal func(*os.File) error
	// SyncJournalDir, if set, replaces the fsync of the data directory
	// that makes a new journal segment's name durable, for the same
	// purpose.
	SyncJournalDir func(*os.File) error
	// Clock, if set, replaces the wall clock that names automatic
	// snapshots: tests move time with it.
	Clock Clock
	// NoJournal turns the write journal off, for Skytable 0.6's exact
	// behaviour: a crash loses the writes since the last save. A journal
	// left by an earlier run is still replayed, then saved into data.bin.
	NoJournal bool
	// Fsync is when the journal is forced to disk; the zero value is
	// FsyncAlways.
	Fsync FsyncPolicy
	// ReadOnly opens an existing data directory to read its store (skysh
	// copy) without changing anything in it: its lock is taken, so that no
	// skysh writes it meanwhile, and data.bin is loaded and the journal
	// replayed as at a start, but nothing is created, removed or written
	// (no pid note, no journal, no BGSAVE, no snapshot). Writes and saves
	// are refused with ErrReadOnly, and Close only releases the lock.
	// Restore cannot be combined with it.
	ReadOnly bool
}

// DefaultRetryEvery is Skytable's interval between final save attempts.
const DefaultRetryEvery = 10 * time.Second

// DefaultSaveEvery is Skytable's BGSAVE interval.
const DefaultSaveEvery = 120 * time.Second
