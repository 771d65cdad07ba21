package engine

import (
	"cmp"
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
				path, err = e.writeRescue(sn, place)
			}
			if err != nil {
				fmt.Fprintf(&failures, "  %s: %v\n", place, data.Explained(err))
				continue
			}
			if failures.Len() > 0 {
				fmt.Fprintf(e.opts.Log, "Could not write a rescue copy in:\n%s", failures.String())
			}
			fmt.Fprintf(e.opts.Log, "Wrote a rescue copy of the store (%s) to %s\n"+
				"To use it, copy it over %s (it has the same format) and start skysh again.\n",
				data.KeyCount(sn.Len()), path, e.dataFileNow())
			return ErrGaveUp
		}
		fmt.Fprintf(e.opts.Log, "Could not write a rescue copy in any of these places:\n%sAttempting to retry in %v\n",
			failures.String(), e.opts.RetryEvery)
		if round == 0 {
			fmt.Fprintf(e.opts.Log, "skysh keeps the data in memory and does not exit before a copy is written: "+
				"make one of these directories writable, or free space in it. Killing skysh now (kill -9) would lose the changes that neither data.bin nor the journal holds.\n")
		}
		time.Sleep(e.opts.RetryEvery)
	}
}

// rescuePlace is a directory a rescue copy may go to, and what it is to the
// user ("" when Options.RescueDirs named it); err says why it cannot be
// found, such as a working directory that was removed. inData marks the
// data directory, which is written through the directory skysh opened, dir
// being only where that is now.
type rescuePlace struct {
	what, dir string
	err       error
	inData    bool
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
		where, err := e.dir.Where()
		places = append(places, rescuePlace{what: "temp directory", dir: os.TempDir()},
			rescuePlace{what: "data directory", dir: cmp.Or(where, e.dir.Path()), err: err, inData: true})
		home, err := os.UserHomeDir()
		places = append(places, rescuePlace{what: "home directory", dir: home, err: err})
		wd, err := os.Getwd()
		places = append(places, rescuePlace{what: "working directory", dir: wd, err: err})
	}
	seen := map[string]bool{}
	unique := places[:0]
	for _, p := range places {
		if abs, err := filepath.Abs(p.dir); err == nil && p.dir != "" {
			p.dir = abs
		}
		if p.err == nil {
			if seen[p.dir] {
				continue
			}
			seen[p.dir] = true
		}
		unique = append(unique, p)
	}
	return unique
}

// writeRescue writes sn to a new file in place and returns its path. The
// file is created exclusively, under a name with a random part, and never
// renamed into place, for a rename replaces what has the target name; see
// data.WriteNewFile. The data directory is written through the directory
// skysh opened: at its path there may now be another skysh's directory.
func (e *Engine) writeRescue(sn *Snapshot, place rescuePlace) (string, error) {
	prefix := "skysh-rescue-" + time.Now().UTC().Format(snapshotTimeFormat) + "-"
	write := e.encoder(sn, foreground)
	var name string
	var err error
	if place.inData {
		name, err = e.dir.WriteNewFile(prefix, ".bin", write)
	} else {
		name, err = data.WriteNewFile(place.dir, prefix, ".bin", write)
	}
	if err != nil {
		return "", err
	}
	return filepath.Join(place.dir, name), nil
}

// dataFileNow is the path of data.bin where the data directory is now, for
// telling the user where to put a rescue copy; as it was opened when that
// is unknown.
func (e *Engine) dataFileNow() string {
	if where, err := e.dir.Where(); err == nil {
		return filepath.Join(where, data.DataFileName)
	}
	return e.dir.DataFile()
}
