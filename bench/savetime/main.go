// Command savetime measures how long skysh takes to save its whole store.
//
// It starts skysh (with --nosave, so no BGSAVE interferes) on a data
// directory that already holds the keys, waits until it answers DBSIZE,
// rewrites one key with its own value (USET) so the store is dirty but its
// content unchanged, then times `!save` from sending the line to reading its
// answer. The save is skysh's full one: temp file, fsync, rename, fsync of
// the directory. It prints the seconds on stdout.
//
//	savetime -bin skysh -d DIR [-n EXPECTED_KEYS]
package main

import (
	"encoding/json"
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
	dir := flag.String("d", "", "data directory holding the keys (required)")
	want := flag.Int("n", -1, "expected number of keys (-1: do not check)")
	key := flag.String("key", "key:000000000", "existing key to rewrite")
	flag.Parse()
	if *dir == "" {
		fatal(fmt.Errorf("-d is required"))
	}
	p, err := skyproc.Start(*bin, *dir, "--nosave")
	if err != nil {
		fatal(err)
	}
	secs, err := measure(p, *want, *key)
	if err != nil {
		p.Kill()
		fatal(err)
	}
	if err := p.Close(time.Minute); err != nil {
		fatal(err)
	}
	fmt.Printf("%.6f\n", secs)
}

// measure dirties the store without changing it and times one !save.
func measure(p *skyproc.Proc, want int, key string) (float64, error) {
	ans, err := p.Query("DBSIZE")
	if err != nil {
		return 0, err
	}
	if want >= 0 && ans != strconv.Itoa(want) {
		return 0, fmt.Errorf("DBSIZE = %s, want %d", ans, want)
	}
	ans, err = p.Query("GET " + key)
	if err != nil {
		return 0, err
	}
	var val string
	if err := json.Unmarshal([]byte(ans), &val); err != nil {
		return 0, fmt.Errorf("GET %s: %s", key, ans)
	}
	if ans, err = p.Query("USET " + key + " " + quote(val)); err != nil {
		return 0, err
	} else if ans != "1" {
		return 0, fmt.Errorf("USET answered %s", ans)
	}
	ans, d, err := p.Timed("!save")
	if err != nil {
		return 0, err
	}
	var res struct{ Saved bool }
	if err := json.Unmarshal([]byte(ans), &res); err != nil || !res.Saved {
		return 0, fmt.Errorf("!save answered %s", ans)
	}
	return d.Seconds(), nil
}

// quote writes s as a skysh double-quoted argument, every byte as \xHH, so
// any value survives the tokenizer unchanged.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, `\x%02x`, s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "savetime:", err)
	os.Exit(1)
}
