package engine

import (
	"os"
	"path/filepath"

	"skysh/data"
)

// IsDataDir reports whether dir holds what only skysh makes in a data
// directory beside data.bin: its lock note, or a segment of its journal.
// A file at the top of such a directory is part of a store, not a copy of
// one: data.bin alone lacks the journal's writes, and a data.bin put in
// its place would not fit the journal. The lock note alone is not enough
// to tell: a user who deletes it after a crash, as Skytable 0.6's stale
// pid file had to be, leaves the journal. data.bin alone does not make a
// data directory either: a Skytable 0.6 directory holds one too.
func IsDataDir(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, data.LockFileName)); err == nil {
		return true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if isStoreFile(e.Name()) {
			return true
		}
	}
	return false
}

// isStoreFile reports whether name, at the top of a directory, is one
// that only skysh makes there.
func isStoreFile(name string) bool {
	_, segment := parseSegmentName(name)
	return segment || name == data.LockFileName
}
