package engine_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"skysh/engine"
)

// The targets in DESIGN.md use 1M keys of 13 bytes with 32-byte values.
const (
	benchKeys  = 1_000_000
	benchValue = "0123456789abcdef0123456789abcdef"
)

// benchKey is the i-th key of the benchmark key space, 13 bytes long.
func benchKey(i int) string { return fmt.Sprintf("key:%09d", i) }

func benchKeyList(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = benchKey(i)
	}
	return keys
}

// filledEngine returns an engine holding keys, loaded with USET in batches.
func filledEngine(b *testing.B, keys []string) *engine.Engine {
	b.Helper()
	e := engine.New()
	const batch = 1000
	query := make([]string, 0, 1+2*batch)
	for start := 0; start < len(keys); start += batch {
		query = append(query[:0], "USET")
		for _, k := range keys[start:min(start+batch, len(keys))] {
			query = append(query, k, benchValue)
		}
		if r := e.Exec(query); engine.Failed(r) {
			b.Fatalf("load: %s", fmtResponse(r))
		}
	}
	if e.Len() != len(keys) {
		b.Fatalf("loaded %d keys, want %d", e.Len(), len(keys))
	}
	return e
}

// The 1M-key engine is built once: it takes longer than most benchmarks.
var (
	millionOnce sync.Once
	millionKeys []string
	million     *engine.Engine
)

func millionEngine(b *testing.B) (*engine.Engine, []string) {
	b.Helper()
	millionOnce.Do(func() {
		millionKeys = benchKeyList(benchKeys)
		million = filledEngine(b, millionKeys)
	})
	return million, millionKeys
}

// BenchmarkSet creates a new key per operation.
func BenchmarkSet(b *testing.B) {
	keys := benchKeyList(b.N)
	e := engine.New()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if r := e.Exec([]string{"SET", keys[i], benchValue}); r != engine.Response(okay) {
			b.Fatalf("SET = %s", fmtResponse(r))
		}
	}
}

func BenchmarkGet(b *testing.B) {
	e, keys := millionEngine(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if r := e.Exec([]string{"GET", keys[i%len(keys)]}); r != engine.Response(engine.String(benchValue)) {
			b.Fatalf("GET = %s", fmtResponse(r))
		}
	}
}

// BenchmarkUset overwrites an existing key per operation.
func BenchmarkUset(b *testing.B) {
	e, keys := millionEngine(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if r := e.Exec([]string{"USET", keys[i%len(keys)], benchValue}); r != engine.Response(engine.Int(1)) {
			b.Fatalf("USET = %s", fmtResponse(r))
		}
	}
}

func BenchmarkMget10(b *testing.B) {
	e, keys := millionEngine(b)
	query := make([]string, 11)
	query[0] = "MGET"
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for j := 1; j <= 10; j++ {
			query[j] = keys[(i*10+j)%len(keys)]
		}
		if r, ok := e.Exec(query).(engine.Array); !ok || len(r) != 10 {
			b.Fatalf("MGET = %s", fmtResponse(r))
		}
	}
}

// BenchmarkSnapshotStall measures what a BGSAVE costs the shell at 1M keys:
// how long Snapshot itself holds the engine, and the latency of single
// writes while a snapshot is live, when the first write to each shard copies
// it. One operation is: take a snapshot, write to (nearly) every shard,
// release. The base- metrics are the same writes with no snapshot live: on a
// busy machine the maximum of both includes preemption and GC, and p99 (about
// one write in eight copies a shard) shows the copy itself.
func BenchmarkSnapshotStall(b *testing.B) {
	e, keys := millionEngine(b)
	// About 8 writes per shard: all but a handful of the 1024 shards get
	// at least one, so the maximum includes the slowest copy.
	const writes = 8192
	query := []string{"USET", "", benchValue}
	lat := make([]int64, writes)
	writeAll := func(round int) (p99, maxNs int64) {
		for j := range writes {
			query[1] = keys[(round*writes+j*127)%len(keys)]
			start := time.Now()
			e.Exec(query)
			lat[j] = time.Since(start).Nanoseconds()
		}
		slices.Sort(lat)
		return lat[writes*99/100], lat[writes-1]
	}
	var snapNs, snapMaxNs, p99Sum, maxNs, baseP99Sum, baseMaxNs int64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		p99, m := writeAll(i)
		baseP99Sum, baseMaxNs = baseP99Sum+p99, max(baseMaxNs, m)
		b.StartTimer()

		start := time.Now()
		sn := e.Snapshot()
		d := time.Since(start).Nanoseconds()
		snapNs, snapMaxNs = snapNs+d, max(snapMaxNs, d)
		p99, m = writeAll(i)
		p99Sum, maxNs = p99Sum+p99, max(maxNs, m)
		e.Release(sn)
	}
	n := float64(b.N)
	b.ReportMetric(float64(snapNs)/n, "snapshot-ns")
	b.ReportMetric(float64(snapMaxNs), "max-snapshot-ns")
	b.ReportMetric(float64(maxNs), "max-ns/write")
	b.ReportMetric(float64(p99Sum)/n, "p99-ns/write")
	b.ReportMetric(float64(baseMaxNs), "base-max-ns/write")
	b.ReportMetric(float64(baseP99Sum)/n, "base-p99-ns/write")
}

// BenchmarkSnapshotRange is the read side of a save: ranging over a
// snapshot of 1M keys while nothing else runs.
func BenchmarkSnapshotRange(b *testing.B) {
	e, _ := millionEngine(b)
	b.ResetTimer()
	for range b.N {
		sn := e.Snapshot()
		n := 0
		_ = sn.Range(func(k, v string) error { n++; return nil })
		e.Release(sn)
		if n != benchKeys {
			b.Fatalf("ranged %d keys, want %d", n, benchKeys)
		}
	}
}

// BenchmarkSetJournal is BenchmarkSet on a data directory, with the journal
// at each policy and off: what journaling costs a write, side by side. A
// Commit every 32768 writes stands for a script's output flushes (a 256 KiB
// output buffer holds about that many "(Okay)" answers).
func BenchmarkSetJournal(b *testing.B) {
	for _, c := range []struct {
		name string
		opts engine.Options
	}{
		{"always", engine.Options{}},
		{"no", engine.Options{Fsync: engine.FsyncNo}},
		{"off", engine.Options{NoJournal: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e, err := engine.Open(b.TempDir(), c.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close(nil)
			keys := benchKeyList(min(b.N, benchKeys))
			query := []string{"SET", "", benchValue}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%len(keys) == 0 {
					e.Exec([]string{"FLUSHDB"})
				}
				query[1] = keys[i%len(keys)]
				e.Exec(query)
				if i%(1<<15) == 1<<15-1 {
					e.Commit()
				}
			}
			e.Commit()
		})
	}
}

// cpuTime is the CPU time the process has used, all threads together: on
// a machine shared with other work it moves far less than the wall clock.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start, cpu-ms/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkInsert1M is a piped script's bulk insert as the engine sees it:
// 1M SETs of new keys through Exec into an empty store, one query at a
// time. store-MiB is the heap the filled store holds (arenas and indexes,
// after a collection): what growing the store leaves behind.
func BenchmarkInsert1M(b *testing.B) {
	keys := benchKeyList(benchKeys)
	query := []string{"SET", "", benchValue}
	var e *engine.Engine
	var before, after runtime.MemStats
	b.ReportAllocs()
	cpu := cpuTime(b)
	for b.Loop() {
		e = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		e = engine.New()
		for _, k := range keys {
			query[1] = k
			if r := e.Exec(query); r != engine.Response(okay) {
				b.Fatalf("SET = %s", fmtResponse(r))
			}
		}
	}
	reportCPU(b, cpu)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keys) // counted in before: it must be in after too
	if e.Len() != benchKeys {
		b.Fatalf("inserted %d keys, want %d", e.Len(), benchKeys)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "store-MiB")
}

// BenchmarkLoad1KiB opens a data directory holding 100k keys with 1 KiB
// values: start-up with a store of large values (BenchmarkLoad1M has the
// small ones).
func BenchmarkLoad1KiB(b *testing.B) {
	benchLoad(b, 100_000, strings.Repeat(benchValue, 1024/len(benchValue)))
}

// benchLoad opens a data directory holding n keys of 13 bytes with value:
// skysh's start-up with a full store.
func benchLoad(b *testing.B, n int, value string) {
	dir := b.TempDir()
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	args := []string{"USET"}
	for i := range n {
		args = append(args, benchKey(i), value)
		if len(args) > 2000 {
			e.Exec(args)
			args = args[:1]
		}
	}
	e.Exec(args)
	if err := e.Close(nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpuTime(b)
	for b.Loop() {
		e, err := engine.Open(dir, engine.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if got := e.Len(); got != n {
			b.Fatalf("loaded %d keys, want %d", got, n)
		}
		e.Close(nil)
	}
	reportCPU(b, cpu)
}

// BenchmarkKeysWithPrefix is completion at the prompt on large stores: a
// prefix no key has, so the whole budget (50k keys) is searched, the
// worst case for a keystroke.
func BenchmarkKeysWithPrefix(b *testing.B) {
	for _, n := range []int{1_000_000, 10_000_000} {
		b.Run(fmt.Sprintf("%dM", n/1_000_000), func(b *testing.B) {
			e := engine.New()
			args := []string{"USET", "", "0123456789abcdef0123456789abcdef"}
			for i := range n {
				args[1] = fmt.Sprintf("key:%09d", i)
				e.Exec(args)
			}
			b.ResetTimer()
			for b.Loop() {
				if keys, _ := e.KeysWithPrefix("nokey:", 20, completionBudget); len(keys) != 0 {
					b.Fatal(keys)
				}
			}
		})
	}
}

// completionBudget is the shell's budget of keys per completion.
const completionBudget = 50_000
