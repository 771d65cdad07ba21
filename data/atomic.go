package data

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// TempPrefix starts the name of every temp file skysh writes. Start-up
// removes stale files with this prefix, and only those: a name skysh did
// not make may be a user's file.
const TempPrefix = ".skysh-tmp-"

// WriteFileAtomic replaces dir/name with what write produces, so that after a
// crash at any moment dir/name holds either its old content or the whole new
// one, never a mix or a prefix:
//
//  1. write goes to a new temp file in dir (in dir, not in the OS temp
//     directory, so that the rename cannot cross file systems),
//  2. the file is fsynced, so its bytes are on disk before its name is,
//  3. it is renamed over dir/name, which is atomic on POSIX file systems,
//  4. dir is fsynced, so the rename itself survives a crash.
//
// write gets a buffered writer that WriteFileAtomic flushes, of writeBuffer
// bytes: an Encoder's larger chunks go straight through it, and a writer
// that buffers by bufio.NewWriterSize(w, writeBuffer) gets it back unchanged.
//
// On failure the error is a *SaveError and the temp file has been closed and
// removed: nothing is left behind for the next attempt to trust, and
// dir/name is untouched (except when only the final directory fsync fails:
// then the new content is in place but may not survive a crash). A caller that
// retries must regenerate the content, not reuse a file that failed once.
//
// The temp file is named TempPrefix + a random part, created exclusively with
// mode 0600: a database is private unless its owner says otherwise, and a
// name nobody can predict cannot be prepared in advance. It is for files
// outside the data directory (exports, rescue copies); inside it, use
// Dir.WriteFile, which follows the directory it opened.
func WriteFileAtomic(dir, name string, write func(w io.Writer) error) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return &SaveError{Op: "create", Path: filepath.Join(dir, name), Err: err}
	}
	defer root.Close()
	return writeAtomic(root, name, filepath.Join(dir, name), write)
}

// writeAtomic is WriteFileAtomic inside root: name is relative to it and may
// lie in a subdirectory ("snapshots/x.snapshot"); shown is the path errors
// name.
func writeAtomic(root *os.Root, name, shown string, write func(w io.Writer) error) error {
	fail := func(op string, cause error) error {
		return &SaveError{Op: op, Path: shown, Err: cause}
	}
	parent := path.Dir(filepath.ToSlash(name))
	f, tmp, err := createTemp(root, parent, path.Base(filepath.ToSlash(name)))
	if err != nil {
		return fail("create", err)
	}
	renamed := false
	defer func() {
		// Deferred so that a panic in write removes the file too. A
		// second Close, after fill closed it, fails harmlessly.
		if !renamed {
			f.Close()
			root.Remove(tmp)
		}
	}()
	if op, err := fill(f, write); err != nil {
		return fail(op, err)
	}
	if err := root.Rename(tmp, name); err != nil {
		return fail("rename", err)
	}
	renamed = true
	if err := syncIn(root, parent); err != nil {
		return fail("sync directory", err)
	}
	return nil
}

// fill writes what write produces into f through a buffer, fsyncs f and
// closes it. On failure it returns the step that failed (a SaveError's Op)
// and leaves f for the caller to close and remove.
func fill(f *os.File, write func(w io.Writer) error) (op string, err error) {
	w := bufio.NewWriterSize(f, writeBuffer)
	if err := write(w); err != nil {
		return "write", err
	}
	if err := w.Flush(); err != nil {
		return "flush", err
	}
	if err := f.Sync(); err != nil {
		return "sync", err
	}
	if err := f.Close(); err != nil {
		return "close", err
	}
	return "", nil
}

// createTemp creates a new temp file for base in dir (relative to root),
// exclusively and with mode 0600, and returns it with its name relative to
// root.
func createTemp(root *os.Root, dir, base string) (*os.File, string, error) {
	// The target's name after the random part helps a person who finds
	// one; cut, so that a long target cannot make the name too long.
	if len(base) > 64 {
		base = base[:64]
	}
	return createNew(root, dir, TempPrefix, "-"+base)
}

// createNew creates a new file in dir (relative to root) named prefix, a
// random part and suffix, exclusively (O_EXCL) and with mode 0600, and
// returns it with its name relative to root. A name nobody can predict
// cannot be prepared in advance, and an exclusive create neither follows
// nor replaces what is there.
func createNew(root *os.Root, dir, prefix, suffix string) (*os.File, string, error) {
	for try := 0; ; try++ {
		var random [8]byte
		rand.Read(random[:])
		name := path.Join(dir, prefix+hex.EncodeToString(random[:])+suffix)
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && try < 10 {
			continue
		}
		return f, name, err
	}
}

// isTempName reports whether name is one of skysh's temp files.
func isTempName(name string) bool {
	return strings.HasPrefix(name, TempPrefix) && len(name) > len(TempPrefix)
}

// syncIn fsyncs the directory dir inside root.
func syncIn(root *os.Root, dir string) error { return syncOpened(root.Open(dir)) }

// SyncDir fsyncs a directory, which makes durable the creation, removal and
// renaming of the files in it; fsyncing a file does not.
func SyncDir(dir string) error { return syncOpened(os.Open(dir)) }

// syncOpened fsyncs and closes a directory just opened.
func syncOpened(d *os.File, err error) error {
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}
