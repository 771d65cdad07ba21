// Command replay measures how long skysh takes to start on a data directory
// whose writes are all in the journal: data.bin is empty, as after a crash
// before the first save, and the journal holds one record per SET.
//
// Make such a directory once (-fill), then time starts on fresh copies of it:
//
//	replay -fill sets.sky -bin skysh -d NEWDIR -n KEYS
//	    runs skysh --nosave on NEWDIR, pipes the script in, then DBSIZE;
//	    once DBSIZE answers KEYS (every SET's answer came before it, so
//	    every record is fsynced), kills skysh with SIGKILL: no final save
//	    happens, data.bin stays empty and the journal stays.
//	replay -bin skysh -d COPY -n KEYS
//	    starts skysh on COPY and prints the seconds from the start of the
//	    process until DBSIZE has answered KEYS: open, load the empty
//	    data.bin, replay the journal, answer. Then it kills skysh, so the
//	    final save that consolidates the journal into data.bin is not
//	    timed (and COPY is left for the caller to remove).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"skysh/bench/internal/skyproc"
)

func main() {
	bin := flag.String("bin", "skysh", "skysh binary")
	dir := flag.String("d", "", "data directory (required)")
	n := flag.Int("n", 0, "number of keys the journal holds (required)")
	fill := flag.String("fill", "", "script of n SETs of new keys: make the directory instead of timing a start")
	flag.Parse()
	if *dir == "" || *n <= 0 {
		fatal(errors.New("-d and -n are required"))
	}
	if *fill != "" {
		if err := fillJournal(*bin, *dir, *fill, *n); err != nil {
			fatal(err)
		}
		return
	}
	secs, err := timeStart(*bin, *dir, *n)
	if err != nil {
		fatal(err)
	}
	fmt.Printf("%.6f\n", secs)
}

// fillJournal runs the script through skysh and kills it once every write
// has been answered.
func fillJournal(bin, dir, script string, n int) error {
	f, err := os.Open(script)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := skyproc.Start(bin, dir, "--nosave")
	if err != nil {
		return err
	}
	defer p.Kill()
	sent := make(chan error, 1)
	go func() {
		err := p.Send(f)
		if err == nil {
			err = p.Send(strings.NewReader("DBSIZE\n"))
		}
		sent <- err
	}()
	for i := 0; i < n; i++ {
		ans, err := p.Answer()
		if err != nil {
			return fmt.Errorf("answer %d of the script: %w", i+1, err)
		}
		if ans != `{"code":0,"message":"Okay"}` {
			return fmt.Errorf("answer %d of the script is %s; want every SET to set a new key", i+1, ans)
		}
	}
	ans, err := p.Answer()
	if err != nil || ans != strconv.Itoa(n) {
		return fmt.Errorf("DBSIZE = %q (%v), want %d", ans, err, n)
	}
	if err := <-sent; err != nil {
		return fmt.Errorf("send the script: %w", err)
	}
	return nil // the deferred Kill is the crash
}

// timeStart times skysh from its start until DBSIZE has answered n.
func timeStart(bin, dir string, n int) (float64, error) {
	t0 := time.Now()
	p, err := skyproc.Start(bin, dir)
	if err != nil {
		return 0, err
	}
	defer p.Kill()
	ans, err := p.Query("DBSIZE")
	secs := time.Since(t0).Seconds()
	if err != nil || ans != strconv.Itoa(n) {
		return 0, fmt.Errorf("DBSIZE = %q (%v), want %d", ans, err, n)
	}
	return secs, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "replay:", err)
	os.Exit(1)
}
