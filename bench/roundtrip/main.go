// Command roundtrip measures one-at-a-time write round trips: send one SET of
// a new key, wait for its answer, send the next. It is the interactive case,
// where group commit has nothing to group: with skysh's default
// `--fsync always` every SET waits for its own journal fsync, as every SET
// into a Redis with `appendfsync always` waits for its own AOF fsync.
//
// Two systems:
//
//	roundtrip -bin skysh -d NEWDIR [-- SKYSH_FLAGS...]
//	    skysh as a coprocess over pipes (skysh -d NEWDIR --json FLAGS),
//	    sending `SET k<i> v`
//	roundtrip -redis 127.0.0.1:PORT
//	    one TCP connection to redis-server, sending the RESP array
//	    SET k<i> v and reading +OK
//
// Both send the same keys k0, k1, … (new each time) with the value v, for
// -dur or -count queries, whichever ends first, and print one line:
//
//	queries=Q p50_us=… p99_us=… mean_us=… max_ms=…
//
// Each round trip is timed from just before the query is written to just
// after its answer has been read.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"skysh/bench/internal/latency"
	"skysh/bench/internal/skyproc"
)

func main() {
	bin := flag.String("bin", "skysh", "skysh binary")
	dir := flag.String("d", "", "new data directory for skysh")
	redis := flag.String("redis", "", "address of a redis-server to use instead of skysh, e.g. 127.0.0.1:6399")
	dur := flag.Duration("dur", 3*time.Second, "how long to send queries")
	count := flag.Int("count", 1_000_000, "most queries to send")
	flag.Parse()
	if (*dir == "") == (*redis == "") {
		fatal(errors.New("give either -d (skysh) or -redis ADDR"))
	}
	// Our own garbage collector must not add pauses to the latencies.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(1 << 30)

	var (
		set  func(i int) (time.Duration, error)
		stop func() error
	)
	if *redis != "" {
		c, err := dialRedis(*redis)
		if err != nil {
			fatal(err)
		}
		set, stop = c.set, c.conn.Close
	} else {
		p, err := skyproc.Start(*bin, *dir, flag.Args()...)
		if err != nil {
			fatal(err)
		}
		set = func(i int) (time.Duration, error) {
			q := "SET k" + strconv.Itoa(i) + " v"
			ans, d, err := p.Timed(q)
			if err == nil && ans != `{"code":0,"message":"Okay"}` {
				err = fmt.Errorf("%s answered %s", q, ans)
			}
			return d, err
		}
		stop = func() error { return p.Close(time.Minute) }
	}

	lat := make([]time.Duration, 0, 1<<16)
	start := time.Now()
	for i := 0; i < *count && time.Since(start) < *dur; i++ {
		d, err := set(i)
		if err != nil {
			fatal(err)
		}
		lat = append(lat, d)
	}
	if err := stop(); err != nil {
		fatal(err)
	}
	fmt.Println(summary(lat))
}

// summary is the result line for the round trips in lat.
func summary(lat []time.Duration) string {
	if len(lat) == 0 {
		return "queries=0"
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	us := func(d time.Duration) float64 { return float64(d) / 1e3 }
	return fmt.Sprintf("queries=%d p50_us=%.1f p99_us=%.1f mean_us=%.1f max_ms=%.3f",
		len(s), us(latency.Percentile(s, 50)), us(latency.Percentile(s, 99)), us(sum/time.Duration(len(s))), us(s[len(s)-1])/1e3)
}

// redisConn is one connection to redis-server speaking just enough RESP for
// SET: an array of bulk strings out, a simple string back.
type redisConn struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

func dialRedis(addr string) (*redisConn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	// As redis-cli does: small writes must not wait for Nagle's algorithm.
	conn.(*net.TCPConn).SetNoDelay(true)
	return &redisConn{conn: conn, r: bufio.NewReader(conn)}, nil
}

// set sends SET k<i> v and reads the reply, which must be +OK.
func (c *redisConn) set(i int) (time.Duration, error) {
	key := "k" + strconv.Itoa(i)
	c.buf = fmt.Appendf(c.buf[:0], "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n", len(key), key)
	t0 := time.Now()
	if _, err := c.conn.Write(c.buf); err != nil {
		return 0, fmt.Errorf("send SET %s: %w", key, err)
	}
	line, err := c.r.ReadString('\n')
	d := time.Since(t0)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return d, fmt.Errorf("reply to SET %s: %w", key, err)
	}
	if line != "+OK\r\n" {
		return d, fmt.Errorf("SET %s: redis answered %q", key, line)
	}
	return d, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "roundtrip:", err)
	os.Exit(1)
}
