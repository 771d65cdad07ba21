package transfer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"skysh/cluster/etcdurl"
	"skysh/data"
	"skysh/engine"
)

// The kinds of side, by how they are written on the command line.
type kind int

const (
	dirSide        kind = iota // a data directory
	fileSide                   // a snapshot file, in skysh's format
	skytable06Side             // skytable06:PATH, a file in Skytable 0.6's format
	clusterSide                // etcd://HOST:PORT[,HOST:PORT…]/KEYSPACE, or etcds://
)

// skytable06Prefix introduces a file in Skytable 0.6's data.bin format.
const skytable06Prefix = "skytable06:"

// side is one end of a copy, as given.
type side struct {
	spec string // as the user wrote it, for messages
	kind kind
	path string // the file or directory; the URL of a cluster
}

func (s side) String() string { return s.spec }

// parseSide reads one side. A path that exists is a data directory or a
// snapshot file by what it is; a destination that does not exist yet is a
// snapshot file when its name ends in .snapshot or .bin, and a data
// directory otherwise. skytable06:PATH is a file, whatever its name.
func parseSide(spec string, dest bool) (side, error) {
	s := side{spec: spec, path: spec}
	switch {
	case spec == "":
		return s, usagef("an empty argument names no place to copy")
	case etcdurl.IsURL(spec):
		s.kind = clusterSide
		return s, nil
	case strings.HasPrefix(spec, skytable06Prefix):
		s.kind, s.path = skytable06Side, strings.TrimPrefix(spec, skytable06Prefix)
		if s.path == "" {
			return s, usagef("%s needs a file: %sPATH", spec, skytable06Prefix)
		}
	case strings.Contains(spec, "://"):
		return s, usagef("%s: unknown kind of place; a side is a data directory, a snapshot file, skytable06:PATH, or etcd://HOST:PORT/KEYSPACE (etcds:// with TLS)", spec)
	}
	fi, err := os.Stat(s.path)
	switch {
	case err == nil && s.kind == skytable06Side && !fi.Mode().IsRegular():
		return s, usagef("%s is %s, not a file in Skytable 0.6's format", spec, data.KindOf(fi.Mode()))
	case err == nil && s.kind == skytable06Side:
	case err == nil && fi.IsDir():
		s.kind = dirSide
	case err == nil && fi.Mode().IsRegular():
		s.kind = fileSide
	case err == nil:
		return s, usagef("%s is %s, neither a data directory nor a snapshot file", spec, data.KindOf(fi.Mode()))
	case !errors.Is(err, fs.ErrNotExist):
		return s, err
	}
	if err == nil {
		return s, nil
	}
	if link, to, ok := danglingLink(s.path); ok {
		// It cannot be created either: the link is in the way.
		return s, usagef("%s: %s is a symbolic link to %s, which does not exist", spec, link, to)
	}
	switch {
	case !dest:
		return s, usagef("%s does not exist", spec)
	case s.kind == skytable06Side:
	case strings.HasSuffix(spec, ".snapshot") || strings.HasSuffix(spec, ".bin"):
		s.kind = fileSide
	default:
		s.kind = dirSide
	}
	return s, nil
}

// danglingLink finds the symbolic link that leads nowhere on the way to
// path, a path that does not exist, and where it leads; ok is false when
// path is missing for another reason.
func danglingLink(path string) (link, to string, ok bool) {
	for p := filepath.Clean(path); ; p = filepath.Dir(p) {
		if fi, err := os.Lstat(p); err == nil {
			if fi.Mode()&fs.ModeSymlink == 0 {
				return "", "", false
			}
			to, err := os.Readlink(p)
			return p, to, err == nil
		}
		if filepath.Dir(p) == p {
			return "", "", false
		}
	}
}

// parseSides reads both sides and refuses pairings that cannot work: a
// side copied onto itself, and options that do not fit the destination.
func parseSides(from, to string, o Options) (src, dst side, err error) {
	if src, err = parseSide(from, false); err != nil {
		return src, dst, err
	}
	if dst, err = parseSide(to, true); err != nil {
		return src, dst, err
	}
	switch {
	case o.Force && o.Resume:
		return src, dst, usagef("choose one of --force (start again, replacing what is there) and --resume (go on from what is there)")
	case o.Resume && dst.kind != clusterSide:
		return src, dst, usagef("--resume goes on with a copy into an etcd keyspace; %s is written whole or not at all, so an interrupted copy left nothing there: run the copy again", dst)
	case sameSide(src, dst):
		return src, dst, usagef("%s and %s are the same place", src, dst)
	}
	return src, dst, nil
}

// sameSide reports whether two sides are one place: the same file or
// directory, or the same cluster URL.
func sameSide(a, b side) bool {
	if a.kind == clusterSide || b.kind == clusterSide {
		return a.kind == b.kind && a.path == b.path
	}
	fa, errA := os.Stat(a.path)
	fb, errB := os.Stat(b.path)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// dataDirOf returns the data directory that holds the file at path at its
// top level, where data.bin, the journal and the lock are: such a file is
// part of a store, not a copy of one. ok is false for any other file.
func dataDirOf(path string) (dir string, ok bool) {
	dir = filepath.Dir(path)
	return dir, engine.IsDataDir(dir)
}

// openSource opens the side to read it.
func (s side) openSource(o Options) (Source, error) {
	switch s.kind {
	case dirSide:
		return openDirSource(s, o)
	case fileSide:
		return openFileSource(s)
	case skytable06Side:
		return openSkytable06Source(s)
	default:
		return openClusterSource(s, o)
	}
}

// openSink opens the side to write it.
func (s side) openSink(o Options) (Sink, error) {
	switch s.kind {
	case dirSide:
		return openDirSink(s, o)
	case fileSide:
		return openFileSink(s)
	case skytable06Side:
		return openSkytable06Sink(s)
	default:
		return openClusterSink(s, o)
	}
}
