package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"skysh/data"
)

// The journal's files in the data directory: segments named for their first
// sequence, each started when data.bin is saved, removed once a data.bin
// that holds all their records is on disk.

// segmentFile is a segment found on disk.
type segmentFile struct {
	name  string
	first uint64
}

// listSegments returns the journal segments in the data directory, oldest
// first.
func (e *Engine) listSegments() ([]segmentFile, error) {
	entries, err := os.ReadDir(e.dir.Path())
	if err != nil {
		return nil, fmt.Errorf("cannot list the journal: %w", err)
	}
	var out []segmentFile
	for _, ent := range entries {
		if first, ok := parseSegmentName(ent.Name()); ok && ent.Type().IsRegular() {
			out = append(out, segmentFile{ent.Name(), first})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].first < out[j].first })
	return out, nil
}

// createSegment creates the segment whose first record will be first and
// writes its header. It does not fsync: the caller does, with the directory,
// before any record in it is reported durable.
func (e *Engine) createSegment(first uint64) (*segment, error) {
	name := segmentName(first)
	path := filepath.Join(e.dir.Path(), name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot start the journal %s: %w", name, err)
	}
	head := data.AppendJournalHeader(nil, first)
	if _, err := f.Write(head); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("cannot start the journal %s: %w", name, err)
	}
	seg := &segment{f: f, w: f, name: name, first: first, size: int64(len(head))}
	if e.opts.WrapJournal != nil {
		seg.w = e.opts.WrapJournal(f)
	}
	return seg, nil
}

// syncSegment makes a new segment and its name durable.
func (e *Engine) syncSegment(s *segment) error {
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("cannot fsync the journal %s: %w", s.name, err)
	}
	if err := data.SyncDir(e.dir.Path()); err != nil {
		return fmt.Errorf("cannot fsync the data directory for the journal: %w", err)
	}
	return nil
}

// removeSegments deletes the segments whose every record data.bin now
// holds (upto), except keep; they are skysh's own files, named by it. A
// segment's records end where the next one's begin, so the newest segment is
// never removed here.
func (e *Engine) removeSegments(upto uint64, keep string) error {
	segs, err := e.listSegments()
	if err != nil {
		return err
	}
	removed := false
	for i, s := range segs {
		if s.name == keep || i+1 == len(segs) || segs[i+1].first-1 > upto {
			continue
		}
		if err := os.Remove(filepath.Join(e.dir.Path(), s.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot remove the old journal %s: %w", s.name, err)
		}
		removed = true
	}
	if removed {
		return data.SyncDir(e.dir.Path())
	}
	return nil
}

// readSegmentFile replays one segment file through fn.
func (e *Engine) readSegmentFile(name string, fn func(seq uint64, payload []byte) error) (data.Segment, error) {
	path := filepath.Join(e.dir.Path(), name)
	f, err := os.Open(path)
	if err != nil {
		return data.Segment{}, fmt.Errorf("cannot read the journal: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return data.Segment{}, fmt.Errorf("cannot read the journal: %w", err)
	}
	return data.ReadSegment(f, fi.Size(), path, fn)
}
