package engine

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"skysh/data"
)

// SnapshotInfo describes one snapshot file, for `!snapshots`.
type SnapshotInfo struct {
	Name   string    // relative to the snapshots directory, as --restore takes it
	Remote bool      // made by MKSNAP name, rather than automatically
	Time   time.Time // when it was written (from the name for automatic ones)
	Size   int64
	Keys   int64 // from the file's header; -1 when the header is unreadable
	Err    string
}

// Snapshots lists the automatic snapshots (oldest first) and then the remote
// ones (by name). Files that are not skysh snapshots are left out.
func (e *Engine) Snapshots() ([]SnapshotInfo, error) {
	if e.dir == nil {
		return nil, ErrNoDataDir
	}
	var out []SnapshotInfo
	auto, _ := e.autoSnapshots()
	for _, name := range auto {
		info := describeSnapshot(e.dir.SnapshotDir(), name, name)
		if t, err := time.Parse(snapshotTimeFormat, strings.TrimSuffix(name, snapshotExt)); err == nil {
			info.Time = t
		}
		out = append(out, info)
	}
	entries, err := os.ReadDir(e.dir.RemoteSnapshotDir())
	if err != nil {
		return out, err
	}
	var remote []string
	for _, ent := range entries {
		if n := ent.Name(); ent.Type().IsRegular() && strings.HasSuffix(n, snapshotExt) && !strings.HasPrefix(n, ".") {
			remote = append(remote, n)
		}
	}
	sort.Strings(remote)
	for _, name := range remote {
		info := describeSnapshot(e.dir.RemoteSnapshotDir(), name, data.RemoteDirName+"/"+name)
		info.Remote = true
		out = append(out, info)
	}
	return out, nil
}

// describeSnapshot reads the size, time and key count of dir/name.
func describeSnapshot(dir, name, shown string) SnapshotInfo {
	info := SnapshotInfo{Name: shown, Keys: -1}
	path := filepath.Join(dir, name)
	if fi, err := os.Stat(path); err == nil {
		info.Size = fi.Size()
		info.Time = fi.ModTime()
	}
	n, err := data.ReadCount(path)
	if err != nil {
		info.Err = err.Error()
		return info
	}
	info.Keys = int64(n)
	return info
}
