package data_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"testing"

	"skysh/data"
)

// TestExplained: an error whose cause people meet reads with the cause in
// words before the system's own text, wherever in the message that text
// is; other errors keep their text; an error that already says its cause
// is not said twice; errors.Is still finds the cause.
func TestExplained(t *testing.T) {
	full := &fs.PathError{Op: "write", Path: "/d/journal-1.log", Err: syscall.ENOSPC}
	dirSync := &fs.PathError{Op: "sync", Path: "/d/.", Err: syscall.EIO}
	saveErr := &data.SaveError{Op: "write", Path: "/d/data.bin", Err: full}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"bare", full, "the disk is full (write /d/journal-1.log: no space left on device)"},
		{"bare errno", syscall.EIO, "the disk reported an I/O error (input/output error)"},
		{"wrapped", fmt.Errorf("cannot rotate the journal: %w", dirSync),
			"cannot rotate the journal: the disk reported an I/O error (sync /d/.: input/output error)"},
		{"wrapped twice", fmt.Errorf("cannot rotate the journal: %w", fmt.Errorf("cannot fsync the data directory /d: %w", dirSync)),
			"cannot rotate the journal: cannot fsync the data directory /d: the disk reported an I/O error (sync /d/.: input/output error)"},
		{"with more after it", fmt.Errorf("%w; cannot create it again: %w", errors.New("the data directory was removed"), &fs.PathError{Op: "mkdir", Path: "/d", Err: syscall.EROFS}),
			"the data directory was removed; cannot create it again: the file system is read-only (mkdir /d: read-only file system)"},
		{"a rename", &os.LinkError{Op: "rename", Old: "/d/a", New: "/d/b", Err: syscall.EACCES},
			"permission denied (rename /d/a /d/b: permission denied)"},
		{"fsync not supported", fmt.Errorf("cannot fsync the journal: %w", &fs.PathError{Op: "sync", Path: "/d/j", Err: syscall.EINVAL}),
			"cannot fsync the journal: the file system cannot fsync (sync /d/j: invalid argument)"},
		{"a cause no one meets", fmt.Errorf("cannot rotate the journal: %w", &fs.PathError{Op: "sync", Path: "/d/j", Err: syscall.EBADF}),
			"cannot rotate the journal: sync /d/j: bad file descriptor"},
		{"no system error", errors.New("journal-3.log has a journal's name but is not a regular file"),
			"journal-3.log has a journal's name but is not a regular file"},
		{"a save error says it already", fmt.Errorf("cannot write snapshot x: %w", saveErr),
			"cannot write snapshot x: cannot save /d/data.bin: the disk is full (write /d/journal-1.log: no space left on device)"},
		{"explained already", fmt.Errorf("%w; saving data.bin instead failed too", data.Explained(full)),
			"the disk is full (write /d/journal-1.log: no space left on device); saving data.bin instead failed too"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := data.Explained(tc.err)
			if got.Error() != tc.want {
				t.Errorf("Explained(%q) = %q,\nwant %q", tc.err, got, tc.want)
			}
			for _, cause := range []error{syscall.ENOSPC, syscall.EIO, syscall.EROFS, syscall.EACCES} {
				if errors.Is(tc.err, cause) && !errors.Is(got, cause) {
					t.Errorf("errors.Is(Explained(err), %v) = false; the cause is lost", cause)
				}
			}
		})
	}
	if data.Explained(nil) != nil {
		t.Error("Explained(nil) is not nil")
	}
}
