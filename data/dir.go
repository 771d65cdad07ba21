package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Names inside the data directory. They are part of skysh's contract: users
// back up, restore and inspect these files by name.
const (
	DataFileName    = "data.bin"
	SnapshotDirName = "snapshots"
	RemoteDirName   = "remote" // inside SnapshotDirName
	LockFileName    = "skysh.lock"
)

// Dir is an open data directory, locked against every other process until
// Close.
type Dir struct {
	path    string
	lock    *os.File
	removed []string
}

// Open creates the data directory at path with its snapshot directories (mode
// 0755, when missing) and takes its lock. When another process holds the
// lock, the error is a *LockedError that wraps ErrLocked and names that
// process's pid.
//
// The lock is an flock(2) on path/skysh.lock: the kernel releases it when the
// process ends, however it ends, so a crash never leaves a stale lock to
// delete by hand. The file itself stays; it holds the owner's pid for
// messages only.
//
// Once the lock is held, Open deletes the temp files that a crash in the
// middle of WriteFileAtomic leaves in the three directories. They are never
// trusted, whatever they hold: the rename that would have made them real
// never happened. Doing this before holding the lock would delete another
// process's save in progress.
func Open(path string) (*Dir, error) {
	for _, p := range []string{path, filepath.Join(path, SnapshotDirName), filepath.Join(path, SnapshotDirName, RemoteDirName)} {
		if err := mkdir(p); err != nil {
			return nil, fmt.Errorf("cannot create data directory %q: %w", path, err)
		}
	}
	lock, err := lockFile(filepath.Join(path, LockFileName))
	if errors.Is(err, ErrLocked) {
		return nil, &LockedError{Path: path, PID: readPID(filepath.Join(path, LockFileName))}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot lock data directory %q: %w", path, err)
	}
	d := &Dir{path: path, lock: lock}
	// The pid is for the message of the process that finds the directory
	// locked; failing to write it is no reason to refuse to start.
	if lock.Truncate(0) == nil {
		lock.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	for _, p := range []string{path, d.SnapshotDir(), d.RemoteSnapshotDir()} {
		removed, err := RemoveTempFiles(p)
		d.removed = append(d.removed, removed...)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("cannot open data directory %q: %w", path, err)
		}
	}
	return d, nil
}

// mkdir creates dir if it is missing and, when it did, fsyncs its parent so
// that the new directory survives a crash along with what is later saved in
// it.
func mkdir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(dir))
}

// readPID reads the pid that the holder of a lock wrote into it, or 0.
func readPID(lockPath string) int {
	b, err := os.ReadFile(lockPath)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Path is the directory as given to Open.
func (d *Dir) Path() string { return d.path }

// DataFile is the path of data.bin.
func (d *Dir) DataFile() string { return filepath.Join(d.path, DataFileName) }

// SnapshotDir is the directory of automatic snapshots.
func (d *Dir) SnapshotDir() string { return filepath.Join(d.path, SnapshotDirName) }

// RemoteSnapshotDir is the directory of snapshots named by MKSNAP.
func (d *Dir) RemoteSnapshotDir() string {
	return filepath.Join(d.path, SnapshotDirName, RemoteDirName)
}

// RemovedTempFiles lists the stale temp files that Open deleted, so that the
// caller can say that a previous run crashed while saving.
func (d *Dir) RemovedTempFiles() []string { return d.removed }

// Close releases the lock; the Dir must not be used afterwards. The pid is
// cleared first, while the lock is still held, so that it cannot wipe the
// pid of the next owner.
func (d *Dir) Close() error {
	if d.lock == nil {
		return nil
	}
	d.lock.Truncate(0)
	err := d.lock.Close() // closing the only descriptor releases the flock
	d.lock = nil
	return err
}

// RemoveTempFiles deletes the temp files that WriteFileAtomic leaves in dir
// when the process dies between creating and renaming one (named
// ".NAME.tmp-DIGITS", as os.CreateTemp makes them), and returns their paths.
// Only call it on a directory whose lock you hold: a temp file may be a save
// in progress.
func RemoveTempFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempName(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("cannot remove stale temp file: %w", err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// isTempName reports whether name is one WriteFileAtomic gives its temp files:
// "." + target + ".tmp-" + the decimal digits os.CreateTemp puts for "*".
func isTempName(name string) bool {
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i < 2 || i+len(".tmp-") == len(name) {
		return false
	}
	for _, c := range name[i+len(".tmp-"):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
