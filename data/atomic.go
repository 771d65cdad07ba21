package data

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

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
// write gets a buffered writer that WriteFileAtomic flushes; a 1 MiB buffer,
// so an Encoder given it writes straight through it (bufio.NewWriterSize
// returns a large enough *bufio.Writer unchanged).
//
// On failure the error is a *SaveError and the temp file has been closed and
// removed: nothing is left behind for the next attempt to trust, and
// dir/name is untouched (except when only the final directory fsync fails:
// then the new content is in place but may not survive a crash). A caller that
// retries must regenerate the content, not reuse a file that failed once.
//
// The file gets mode 0600 from os.CreateTemp: a database is private unless its
// owner says otherwise.
func WriteFileAtomic(dir, name string, write func(w io.Writer) error) error {
	path := filepath.Join(dir, name)
	fail := func(op string, cause error) error {
		return &SaveError{Op: op, Path: path, Err: cause}
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fail("create", err)
	}
	tmp := f.Name()
	closed, renamed := false, false
	defer func() {
		// Deferred so that a panic in write removes the file too.
		if !renamed {
			if !closed {
				f.Close()
			}
			os.Remove(tmp)
		}
	}()

	w := bufio.NewWriterSize(f, bufferSize)
	if err := write(w); err != nil {
		return fail("write", err)
	}
	if err := w.Flush(); err != nil {
		return fail("flush", err)
	}
	if err := f.Sync(); err != nil {
		return fail("sync", err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return fail("close", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail("rename", err)
	}
	renamed = true
	if err := SyncDir(dir); err != nil {
		return fail("sync directory", err)
	}
	return nil
}

// SyncDir fsyncs a directory, which makes durable the creation, removal and
// renaming of the files in it; fsyncing a file does not.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}
