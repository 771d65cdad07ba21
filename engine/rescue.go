package engine

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"skysh/data"
)

// rescue writes the store to a rescue copy when the user has given up on
// data.bin, and does not return before one is written: giving up on the
// copy too would lose the data. Each round tries every place in turn; when
// all fail it says why and tries them all again RetryEvery later. Once
// written it reports the path and returns ErrGaveUp.
func (e *Engine) rescue() error {
	sn := e.Snapshot()
	defer e.Release(sn)
	for round := 0; ; round++ {
		var failures strings.Builder
		for _, place := range e.rescuePlaces() {
			path, err := "", place.err
			if err == nil {
				path, err = e.writeRescue(sn, place.dir)
			}
			if err != nil {
				fmt.Fprintf(&failures, "  %s: %v\n", place, err)
				continue
			}
			if failures.Len() > 0 {
				fmt.Fprintf(e.opts.Log, "Could not write a rescue copy in:\n%s", failures.String())
			}
			fmt.Fprintf(e.opts.Log, "Wrote a rescue copy of all %d keys to %s\n"+
				"To use it, copy it over %s (it has the same format) and start skysh again.\n",
				sn.Len(), path, e.dir.DataFile())
			return ErrGaveUp
		}
		fmt.Fprintf(e.opts.Log, "Could not write a rescue copy in any of these places:\n%sAttempting to retry in %v\n",
			failures.String(), e.opts.RetryEvery)
		if round == 0 {
			fmt.Fprintf(e.opts.Log, "skysh keeps the data in memory and does not exit before a copy is written: "+
				"make one of these directories writable, or free space in it. Killing skysh now (kill -9) would lose the unsaved changes.\n")
		}
		time.Sleep(e.opts.RetryEvery)
	}
}

// rescuePlace is a directory a rescue copy may go to, and what it is to the
// user ("" when Options.RescueDirs named it); err says why it cannot be
// found, such as a working directory that was removed.
type rescuePlace struct {
	what, dir string
	err       error
}

func (p rescuePlace) String() string { return strings.TrimSpace(p.what + " " + p.dir) }

// rescuePlaces lists where a rescue copy may go, in order, each directory
// once: Options.RescueDirs, or else the OS temp directory, the data
// directory (only data.bin may be what fails there), the home directory and
// the working directory. They are looked up afresh at each round, so that
// a directory the user creates or fixes meanwhile counts.
func (e *Engine) rescuePlaces() []rescuePlace {
	var places []rescuePlace
	if len(e.opts.RescueDirs) > 0 {
		for _, dir := range e.opts.RescueDirs {
			places = append(places, rescuePlace{dir: dir})
		}
	} else {
		places = append(places, rescuePlace{what: "temp directory", dir: os.TempDir()},
			rescuePlace{what: "data directory", dir: e.dir.Path()})
		home, err := os.UserHomeDir()
		places = append(places, rescuePlace{"home directory", home, err})
		wd, err := os.Getwd()
		places = append(places, rescuePlace{"working directory", wd, err})
	}
	seen := map[string]bool{}
	unique := places[:0]
	for _, p := range places {
		if p.err == nil {
			if abs, err := filepath.Abs(p.dir); err == nil {
				p.dir = abs
			}
			if seen[p.dir] {
				continue
			}
			seen[p.dir] = true
		}
		unique = append(unique, p)
	}
	return unique
}

// writeRescue writes sn to a new file in dir and returns its path. The file
// is created exclusively (O_EXCL, mode 0600, by os.CreateTemp) under a name
// with a random part: a name planted in advance, or a symlink, can neither
// be guessed nor replaced nor followed. It is not renamed into place, for a
// rename replaces what has the target name; a copy cut short by a crash
// fails its checksum when loaded. On failure the file is removed: nothing
// half-written is left to be mistaken for the copy.
func (e *Engine) writeRescue(sn *Snapshot, dir string) (string, error) {
	f, err := os.CreateTemp(dir, "skysh-rescue-"+time.Now().UTC().Format(snapshotTimeFormat)+"-*.bin")
	if err != nil {
		return "", err
	}
	if err := e.writeRescueFile(f, sn, dir); err != nil {
		f.Close() // a second Close, after a failed one, fails harmlessly
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// writeRescueFile writes sn to f, makes it durable and closes it.
func (e *Engine) writeRescueFile(f *os.File, sn *Snapshot, dir string) error {
	buf := bufio.NewWriterSize(f, 1<<20)
	if err := e.encodeStore(buf, sn, foreground); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return data.SyncDir(dir)
}
