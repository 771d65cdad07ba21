package cluster

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/data"
	"skysh/engine"
)

// actMksnap exports the keyspace, as of one revision, into a snapshot file
// of skysh's own format in the local data directory: MKSNAP to
// snapshots/YYYYMMDD-HHMMSS.snapshot, MKSNAP name to
// snapshots/remote/name.snapshot (never replacing one). `skysh --restore`
// then brings it up as a local store.
func (s *Store) actMksnap(args []string) engine.Response {
	if len(args) == 1 && !engine.ValidSnapshotName(args[0]) {
		return engine.ErrInvalidSnapshotName
	}
	if s.opts.DataDir == "" {
		return engine.ErrSnapshotDisabled // as the engine answers without a data directory
	}
	// The data directory is locked while the file is written, as a local
	// skysh would hold it: a skysh running on it makes MKSNAP fail, never
	// two writers in one directory.
	dir, err := data.Open(s.opts.DataDir)
	if err != nil {
		return engine.Status{Code: engine.ServerError, Detail: "cannot write a snapshot: " + err.Error()}
	}
	defer dir.Close()
	var name string
	if len(args) == 1 {
		name = filepath.Join(data.RemoteSnapshotDirName, args[0]+".snapshot")
		if _, err := dir.Root().Lstat(name); err == nil {
			return engine.ErrDuplicateSnapshot
		}
	} else if name, err = freeAutoName(dir); err != nil {
		return engine.Status{Code: engine.ServerError, Detail: "cannot write a snapshot: " + err.Error()}
	}
	if err := dir.WriteFile(name, s.encodeKeyspace); err != nil {
		return engine.Status{Code: engine.ServerError, Detail: fmt.Sprintf("cannot write snapshot %s: %v", dir.Shown(name), err)}
	}
	return okay
}

// freeAutoName is the name of an automatic snapshot taken now, waiting for
// the next second while one of this second exists: two never share a name.
func freeAutoName(dir *data.Dir) (string, error) {
	for {
		now := time.Now()
		name := filepath.Join(data.SnapshotDirName, engine.AutoSnapshotName(now))
		_, err := dir.Root().Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return name, nil
		case err != nil:
			return "", err
		}
		time.Sleep(now.Truncate(time.Second).Add(time.Second).Sub(now))
	}
}

// encodeKeyspace writes the keyspace as of one revision in the data file
// format: its count first (the header holds it), then its pairs a page at
// a time, never the whole keyspace in memory.
func (s *Store) encodeKeyspace(w io.Writer) error {
	ctx, cancel := s.queryContext()
	rd := reader{s: s}
	resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		return []clientv3.Op{clientv3.OpGet(s.ks.prefix, s.all(append(extra, clientv3.WithCountOnly())...)...)}
	})
	cancel()
	if refused != nil {
		return asError(refused)
	}
	enc, err := data.NewEncoder(w, uint64(resp.Responses[0].GetResponseRange().Count))
	if err != nil {
		return err
	}
	// The pages are read at the revision of the count.
	if err := s.pagesFrom(rd, false, enc.Add); err != nil {
		return err
	}
	return enc.Close()
}
