// Command rss measures skysh's resident memory once its data is loaded.
//
// It starts skysh (with --nosave) on a data directory, waits for the answer
// to DBSIZE, which comes only after data.bin has been loaded, and then reads
// VmRSS (resident now) and VmHWM (peak resident) from /proc/PID/status.
// It prints one line: `keys=K rss_kib=R hwm_kib=H`. Linux only.
//
//	rss -bin skysh -d DIR
package main

import (
	"bufio"
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
	flag.Parse()
	if *dir == "" {
		fatal(fmt.Errorf("-d is required"))
	}
	p, err := skyproc.Start(*bin, *dir, "--nosave")
	if err != nil {
		fatal(err)
	}
	keys, err := p.Query("DBSIZE")
	if err != nil {
		p.Kill()
		fatal(err)
	}
	st, err := procStatus(p.Pid())
	if err != nil {
		p.Kill()
		fatal(err)
	}
	if err := p.Close(time.Minute); err != nil {
		fatal(err)
	}
	fmt.Printf("keys=%s rss_kib=%s hwm_kib=%s\n", keys, st["VmRSS"], st["VmHWM"])
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
