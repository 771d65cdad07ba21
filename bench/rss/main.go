// Command rss measures skysh's resident memory while it still runs: after
// loading a data directory, or after a piped script.
//
// It starts skysh on a data directory with the flags given after --, and
// then either waits for the answer to DBSIZE, which comes only after
// data.bin has been loaded, or, with -script, first pipes the script and a
// HEYA in, reads the answers (one line per query with --json) up to HEYA's,
// times that from the first byte sent to HEYA's answer read, and then asks
// DBSIZE. Then, once skysh has sat idle for -settle (default 1s: skysh gives
// back the memory a burst of input left behind when it waits for more, and
// a person reads memory between commands, not during one), it
// reads VmRSS (resident now) and VmHWM (peak resident) from
// /proc/PID/status, closes skysh's input and waits for it to exit (its final
// save is not timed). It prints one line:
//
//	keys=K rss_kib=R hwm_kib=H [answers=A script_s=T]
//
// where A is the number of answers before HEYA's (one per query of the
// script; no query of it may answer "HEY!"). Linux only.
//
//	rss -bin skysh -d DIR [-script FILE] [-- SKYSH_FLAGS...]
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"skysh/bench/internal/skyproc"
)

func main() {
	bin := flag.String("bin", "skysh", "skysh binary")
	dir := flag.String("d", "", "data directory (required)")
	script := flag.String("script", "", "script of queries to pipe in before DBSIZE")
	settle := flag.Duration("settle", time.Second, "how long skysh sits idle before its memory is read, as a person reads it after a command")
	flag.Parse()
	if *dir == "" {
		fatal(errors.New("-d is required"))
	}
	p, err := skyproc.Start(*bin, *dir, flag.Args()...)
	if err != nil {
		fatal(err)
	}
	var (
		secs    float64
		answers int
	)
	if *script != "" {
		if answers, secs, err = runScript(p, *script); err != nil {
			p.Kill()
			fatal(err)
		}
	}
	keys, err := p.Query("DBSIZE")
	if err != nil {
		p.Kill()
		fatal(err)
	}
	time.Sleep(*settle)
	st, err := procStatus(p.Pid())
	if err != nil {
		p.Kill()
		fatal(err)
	}
	if err := p.Close(10 * time.Minute); err != nil {
		fatal(err)
	}
	line := fmt.Sprintf("keys=%s rss_kib=%s hwm_kib=%s", keys, st["VmRSS"], st["VmHWM"])
	if *script != "" {
		line += fmt.Sprintf(" answers=%d script_s=%.6f", answers, secs)
	}
	fmt.Println(line)
}

// heyaAnswer is HEYA's answer with --json: the end of the script's answers.
const heyaAnswer = `"HEY!"`

// runScript pipes the script and a HEYA into p and reads the answers up to
// HEYA's; it returns how many came before it and the seconds from the start
// of sending to HEYA's answer.
func runScript(p *skyproc.Proc, script string) (int, float64, error) {
	f, err := os.Open(script)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sent := make(chan error, 1)
	t0 := time.Now()
	go func() {
		err := p.Send(f)
		if err == nil {
			err = p.Send(strings.NewReader("HEYA\n"))
		}
		sent <- err
	}()
	n, err := p.SkipUntil(heyaAnswer)
	secs := time.Since(t0).Seconds()
	if err != nil {
		return n, 0, fmt.Errorf("answers to %s: %w", script, err)
	}
	if err := <-sent; err != nil {
		return n, 0, fmt.Errorf("send %s: %w", script, err)
	}
	return n, secs, nil
}

// procStatus returns the kB figures of /proc/PID/status by field name,
// e.g. "VmRSS" → "123456".
func procStatus(pid int) (map[string]string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		if fields := strings.Fields(rest); len(fields) == 2 && fields[1] == "kB" {
			m[name] = fields[0]
		}
	}
	if m["VmRSS"] == "" {
		return nil, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return m, sc.Err()
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "rss:", err)
	os.Exit(1)
}
