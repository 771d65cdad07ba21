package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Names inside the data directory. They are part of skysh's contract: users
// back up, restore and inspect these files by name.
const (
	DataFileName    = "data.bin"
	SnapshotDirName = "snapshots"
	RemoteDirName   = "remote" // inside SnapshotDirName
	LockFileName    = "skysh.lock"

	// RemoteSnapshotDirName is the name of the directory of snapshots named
	// by MKSNAP inside the data directory.
	RemoteSnapshotDirName = SnapshotDirName + "/" + RemoteDirName
)

// Dir is an open data directory, locked against every other process until
// Close. It works through the directory it opened, not through its path: a
// renamed directory is followed, and files put at its old path are not
// touched.
type Dir struct {
	path    string // as given to Open, for messages
	abs     string // where Recreate makes it again
	mu      sync.Mutex
	root    *os.Root // guarded by mu
	self    *os.File // the directory itself, flocked; guarded by mu
	removed []string
	// readOnly: opened by OpenReadOnly, which writes nothing, the pid
	// note included.
	readOnly bool
}

// Open creates the data directory at path with its snapshot directories (mode
// 0755, when missing) and takes its lock. When another process holds the
// lock, the error is a *LockedError that wraps ErrLocked and names that
// process's pid.
//
// The lock is an flock(2) on the directory itself: the kernel releases it
// when the process ends, however it ends, so a crash never leaves a stale
// lock to delete by hand; and unlike a lock file, nobody can remove or
// replace it from under a running skysh. skysh.lock holds the owner's pid,
// for messages only.
//
// Once the lock is held, Open deletes the temp files (TempPrefix) that a
// crash in the middle of a save leaves in the three directories; see
// RemovedTempFiles. They are never trusted, whatever they hold: the rename
// that would have made them real never happened. Doing this before holding
// the lock would delete another process's save in progress.
func Open(path string) (*Dir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open data directory %q: %w", path, err)
	}
	if err := mkdir(path); err != nil {
		return nil, fmt.Errorf("cannot create data directory %q: %w", path, err)
	}
	d := &Dir{path: path, abs: abs}
	root, self, err := d.lock(false)
	if err != nil {
		return nil, err
	}
	d.root, d.self = root, self
	for _, sub := range []string{SnapshotDirName, RemoteSnapshotDirName} {
		removed, err := removeTempFiles(root, sub, filepath.Join(path, sub))
		d.removed = append(d.removed, removed...)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("cannot open data directory %q: %w", path, err)
		}
	}
	removed, err := removeTempFiles(root, ".", path)
	d.removed = append(d.removed, removed...)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("cannot open data directory %q: %w", path, err)
	}
	return d, nil
}

// OpenReadOnly takes the lock of the existing data directory at path, so
// that no skysh writes it meanwhile, and changes nothing in it: it creates
// no directory, writes no pid note and removes no temp file. It is for
// reading a store whole (skysh copy). A directory held by another process
// is refused as Open refuses it, with a *LockedError.
func OpenReadOnly(path string) (*Dir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open data directory %q: %w", path, err)
	}
	d := &Dir{path: path, abs: abs, readOnly: true}
	if d.root, d.self, err = lockRoot(path); err != nil {
		return nil, err
	}
	return d, nil
}

// lock opens the directory at d.path, locks it, creates its snapshot
// directories and writes the pid note. With empty, it refuses a directory
// that holds anything: one skysh did not create and must not write into.
func (d *Dir) lock(empty bool) (*os.Root, *os.File, error) {
	root, self, err := lockRoot(d.path)
	if err != nil {
		return nil, nil, err
	}
	if names, _ := self.Readdirnames(1); empty && len(names) > 0 {
		self.Close()
		root.Close()
		return nil, nil, errNotEmpty
	}
	for _, sub := range []string{SnapshotDirName, RemoteSnapshotDirName} {
		if err := mkdirIn(root, sub); err != nil {
			self.Close()
			root.Close()
			return nil, nil, fmt.Errorf("cannot create data directory %q: %w", d.path, err)
		}
	}
	// The pid is for the message of the process that finds the directory
	// locked; failing to write it is no reason to refuse to start. It is
	// replaced, never opened and truncated, so a symlink put there is
	// replaced rather than followed.
	writePID(root, strconv.Itoa(os.Getpid())+"\n")
	return root, self, nil
}

// lockRoot opens the directory at path and takes its lock: the opened
// directory and the locked descriptor of the directory itself.
func lockRoot(path string) (*os.Root, *os.File, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open data directory %q: %w", path, err)
	}
	self, err := root.Open(".")
	if err == nil {
		err = flock(self)
		if err != nil {
			self.Close()
		}
	}
	if errors.Is(err, ErrLocked) {
		pid := readPID(root)
		root.Close()
		return nil, nil, &LockedError{Path: path, PID: pid}
	}
	if err != nil {
		root.Close()
		return nil, nil, fmt.Errorf("cannot lock data directory %q: %w", path, err)
	}
	return root, self, nil
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

// mkdirIn is mkdir for a directory inside root.
func mkdirIn(root *os.Root, dir string) error {
	if fi, err := root.Lstat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if err := root.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return syncIn(root, path.Dir(dir))
}

// writePID replaces the pid note with text: a new file renamed over it, so
// that a symbolic link or another file planted at its name is replaced, never
// followed or truncated. It is not fsynced: the note serves messages only,
// the lock is the directory's flock, and a start should not pay two fsyncs
// (and an exit two more) for it.
func writePID(root *os.Root, text string) error {
	f, tmp, err := createTemp(root, ".", LockFileName)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, LockFileName)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// readPID reads the pid that the holder of a lock wrote into its note, or 0.
func readPID(root *os.Root) int {
	if fi, err := root.Lstat(LockFileName); err != nil || !fi.Mode().IsRegular() || fi.Size() > 64 {
		return 0
	}
	b, err := root.ReadFile(LockFileName)
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

// DataFile is the path of data.bin, for messages.
func (d *Dir) DataFile() string { return filepath.Join(d.path, DataFileName) }

// SnapshotDir is the directory of automatic snapshots.
func (d *Dir) SnapshotDir() string { return filepath.Join(d.path, SnapshotDirName) }

// RemoteSnapshotDir is the directory of snapshots named by MKSNAP.
func (d *Dir) RemoteSnapshotDir() string {
	return filepath.Join(d.path, SnapshotDirName, RemoteDirName)
}

// Rel returns the name relative to the data directory of p, a path that
// Path, SnapshotDir or RemoteSnapshotDir returned or one inside them, so
// that it can be reached through Root; ok is false for a path outside.
func (d *Dir) Rel(p string) (name string, ok bool) {
	rel, err := filepath.Rel(d.path, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}

// Root is the opened directory. Every file of the data directory is reached
// through it, so a renamed directory is followed. Recreate replaces it: ask
// again rather than keep it.
func (d *Dir) Root() *os.Root {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.root
}

// Stat describes the opened directory itself, wherever it is now: its
// identity (device and inode) is what a path must lead to for it to be
// inside the data directory.
func (d *Dir) Stat() (fs.FileInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.self.Stat()
}

// SyncDir fsyncs the directory name inside the data directory ("." for the
// data directory itself), which makes durable the files created, renamed or
// removed in it.
func (d *Dir) SyncDir(name string) error { return syncIn(d.Root(), name) }

// RemovedTempFiles lists the stale temp files that Open deleted, so that the
// caller can say that a previous run crashed while saving.
func (d *Dir) RemovedTempFiles() []string { return d.removed }

// Check returns ErrDirRemoved when the opened directory has been removed: it
// is still open, but nothing written into it can be found again.
func (d *Dir) Check() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.check()
}

func (d *Dir) check() error {
	fi, err := d.self.Stat()
	if err != nil {
		return fmt.Errorf("cannot check data directory %q: %w", d.path, err)
	}
	if !linked(fi) {
		return &DirRemovedError{Path: d.path}
	}
	return nil
}

// errNotEmpty refuses a directory found at the path of a removed data
// directory with something in it.
var errNotEmpty = errors.New("a directory that is not empty is at that path now, and skysh does not write into one it did not create")

// Recreate makes the data directory again at the absolute path it was opened
// from, when the opened one has been removed, and locks it in its place. An
// empty directory found there (made by the user to let skysh save) is taken;
// anything else is refused: it is not skysh's to write into, and another
// skysh may hold it. It reports whether it made the directory again; the
// caller says so to the user.
func (d *Dir) Recreate() (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	err := d.check()
	var removed *DirRemovedError
	if !errors.As(err, &removed) {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(d.abs), 0o755); err != nil {
		return false, fmt.Errorf("%w; cannot create it again: %w", removed, err)
	}
	if err := os.Mkdir(d.abs, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return false, fmt.Errorf("%w; cannot create it again: %w", removed, err)
	}
	SyncDir(filepath.Dir(d.abs))
	again := &Dir{path: d.abs}
	root, self, err := again.lock(true)
	if err != nil {
		return false, fmt.Errorf("%w; cannot create it again: %w", removed, err)
	}
	d.self.Close()
	d.root.Close()
	d.root, d.self = root, self
	return true, nil
}

// WriteFile replaces name, relative to the data directory (such as
// "data.bin" or "snapshots/remote/x.snapshot"), as WriteFileAtomic does, in
// the directory that was opened. Writing into a directory that has been
// removed is a failure, not a success nobody could read back: the error
// then wraps ErrDirRemoved.
func (d *Dir) WriteFile(name string, write func(w io.Writer) error) error {
	d.mu.Lock()
	root, err := d.root, d.check()
	d.mu.Unlock()
	shown := filepath.Join(d.path, name)
	if err != nil {
		return &SaveError{Op: "create", Path: shown, Err: err}
	}
	err = writeAtomic(root, name, shown, write)
	// Removed while it was written: the rename may have landed in it, or
	// failed for it; either way the removal is the cause to report.
	if removed := d.Check(); removed != nil {
		return &SaveError{Op: "rename", Path: shown, Err: removed}
	}
	return err
}

// Close releases the lock; the Dir must not be used afterwards. The pid note
// is cleared first, while the lock is still held, so that it cannot wipe the
// pid of the next owner.
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.self == nil {
		return nil
	}
	if !d.readOnly {
		writePID(d.root, "")
	}
	err := d.self.Close() // closing the only descriptor releases the flock
	d.root.Close()
	d.self, d.root = nil, nil
	return err
}

// removeTempFiles deletes skysh's own temp files (TempPrefix) that a crash
// between creating and renaming one leaves in dir, relative to root, and
// returns their paths (shown under shownDir). Files with any other name are
// left alone, whatever they look like. Only call it on a directory whose
// lock you hold: a temp file may be a save in progress.
func removeTempFiles(root *os.Root, dir, shownDir string) ([]string, error) {
	f, err := root.Open(dir)
	if err != nil {
		return nil, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempName(e.Name()) {
			continue
		}
		if err := root.Remove(path.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("cannot remove stale temp file: %w", err)
		}
		removed = append(removed, filepath.Join(shownDir, e.Name()))
	}
	return removed, nil
}
