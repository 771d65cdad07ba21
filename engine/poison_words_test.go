package engine_test

import (
	"io/fs"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"skysh/engine"
)

// TestPoisonReasonsInWords: every way the journal fails poisons the store
// with a reason that says the cause as a person would ("the disk reported
// an I/O error"), the system's own text following in parentheses; here the
// fsync of the segment a save seals (rotation) and the fsync of the data
// directory that makes a segment's name durable, both during a rotation
// and at a commit.
func TestPoisonReasonsInWords(t *testing.T) {
	t.Parallel()
	eio := func(f *os.File) error { return &fs.PathError{Op: "sync", Path: f.Name(), Err: syscall.EIO} }
	// dirFault fails the first fsync of the data directory once failing.
	dirFault := func(failing *atomic.Bool) engine.Options {
		return engine.Options{SyncJournalDir: func(d *os.File) error {
			if failing.CompareAndSwap(true, false) {
				return eio(d)
			}
			return d.Sync()
		}}
	}
	for _, tc := range []struct {
		name   string
		fsync  engine.FsyncPolicy
		faults func(failing *atomic.Bool) engine.Options
		fail   func(t *testing.T, e *engine.Engine)
		want   string
	}{{
		name:  "rotation: the sealed segment's fsync",
		fsync: engine.FsyncNo,
		faults: func(failing *atomic.Bool) engine.Options {
			return engine.Options{SyncJournal: func(f *os.File) error {
				if failing.Load() && strings.HasSuffix(f.Name(), "journal-00000000000000000001.log") {
					return eio(f)
				}
				return f.Sync()
			}}
		},
		fail: func(t *testing.T, e *engine.Engine) { e.Save() },
		want: "journal failed: cannot rotate the journal: the disk reported an I/O error (sync ",
	}, {
		name:   "rotation: the data directory's fsync",
		fsync:  engine.FsyncNo,
		faults: dirFault,
		fail:   func(t *testing.T, e *engine.Engine) { e.Save() },
		want:   "journal failed: cannot rotate the journal: cannot fsync the data directory ",
	}, {
		name:   "commit: the data directory's fsync",
		fsync:  engine.FsyncAlways,
		faults: dirFault,
		fail:   func(t *testing.T, e *engine.Engine) { e.Commit() },
		want:   "journal failed: cannot fsync the journal journal-00000000000000000001.log: cannot fsync the data directory ",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var failing atomic.Bool
			var mu sync.Mutex
			var reasons []string
			opts := tc.faults(&failing)
			opts.Fsync = tc.fsync
			opts.OnPoison = func(poisoned bool, reason string) {
				if poisoned {
					mu.Lock()
					reasons = append(reasons, reason)
					mu.Unlock()
				}
			}
			e := persistOpen(t, t.TempDir(), opts)
			failing.Store(true)
			mustRun(t, e, okay, "SET", "a", "1")
			if tc.fsync != engine.FsyncAlways {
				mustCommit(t, e) // written, not fsynced: the save seals it
			}
			tc.fail(t, e)
			mu.Lock()
			defer mu.Unlock()
			if len(reasons) == 0 {
				t.Fatal("the store was never poisoned")
			}
			if got := reasons[0]; !strings.HasPrefix(got, tc.want) || !strings.Contains(got, "the disk reported an I/O error (sync ") || !strings.HasSuffix(got, ": input/output error)") {
				t.Errorf("poison reason %q;\nwant it to start %q and say the cause in words before the system's text", got, tc.want)
			}
		})
	}
}
