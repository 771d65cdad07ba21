package engine_test

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"skysh/engine"
)

// BenchmarkBGSaveStall measures how long queries wait while a save of 1M
// keys (13-byte keys, 32-byte values) is running: the design's target is
// no query stalled more than 1 ms by a BGSAVE. Each iteration starts a
// Save in a goroutine and, until it returns, issues SETs (to new keys and
// existing ones, so that shards get copied) and GETs, timing each. The
// "idle" sub-benchmark issues the same queries with no save running, for
// comparison: on a busy machine its maximum shows what preemption and the
// garbage collector cost without any save.
//
// Metrics: max-stall-ns is the longest query, p999-ns the 99.9th
// percentile, over all iterations; queries/op is how many were timed per
// save.
func BenchmarkBGSaveStall(b *testing.B) {
	const n = 1_000_000
	e := persistOpen(b, b.TempDir(), engine.Options{})
	query := []string{"USET"}
	value := strings.Repeat("v", 32)
	for i := range n {
		query = append(query, fmt.Sprintf("key:%09d", i), value)
		if len(query) > 2000 || i == n-1 {
			if r := e.Exec(query); engine.Failed(r) {
				b.Fatalf("filling: %s", fmtResponse(r))
			}
			query = query[:1]
		}
	}
	if _, err := e.Save(); err != nil {
		b.Fatal(err)
	}

	// timed issues the next query of the mix and appends its latency.
	next := 0
	timed := func(b *testing.B, lat []int64) []int64 {
		i := next
		next++
		var q []string
		switch i % 4 {
		case 0: // a new key
			q = []string{"SET", fmt.Sprintf("new:%012d", i), value}
		case 1: // an existing key, spread over the shards
			q = []string{"USET", fmt.Sprintf("key:%09d", (i*7919)%n), value}
		default:
			q = []string{"GET", fmt.Sprintf("key:%09d", (i*104729)%n)}
		}
		start := time.Now()
		r := e.Exec(q)
		lat = append(lat, time.Since(start).Nanoseconds())
		if engine.Failed(r) {
			b.Fatalf("%s = %s", fmtQuery(q), fmtResponse(r))
		}
		return lat
	}
	report := func(b *testing.B, lat []int64, gc0 runtime.MemStats) {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)-1]), "max-stall-ns")
		b.ReportMetric(float64(lat[len(lat)*999/1000]), "p999-ns")
		b.ReportMetric(float64(len(lat))/float64(b.N), "queries/op")
		slow := len(lat) - sort.Search(len(lat), func(i int) bool { return lat[i] > int64(time.Millisecond) })
		b.ReportMetric(float64(slow), "over-1ms")
		b.ReportMetric(float64(maxGCPause(gc0)), "max-gc-pause-ns")
	}

	var perSave int // queries timed per save, for the idle run to match
	b.Run("saving", func(b *testing.B) {
		var lat []int64
		gc0 := persistMemStats()
		for b.Loop() {
			// Something must change, or Save has nothing to write.
			if r := e.Exec([]string{"USET", "dirty", "x"}); engine.Failed(r) {
				b.Fatal(fmtResponse(r))
			}
			var wg sync.WaitGroup
			done := make(chan error, 1)
			wg.Go(func() {
				wrote, err := e.Save()
				if err == nil && !wrote {
					err = fmt.Errorf("Save wrote nothing")
				}
				done <- err
			})
			for saving := true; saving; {
				select {
				case err := <-done:
					if err != nil {
						b.Fatal(err)
					}
					saving = false
				default:
					lat = timed(b, lat)
				}
			}
			wg.Wait()
		}
		report(b, lat, gc0)
		perSave = len(lat) / b.N
	})
	b.Run("idle", func(b *testing.B) {
		per := max(perSave, 10_000)
		var lat []int64
		gc0 := persistMemStats()
		for b.Loop() {
			for range per {
				lat = timed(b, lat)
			}
		}
		report(b, lat, gc0)
	})
}

func persistMemStats() runtime.MemStats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms
}

// maxGCPause is the longest stop-the-world pause of the collections since
// before was read, as far as the runtime remembers them (the last 256):
// a query stalled by one of those is not stalled by the save.
func maxGCPause(before runtime.MemStats) uint64 {
	now := persistMemStats()
	var longest uint64
	for n := before.NumGC + 1; n <= now.NumGC && now.NumGC-n < 256; n++ {
		longest = max(longest, now.PauseNs[(n+255)%256])
	}
	return longest
}
