package data

import (
	"errors"
	"fmt"
	"strconv"
	"syscall"
)

// Reason is why a file was refused. Every Reason is also an error, so the
// sentinels below work with errors.Is through FormatError.Unwrap, and the
// field of a FormatError is exactly the sentinel it matches.
type Reason string

func (r Reason) Error() string { return string(r) }

// Sentinel errors. Callers tell failures apart with errors.Is; the messages
// are written for the person who has to decide what to do with the file.
var (
	// ErrBadMagic is returned when a file does not start with the skysh
	// magic: it is not a skysh data file at all (a text file, or another
	// program's file given by mistake).
	ErrBadMagic = Reason("not a skysh data file")

	// ErrNewerVersion is returned when a file was written in a format
	// version newer than this build reads. The FormatError's Detail names
	// the version found.
	ErrNewerVersion = Reason("written by a newer skysh")

	// ErrTruncated is returned when a file ends before its header, an entry
	// or its checksum is complete.
	ErrTruncated = Reason("file ends early (truncated)")

	// ErrChecksum is returned when every entry was read but the CRC-32C at
	// the end does not match them: some byte of the file has changed.
	ErrChecksum = Reason("checksum mismatch (file is corrupt)")

	// ErrTrailingData is returned when bytes follow the checksum, such as
	// two files concatenated or garbage appended by a broken copy.
	ErrTrailingData = Reason("unexpected data after the checksum (file is corrupt)")

	// ErrCorrupt is returned when the structure itself is impossible: a
	// length that is malformed or larger than what is left of the file, an
	// entry count the file cannot hold, an invalid version number.
	ErrCorrupt = Reason("file is corrupt")

	// ErrLocked is returned by Open when another process holds the data
	// directory's lock. The LockedError that wraps it names that process.
	ErrLocked = errors.New("data directory is in use by another skysh process")
)

// FormatError reports a file that was refused: which file (Path, empty when
// the caller decoded a reader of its own), where (Offset, in bytes from the
// start of the file) and why (Reason, with an optional Detail).
type FormatError struct {
	Path   string
	Offset int64
	Reason Reason
	Detail string
	// Format is the format the file was read as: FormatSkytable06, or
	// skysh's own for any other value.
	Format Format
	// NotSkysh is set when the file was read as Skytable 0.6 because it
	// lacks skysh's magic, and failed as that too: it is in neither
	// format. errors.Is then matches ErrBadMagic as well as the Reason.
	NotSkysh bool
}

// Error reads like "cannot load data/data.bin: checksum mismatch (file is
// corrupt) at offset 1234", "cannot load old.bin as a Skytable 0.6 file: …"
// or "cannot load data/data.bin: not a skysh data file, nor a valid
// Skytable 0.6 file: …" (without a path, only what follows the colon). The
// offset is left out for a bad magic, a newer
// version or a file of zeros: those are about the whole file, not a place
// in it.
func (e *FormatError) Error() string {
	msg := string(e.Reason)
	if e.Reason != ErrBadMagic && e.Reason != ErrNewerVersion && e.Reason != ErrZeroFilled {
		msg += " at offset " + strconv.FormatInt(e.Offset, 10)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	switch {
	case e.NotSkysh:
		msg = string(ErrBadMagic) + ", nor a valid Skytable 0.6 file: " + msg
	case e.Format == FormatSkytable06 && e.Path != "":
		return "cannot load " + e.Path + " as a Skytable 0.6 file: " + msg
	}
	if e.Path != "" {
		msg = "cannot load " + e.Path + ": " + msg
	}
	return msg
}

// Unwrap returns the Reason, so that errors.Is(err, ErrChecksum) and the like
// work, and ErrBadMagic too for a file in neither format.
func (e *FormatError) Unwrap() []error {
	if e.NotSkysh {
		return []error{e.Reason, ErrBadMagic}
	}
	return []error{e.Reason}
}

// SaveError reports a file that could not be written atomically. Op is the
// step that failed ("create", "write", "flush", "sync", "close", "rename" or
// "sync directory"), Path the file that was to be replaced, Err the cause. The
// old content of Path, if any, is untouched unless Op is "sync directory", in
// which case the new content is in place but may not survive a crash.
type SaveError struct {
	Op   string
	Path string
	Err  error
}

// Error reads like "cannot save data/data.bin: rename data/.data.bin.tmp-1
// data/data.bin: is a directory". The step is not repeated: the errors of the
// os package already name their operation.
func (e *SaveError) Error() string {
	if why := e.inWords(); why != "" {
		return "cannot save " + e.Path + ": " + why + " (" + e.Err.Error() + ")"
	}
	return "cannot save " + e.Path + ": " + e.Err.Error()
}

// inWords says what went wrong as a person would, for the causes people
// meet (a full disk, a directory in the way, a directory removed), or "":
// "renameat .skysh-tmp-… data.bin: file exists" says it to no one.
func (e *SaveError) inWords() string {
	if e.Op == "rename" && (errors.Is(e.Err, syscall.EEXIST) || errors.Is(e.Err, syscall.ENOTEMPTY) || errors.Is(e.Err, syscall.EISDIR)) {
		return "a directory is in the way"
	}
	return causeInWords(e.Err)
}

// causeInWords names the causes of a failed file operation that people
// meet, or "" for others.
func causeInWords(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return "permission denied"
	case errors.Is(err, syscall.EIO):
		return "the disk reported an I/O error"
	case errors.Is(err, syscall.ENOENT):
		return "the data directory is gone (removed or renamed)"
	}
	return ""
}

// Explained wraps err with its cause in words in front, when it is one
// people meet ("the disk is full: write …: no space left on device"), so
// that errors.Is still finds the cause.
func Explained(err error) error {
	if why := causeInWords(err); why != "" {
		return fmt.Errorf("%s: %w", why, err)
	}
	return err
}

// Unwrap returns the cause, so that errors.Is(err, syscall.ENOSPC) and the
// like work.
func (e *SaveError) Unwrap() error { return e.Err }

// LockedError reports a data directory held by another process. PID is that
// process as it wrote itself into the lock file, or 0 when it could not be
// read (for instance when the other process is between taking the lock and
// writing its pid).
type LockedError struct {
	Path string
	PID  int
}

// Error reads like `data directory "data" is in use by another skysh process
// (pid 1234)`.
func (e *LockedError) Error() string {
	msg := fmt.Sprintf("data directory %q is in use by another skysh process", e.Path)
	if e.PID > 0 {
		msg += fmt.Sprintf(" (pid %d)", e.PID)
	}
	return msg
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// ErrDirRemoved is returned (wrapped in a *DirRemovedError) when the data
// directory that skysh opened has been removed while it ran: it is still
// open, but nothing saved into it could ever be found again.
var ErrDirRemoved = errors.New("the data directory was removed")

// DirRemovedError reports the removed data directory by the path it was
// opened at.
type DirRemovedError struct {
	Path string
}

// Error reads like `the data directory "data" was removed while skysh ran`.
func (e *DirRemovedError) Error() string {
	return fmt.Sprintf("the data directory %q was removed while skysh ran", e.Path)
}

// Unwrap returns ErrDirRemoved.
func (e *DirRemovedError) Unwrap() error { return ErrDirRemoved }
