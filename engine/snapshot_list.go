package engine

import (
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
	auto, _, _ := e.autoSnapshots()
	for _, name := range auto {
		info := e.describeSnapshot(filepath.Join(data.SnapshotDirName, name), name)
		if t, err := time.Parse(snapshotTimeFormat, strings.TrimSuffix(name, snapshotExt)); err == nil {
			info.Time = t
		}
		out = append(out, info)
	}
	entries, err := e.dir.ReadDir(data.RemoteSnapshotDirName)
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
		info := e.describeSnapshot(filepath.Join(data.RemoteSnapshotDirName, name), data.RemoteDirName+"/"+name)
		info.Remote = true
		out = append(out, info)
	}
	return out, nil
}

// describeSnapshot reads the size, time and key count of the snapshot name
// (relative to the data directory), which the listing shows as shown. It is
// opened in the directory skysh opened, and only if it is a regular file: a
// named pipe put there would block the listing.
func (e *Engine) describeSnapshot(name, shown string) SnapshotInfo {
	info := SnapshotInfo{Name: shown, Keys: -1}
	f, _, err := e.dir.OpenRegular(name)
	if err != nil {
		info.Err = err.Error()
		return info
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		info.Size = fi.Size()
		info.Time = fi.ModTime()
	}
	h, err := data.DecodeHeader(f, e.dir.Shown(name))
	if err != nil {
		info.Err = err.Error()
		return info
	}
	info.Keys = int64(h.Count)
	return info
}
