package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"skysh/data"
	"skysh/engine"
	"skysh/render"
)

// dumpHeader opens a dump so that a reader knows what the file is; !dump
// replaces an existing file only if it starts with dumpMark, or with --force.
const (
	dumpMark   = "# skysh dump of "
	dumpHeader = dumpMark + "%s, %s. Replay into a new data directory DIR with: skysh -d DIR < FILE%s\n"
)

// Reasons !dump refuses a file.
var (
	// errDumpInDataDir is returned for a path inside the data directory,
	// however it is spelled: a dump there could replace data.bin, the lock
	// or a snapshot, or be taken for one.
	errDumpInDataDir = errors.New("it is inside the data directory")
	// errDumpForeign is returned for an existing file that is not a skysh
	// dump: skysh never replaces what it did not write unless asked.
	errDumpForeign = errors.New("it exists and is not a skysh dump")
)

// metaDump is `!dump [--force] [FILE]`: the store as a script of USET lines,
// to FILE or to the output.
func (s *Shell) metaDump(args []string, at where, interactive bool) outcome {
	force := len(args) > 1 && args[1] == "--force"
	if force {
		args = args[1:]
	}
	if len(args) > 2 || (force && len(args) != 2) {
		s.reportError(at, "!dump takes at most one file name, after --force if given", interactive)
		return lineFailed
	}
	if len(args) == 1 {
		s.dumpHere(args)
		return lineOK
	}
	path := args[1]
	n, err := s.dumpToFile(path, force)
	switch {
	case errors.Is(err, errDumpForeign):
		s.reportError(at, fmt.Sprintf("cannot dump to %s: %v; !dump --force %s replaces it", path, err, path), interactive)
		return lineFailed
	case err != nil:
		s.reportError(at, fmt.Sprintf("cannot dump to %s: %v", path, err), interactive)
		return lineFailed
	}
	if s.cfg.Format == render.JSON {
		s.jsonLine(map[string]any{"dumped": n, "file": path})
	} else {
		s.out.WriteString(fmt.Sprintf("dumped %s to %s\n", data.KeyCount(n), render.Printable(path)))
	}
	return lineOK
}

// dumpHere writes the dump to the output; in JSON as one string.
func (s *Shell) dumpHere(args []string) {
	if s.cfg.Format == render.JSON {
		var b strings.Builder
		s.writeDump(&b)
		s.text(args, b.String())
		return
	}
	s.writeDump(s.out)
}

// dumpToFile checks that path may be written, then writes the dump there
// the durable way, and returns how many keys it holds.
func (s *Shell) dumpToFile(path string, force bool) (int, error) {
	if err := s.outsideDataDir(path); err != nil {
		return 0, err
	}
	if !force {
		if err := mayReplace(path); err != nil {
			return 0, err
		}
	}
	n := s.cfg.Store.Len()
	return n, engine.WriteFile(path, s.writeDump)
}

// writeDump writes the header and one USET line per key, sorted.
func (s *Shell) writeDump(w io.Writer) error {
	e := s.cfg.Store
	bw := bufio.NewWriterSize(w, 256<<10)
	from := ""
	if place := s.place(); place != "memory" {
		from = " (this store's is " + Quote(place) + ")"
	}
	fmt.Fprintf(bw, dumpHeader, data.KeyCount(e.Len()), time.Now().UTC().Format(time.RFC3339), from)
	err := e.RangeSorted(func(k, v string) error {
		bw.WriteString("USET ")
		bw.WriteString(Quote(k))
		bw.WriteByte(' ')
		bw.WriteString(Quote(v))
		return bw.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// outsideDataDir refuses a path whose directory is the data directory or
// lies under it. Directories are compared by identity (device and inode)
// after resolving symbolic links, so no spelling of the path (.., a link
// to the directory) gets around it.
func (s *Shell) outsideDataDir(path string) error {
	// The directory skysh opened, even if it was renamed since.
	l, ok := s.local()
	if !ok {
		return nil
	}
	data, err := l.DataDirStat()
	if errors.Is(err, engine.ErrNoDataDir) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot check the data directory: %w", err)
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	for {
		if fi, err := os.Stat(dir); err == nil && os.SameFile(fi, data) {
			return errDumpInDataDir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
}

// mayReplace refuses an existing path unless it is a regular file that
// starts as a skysh dump. A symbolic link is refused too: the dump would
// replace the link, which skysh did not write.
func mayReplace(path string) error {
	f, err := openRegular(path, os.O_RDONLY)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case errors.Is(err, errNotRegular):
		return errDumpForeign
	case err != nil:
		return err
	}
	defer f.Close()
	head := make([]byte, len(dumpMark))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != dumpMark {
		return errDumpForeign
	}
	return nil
}
