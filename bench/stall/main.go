// Command stall measures how long queries wait while skysh runs a BGSAVE.
//
// It starts skysh on a data directory that already holds the keys, once for
// each run named by -runs: "bgsave" runs with -S EVERY (a BGSAVE every EVERY
// seconds), "nosave" with --nosave, the baseline. Each time it waits until DBSIZE answers (data loaded), then
// for -dur sends queries one at a time through the pipes, timing each round
// trip: GETs of random existing keys, and a USET of a random key every tenth
// query so the store is always dirty and every BGSAVE really writes.
// Meanwhile it watches DIR/data.bin and counts how often it is replaced, that
// is how many saves completed during the run (expected: about dur/EVERY with
// -S, none with --nosave).
//
// It prints one line per run, in the order of -runs:
//
//	bgsave queries=Q saves=S over1ms=K p50_us=… p99_us=… p999_ms=… max_ms=… max_at_s=…
//	nosave queries=Q saves=0 …
//
// over1ms counts the queries that took longer than 1 ms; max_at_s is when the
// slowest one was sent, in seconds since the first.
//
// The USETs change values, so run it on a copy of the data directory.
//
//	stall -bin skysh -d DIR -n KEYS [-dur 5s] [-every 1] [-runs bgsave,nosave]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"skysh/bench/internal/latency"
	"skysh/bench/internal/skyproc"
)

func main() {
	bin := flag.String("bin", "skysh", "skysh binary")
	dir := flag.String("d", "", "data directory holding keys key:000000000… (required)")
	n := flag.Int("n", 0, "number of keys in the directory (required)")
	dur := flag.Duration("dur", 5*time.Second, "how long to send queries in each run")
	every := flag.Int("every", 1, "BGSAVE interval in seconds for the bgsave run")
	runList := flag.String("runs", "bgsave,nosave", "runs to make, in order: bgsave, nosave or both")
	seed := flag.Uint64("seed", 7, "random seed for the keys queried")
	flag.Parse()
	if *dir == "" || *n <= 0 {
		fatal(fmt.Errorf("-d and -n are required"))
	}
	// Our own garbage collector must not add pauses to the latencies we
	// measure: collect only between runs (or past 1 GiB, as a safety net).
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(1 << 30)
	runs := strings.Split(*runList, ",")
	for _, name := range runs {
		if name != "bgsave" && name != "nosave" {
			fatal(fmt.Errorf("-runs %q: want bgsave and/or nosave, separated by a comma", *runList))
		}
	}
	for _, name := range runs {
		flags := []string{"--nosave"}
		if name == "bgsave" {
			flags = []string{"-S", strconv.Itoa(*every)}
		}
		r, err := run(*bin, *dir, *n, *dur, *seed, flags)
		if err != nil {
			fatal(fmt.Errorf("%s run: %w", name, err))
		}
		fmt.Printf("%s %s\n", name, r)
		runtime.GC()
	}
}

// result is what one run measured.
type result struct {
	lat    []time.Duration // round trip of every query, in order
	maxAt  time.Duration   // when the slowest query started, since the first
	saves  int64           // data.bin replacements seen during the run
	errors int
}

func (r result) String() string {
	if len(r.lat) == 0 {
		return "queries=0"
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	over, _ := slices.BinarySearch(s, time.Millisecond+1)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	pct := func(p float64) float64 { return ms(latency.Percentile(s, p)) }
	return fmt.Sprintf("queries=%d saves=%d over1ms=%d p50_us=%.1f p99_us=%.1f p999_ms=%.3f max_ms=%.3f max_at_s=%.2f",
		len(s), r.saves, len(s)-over, pct(50)*1000, pct(99)*1000, pct(99.9), ms(s[len(s)-1]), r.maxAt.Seconds())
}

// run starts skysh with flags, sends queries for dur and stops it.
func run(bin, dir string, n int, dur time.Duration, seed uint64, flags []string) (result, error) {
	p, err := skyproc.Start(bin, dir, flags...)
	if err != nil {
		return result{}, err
	}
	if ans, err := p.Query("DBSIZE"); err != nil || ans != strconv.Itoa(n) {
		p.Kill()
		return result{}, fmt.Errorf("DBSIZE = %q (%v), want %d", ans, err, n)
	}

	var saves atomic.Int64
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		watch(filepath.Join(dir, "data.bin"), &saves, stop)
	}()

	rng := rand.New(rand.NewPCG(seed, seed+1))
	r := result{lat: make([]time.Duration, 0, 1<<20)}
	val := make([]byte, 32)
	var worst time.Duration
	start := time.Now()
	for i := 0; time.Since(start) < dur; i++ {
		key := fmt.Sprintf("key:%09d", rng.IntN(n))
		q := "GET " + key
		if i%10 == 0 {
			for j := range val {
				val[j] = 'a' + byte(rng.IntN(26))
			}
			q = "USET " + key + " " + string(val)
		}
		sent := time.Since(start)
		ans, d, err := p.Timed(q)
		if err != nil {
			p.Kill()
			return r, err
		}
		if !ok(q[0], ans) {
			r.errors++
		}
		r.lat = append(r.lat, d)
		if d > worst {
			worst, r.maxAt = d, sent
		}
	}
	close(stop)
	<-watched
	r.saves = saves.Load()
	if err := p.Close(2 * time.Minute); err != nil {
		return r, err
	}
	if r.errors > 0 {
		return r, fmt.Errorf("%d queries got an unexpected answer", r.errors)
	}
	return r, nil
}

// ok reports whether ans is a sound answer: a JSON string for GET, the
// integer 1 for USET.
func ok(kind byte, ans string) bool {
	if kind == 'U' {
		return ans == "1"
	}
	var s string
	return json.Unmarshal([]byte(ans), &s) == nil
}

// watch counts, until stop closes, how many times the file at path is
// replaced by another one (a save renames a new file over it).
func watch(path string, count *atomic.Int64, stop <-chan struct{}) {
	prev, _ := os.Stat(path)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		cur, err := os.Stat(path)
		if err != nil {
			continue
		}
		if prev != nil && !os.SameFile(prev, cur) {
			count.Add(1)
		}
		prev = cur
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "stall:", err)
	os.Exit(1)
}
