package engine

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"skysh/data"
)

// snapshotTimeFormat names automatic snapshots by their UTC time, as Skytable
// does: YYYYMMDD-HHMMSS.snapshot.
const (
	snapshotTimeFormat = "20060102-150405"
	snapshotExt        = ".snapshot"
)

// autoSnapshotName matches the names of automatic snapshots. Like
// remoteNameChars, it is compiled when first needed, not at every start.
var autoSnapshotName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\d{8}-\d{6}\.snapshot$`)
})

// remoteNameChars is the alphabet of MKSNAP names.
var remoteNameChars = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
})

// maxRemoteName keeps the temp file of a remote snapshot, which is longer
// than name.snapshot (".name.snapshot.tmp-" and os.CreateTemp's up to 10
// digits), within the usual 255-byte file name limit.
const maxRemoteName = 255 - len(".") - len(snapshotExt) - len(".tmp-") - 10

// snapshotter writes snapshots, one at a time.
type snapshotter struct {
	busy sync.Mutex // held while a snapshot is written: MKSNAP answers busy
	stop chan struct{}
	done chan struct{}
	// written are the automatic snapshots this engine wrote and has not
	// rotated away, in the order it wrote them, which rotation trusts over
	// the times in their names; guarded by busy.
	written []string
}

// startSnapshots starts the automatic snapshot loop when it is enabled.
func (e *Engine) startSnapshots() {
	if e.opts.SnapEvery <= 0 {
		return
	}
	e.snap.stop = make(chan struct{})
	e.snap.done = make(chan struct{})
	go func() {
		defer close(e.snap.done)
		tick := time.NewTicker(e.opts.SnapEvery)
		defer tick.Stop()
		for {
			select {
			case <-e.snap.stop:
				return
			case <-tick.C:
				if e.snap.busy.TryLock() {
					e.autoSnapshot(background)
					e.snap.busy.Unlock()
				}
			}
		}
	}()
}

// stopSnapshots stops the loop and waits for a snapshot in progress.
func (e *Engine) stopSnapshots() {
	if e.snap.stop == nil {
		return
	}
	close(e.snap.stop)
	<-e.snap.done
	e.snap.stop = nil
}

// autoSnapshot writes one automatic snapshot and rotates old ones; the caller
// holds snap.busy. A failure poisons the store when failsafe is on; the next
// success lifts that poison (and only that one).
func (e *Engine) autoSnapshot(mode saveMode) error {
	name, err := e.writeAutoSnapshot(mode)
	if err != nil {
		err = data.Explained(fmt.Errorf("cannot write snapshot %s: %w", name, err))
		fmt.Fprintf(e.opts.Log, "skysh: %v\n", err)
		if !e.opts.NoFailsafe {
			e.poisonWith(SourceSnapshot, err)
		}
		return err
	}
	e.ClearPoison(SourceSnapshot)
	e.snap.written = append(e.snap.written, name)
	e.rotateSnapshots()
	return nil
}

// writeAutoSnapshot writes the store to snapshots/<UTC time>.snapshot; the
// caller holds snap.busy, which it lets go while it waits for a name. Two
// snapshots in the same second must not share a name, and the name is a
// timestamp, so the second one waits for the next second.
func (e *Engine) writeAutoSnapshot(mode saveMode) (string, error) {
	dir := e.dir.SnapshotDir()
	clock := e.clock()
	for {
		now := clock.Now()
		name := AutoSnapshotName(now)
		// Looked for where the write goes: in the directory skysh opened,
		// not at its path. Only a name that exists is taken. Any other
		// error (a file where the snapshot directory should be, no
		// permission) must not be waited out for ever: the write goes
		// ahead and fails with it.
		if _, err := e.dir.Root().Lstat(filepath.Join(data.SnapshotDirName, name)); err != nil {
			sn := e.Snapshot()
			defer e.Release(sn)
			return name, e.writeSnapshot(sn, dir, name, mode)
		}
		// Nothing is being written while we wait: let MKSNAP name and the
		// timer through rather than answer them busy.
		e.snap.busy.Unlock()
		<-clock.After(now.Truncate(time.Second).Add(time.Second).Sub(now))
		e.snap.busy.Lock()
	}
}

// rotateSnapshots deletes the oldest automatic snapshots beyond SnapKeep;
// the caller holds snap.busy. Oldest is decided by the order of writing,
// which cannot go backwards, not by the time in the name, which can: the
// clock may have been set back, or files with later names copied in, and
// the snapshot just written must never be the one deleted. Snapshots left
// by earlier runs are older than any this run wrote and go first, by the
// time in their names, the only order known for them. Files that are not
// ours are left alone.
func (e *Engine) rotateSnapshots() {
	if e.opts.SnapKeep <= 0 {
		e.snap.written = nil // nothing is ever rotated: no need to remember
		return
	}
	names, _, _ := e.autoSnapshots()
	// Forget snapshots of ours that are gone (deleted by hand): they are
	// not there to count.
	e.snap.written = slices.DeleteFunc(e.snap.written, func(n string) bool {
		_, found := slices.BinarySearch(names, n)
		return !found
	})
	earlier := slices.DeleteFunc(names, func(n string) bool { return slices.Contains(e.snap.written, n) })
	oldestFirst := append(earlier, e.snap.written...)
	for len(oldestFirst) > e.opts.SnapKeep {
		name := oldestFirst[0]
		oldestFirst = oldestFirst[1:]
		if err := e.dir.Remove(filepath.Join(data.SnapshotDirName, name)); err != nil {
			fmt.Fprintf(e.opts.Log, "skysh: cannot remove old snapshot: %v\n", err)
			continue
		}
		if i := slices.Index(e.snap.written, name); i >= 0 {
			e.snap.written = slices.Delete(e.snap.written, i, i+1)
		}
	}
	e.dir.SyncDir(data.SnapshotDirName)
}

// autoSnapshots lists the automatic snapshots, oldest first; the files
// named like them that look like Skytable 0.6 snapshots, which skyd 0.6
// names the same way and which are not skysh's to rotate away; and the
// other entries of the snapshot directory, which are not ours. A file with
// an automatic snapshot's name in no format at all is a damaged snapshot
// of ours.
func (e *Engine) autoSnapshots() (ours, skytable06, foreign []string) {
	entries, err := e.dir.ReadDir(data.SnapshotDirName)
	if err != nil {
		return nil, nil, nil
	}
	for _, ent := range entries {
		name := ent.Name()
		switch {
		case ent.IsDir() && name == data.RemoteDirName, strings.HasPrefix(name, "."):
			// remote/ is ours; dot files are temp files in flight.
		case !ent.Type().IsRegular() || !autoSnapshotName().MatchString(name):
			foreign = append(foreign, name)
		case e.guessFormat(filepath.Join(data.SnapshotDirName, name)) == data.FormatSkytable06:
			skytable06 = append(skytable06, name)
		default:
			ours = append(ours, name)
		}
	}
	// The names are fixed-width UTC timestamps: lexical order is time order.
	sort.Strings(ours)
	return ours, skytable06, foreign
}

// guessFormat is data.GuessFormat of name, a regular file in the data
// directory (FormatUnknown if it is not one).
func (e *Engine) guessFormat(name string) data.Format {
	f, _, err := e.dir.OpenRegular(name)
	if err != nil {
		return data.FormatUnknown
	}
	defer f.Close()
	return data.GuessFormat(f)
}

// mksnap is the MKSNAP action. It runs outside the engine lock: writing a
// snapshot takes the lock itself, only for an instant.
func (e *Engine) mksnap(args []string) Response {
	if e.opts.ReadOnly {
		return Status{Code: ServerError, Detail: ErrReadOnly.Error()}
	}
	if len(args) == 1 {
		return e.remoteSnapshot(args[0])
	}
	if e.dir == nil || e.opts.SnapEvery <= 0 {
		return ErrSnapshotDisabled
	}
	if !e.snap.busy.TryLock() {
		return ErrSnapshotBusy
	}
	defer e.snap.busy.Unlock()
	if err := e.autoSnapshot(foreground); err != nil {
		return Status{Code: ServerError, Detail: err.Error()}
	}
	return okay
}

// remoteSnapshot writes snapshots/remote/name.snapshot, never replacing one
// that exists. It works whether or not automatic snapshots are on.
func (e *Engine) remoteSnapshot(name string) Response {
	if !validRemoteName(name) {
		return ErrInvalidSnapshotName
	}
	if e.dir == nil {
		return ErrSnapshotDisabled
	}
	if !e.snap.busy.TryLock() {
		return ErrSnapshotBusy
	}
	defer e.snap.busy.Unlock()
	file := name + snapshotExt
	// The check looks where the write goes, in the directory skysh opened
	// and locked, not at its path, which leads elsewhere once it is
	// renamed. The lock makes the check and the write one step: no other
	// process writes there, and snap.busy excludes this one. Only a name
	// that exists is a duplicate; any other error of Lstat is the write's
	// to report.
	if _, err := e.dir.Root().Lstat(filepath.Join(data.RemoteSnapshotDirName, file)); err == nil {
		return ErrDuplicateSnapshot
	}
	sn := e.Snapshot()
	defer e.Release(sn)
	if err := e.writeSnapshot(sn, e.dir.RemoteSnapshotDir(), file, foreground); err != nil {
		return Status{Code: ServerError, Detail: data.Explained(fmt.Errorf("cannot write snapshot remote/%s: %w", file, err)).Error()}
	}
	return okay
}

// ValidSnapshotName reports whether MKSNAP accepts name, the rule of
// validRemoteName: a store other than the engine that writes snapshots
// into a data directory names them by the same rule.
func ValidSnapshotName(name string) bool { return validRemoteName(name) }

// AutoSnapshotName is the file name of an automatic snapshot taken at t:
// its UTC time, YYYYMMDD-HHMMSS.snapshot, as Skytable names them.
func AutoSnapshotName(t time.Time) string {
	return t.UTC().Format(snapshotTimeFormat) + snapshotExt
}

// validRemoteName accepts a plain file name: [A-Za-z0-9._-], no "..", so it
// can never leave snapshots/remote/ or name a hidden temp file.
func validRemoteName(name string) bool {
	return len(name) <= maxRemoteName && remoteNameChars().MatchString(name) &&
		!strings.Contains(name, "..") && name[0] != '.'
}
