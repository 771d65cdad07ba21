package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	"skysh/data"
)

// The journal's files in the data directory: segments named for their first
// sequence, each started when data.bin is saved, removed once a data.bin
// that holds all their records is on disk. They are reached through the
// directory skysh opened, like every file of the data directory.

// segmentFile is a segment found on disk.
type segmentFile struct {
	name  string
	first uint64
}

// listSegments returns the journal segments in the data directory, oldest
// first. Anything else under a segment's name (a directory, a named pipe, a
// symbolic link) is refused: skysh did not make it and will not read,
// replace or remove it.
func (e *Engine) listSegments() ([]segmentFile, error) {
	entries, err := e.dir.ReadDir(".")
	if err != nil {
		return nil, fmt.Errorf("cannot list the journal: %w", err)
	}
	var out []segmentFile
	for _, ent := range entries {
		first, ok := parseSegmentName(ent.Name())
		if !ok {
			continue
		}
		if !ent.Type().IsRegular() {
			return nil, fmt.Errorf("%s has a journal's name but is not a regular file; skysh leaves it as it is: move it away", e.dir.Shown(ent.Name()))
		}
		out = append(out, segmentFile{ent.Name(), first})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].first < out[j].first })
	return out, nil
}

// createSegment creates the segment whose first record will be first and
// writes its header. It does not fsync: fsyncSegment does, with the
// directory, before any record in it is reported durable. A run, or the
// time after a save, with no write so costs no fsync, while the file is
// there from the start: a segment that starts after write N proves that
// data.bin held N, and a data.bin removed or replaced by an older copy is
// refused at the next start even if no write came (it costs microseconds).
func (e *Engine) createSegment(first uint64) (*segment, error) {
	name := segmentName(first)
	root := e.dir.Root()
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot start the journal %s: %w", name, err)
	}
	head := data.AppendJournalHeader(nil, first)
	if _, err := f.Write(head); err != nil {
		f.Close()
		root.Remove(name)
		return nil, fmt.Errorf("cannot start the journal %s: %w", name, err)
	}
	seg := &segment{f: f, w: f, root: root, name: name, first: first, size: int64(len(head))}
	if e.opts.WrapJournal != nil {
		seg.w = e.opts.WrapJournal(f)
	}
	return seg, nil
}

// fsyncSegment makes what was written to s durable, through
// Options.SyncJournal when a test set one, and the first time also its
// name, by an fsync of the directory: no record in it is reported durable
// before a start could find the file. The caller holds jmu.
func (e *Engine) fsyncSegment(s *segment) error {
	var err error
	if e.opts.SyncJournal != nil {
		err = e.opts.SyncJournal(s.f)
	} else {
		err = s.f.Sync()
	}
	if err != nil || s.named {
		return err
	}
	if err := e.syncJournalDir(); err != nil {
		return fmt.Errorf("cannot fsync the data directory %s: %w", e.dir.Path(), err)
	}
	s.named = true
	return nil
}

// syncJournalDir fsyncs the data directory, through
// Options.SyncJournalDir when a test set one.
func (e *Engine) syncJournalDir() error {
	if e.opts.SyncJournalDir == nil {
		return e.dir.SyncDir(".")
	}
	d, err := e.dir.Root().Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return e.opts.SyncJournalDir(d)
}

// startSegment creates the segment whose first record will be first, after
// removing an empty one of that name that a crash left, and makes it and
// its name durable at once: a journal that failed proves with it that it
// can be written again before writes are taken. The caller holds jmu.
func (e *Engine) startSegment(first uint64) (*segment, error) {
	if err := e.removeSegment(segmentName(first)); err != nil {
		return nil, err
	}
	s, err := e.createSegment(first)
	if err != nil {
		return nil, err
	}
	if err := e.fsyncSegment(s); err != nil {
		s.f.Close()
		return nil, fmt.Errorf("cannot fsync the journal %s: %w", s.name, err)
	}
	return s, nil
}

// segmentHome checks that s is still where a start would find it: the
// file at its name in the data directory as it is now. A directory removed
// (or removed and made again) takes the journal with it, and a journal file
// removed, renamed or replaced is no record either: what is written to it
// can never be found again.
func (e *Engine) segmentHome(s *segment) error {
	if s.root != e.dir.Root() {
		return fmt.Errorf("cannot journal: the data directory %s was removed with the journal %s in it", e.dir.Path(), s.name)
	}
	if err := e.dir.Check(); err != nil {
		return fmt.Errorf("cannot journal: %w", err)
	}
	open, err := s.f.Stat()
	if err != nil {
		return fmt.Errorf("cannot journal: %w", err)
	}
	if there, err := s.root.Lstat(s.name); err != nil || !os.SameFile(open, there) {
		return fmt.Errorf("cannot journal: the journal %s was removed or replaced while skysh wrote it", e.dir.Shown(s.name))
	}
	return nil
}

// removeSegment deletes one segment, which may already be gone. Only a
// regular file is removed: anything else at that name is not skysh's.
func (e *Engine) removeSegment(name string) error {
	fi, err := e.dir.Root().Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot remove the journal %s: %w", e.dir.Shown(name), err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s has a journal's name but is not a regular file; skysh leaves it as it is: move it away", e.dir.Shown(name))
	}
	if err := e.dir.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot remove the journal: %w", err)
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
		if err := e.removeSegment(s.name); err != nil {
			return err
		}
		removed = true
	}
	if removed {
		return e.dir.SyncDir(".")
	}
	return nil
}

// removeAllSegments deletes every journal segment: data.bin holds all their
// writes.
func (e *Engine) removeAllSegments() error {
	segs, err := e.listSegments()
	if err != nil || len(segs) == 0 {
		return err
	}
	for _, s := range segs {
		if err := e.removeSegment(s.name); err != nil {
			return err
		}
	}
	return e.dir.SyncDir(".")
}

// readSegmentFile replays one segment file through fn. Only a regular file
// is read.
func (e *Engine) readSegmentFile(name string, fn func(seq uint64, payload []byte) error) (data.Segment, error) {
	path := e.dir.Shown(name)
	f, _, err := e.dir.OpenRegular(name)
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
