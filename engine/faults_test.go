package engine_test

import (
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"skysh/data"
	"skysh/engine"
)

// Faults injected at the real file system (and one at the writer, for the
// disk-full case no test can cause for real) while BGSAVE runs. Each must
// poison the store, keep reads, refuse writes with code 5 and the cause,
// leave no temp file behind, recover once cleared, and lose nothing that
// was acknowledged.

// persistFault is one way for BGSAVE to fail.
type persistFault struct {
	name string
	// cause is a part of the error that the poison reason must show.
	cause string
	// inject puts the fault in place; clear removes it.
	inject, clear func(t *testing.T, dir string)
	// dirGone is true when the fault removes the data directory, so that
	// its temp files can only be looked for once it is back. Such a fault
	// is noticed even by a store with nothing unsaved: the write that the
	// failing save must hold is made before it, not after.
	dirGone bool
}

// persistDiskFull is set while the injected writer behaves like a full file
// system.
type persistDiskFull struct{ full atomic.Bool }

// wrap is an Options.WrapWriter: while full is set, each save's writer
// takes its first few bytes and then fails with ENOSPC, as write(2) does
// when a file system fills up in the middle of a file.
func (d *persistDiskFull) wrap(w io.Writer) io.Writer {
	return &persistENOSPCWriter{w: w, full: &d.full, room: 10}
}

type persistENOSPCWriter struct {
	w    io.Writer
	full *atomic.Bool
	room int
}

func (f *persistENOSPCWriter) Write(p []byte) (int, error) {
	if !f.full.Load() {
		return f.w.Write(p)
	}
	if len(p) <= f.room {
		f.room -= len(p)
		return f.w.Write(p)
	}
	n, err := f.w.Write(p[:f.room])
	f.room -= n
	if err == nil {
		err = syscall.ENOSPC
	}
	return n, err
}

func persistFaults(disk *persistDiskFull) []persistFault {
	return []persistFault{
		{
			// rename(2) cannot replace a directory with a file. This works
			// as root too, unlike taking away write permission.
			name:  "directory at data.bin",
			cause: "rename",
			inject: func(t *testing.T, dir string) {
				file := filepath.Join(dir, data.DataFileName)
				if err := os.Remove(file); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(file, 0o755); err != nil {
					t.Fatal(err)
				}
			},
			clear: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, data.DataFileName)); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name:   "full file system",
			cause:  syscall.ENOSPC.Error(),
			inject: func(*testing.T, string) { disk.full.Store(true) },
			clear:  func(*testing.T, string) { disk.full.Store(false) },
		},
		{
			// A removed data directory is made again at its path and
			// saved into (see TestDirRemovedIsRecreated in cmd/skysh);
			// one replaced by a directory with someone else's files in
			// it is not skysh's to write into: poisoned until it is
			// emptied.
			name:    "data directory replaced by another",
			cause:   "removed",
			dirGone: true,
			inject: func(t *testing.T, dir string) {
				// The other directory is made aside and renamed in: a
				// rename replaces an empty directory that a save may
				// have made again in between.
				other := dir + ".other"
				if err := os.Mkdir(other, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(other, "theirs.txt"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
				// A save creating its temp file while the directory is
				// emptied can make RemoveAll fail with ENOTEMPTY: try again.
				persistWait(t, "the data directory to be replaced", func() bool {
					os.RemoveAll(dir)
					return os.Rename(other, dir) == nil
				})
			},
			clear: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "theirs.txt")); err != nil {
					t.Fatal(err)
				}
			},
		},
	}
}

// persistPoisonEvent is one call of Options.OnPoison.
type persistPoisonEvent struct {
	poisoned bool
	reason   string
}

// persistWrites are one query per write action, each of which would change
// the store were it not poisoned. "before:1" exists and "nope" does not.
var persistWrites = [][]string{
	{"SET", "nope", "1"},
	{"UPDATE", "before:1", "changed"},
	{"DEL", "before:1"},
	{"MSET", "nope", "1"},
	{"MUPDATE", "before:1", "changed"},
	{"SSET", "nope", "1"},
	{"SUPDATE", "before:1", "changed"},
	{"SDEL", "before:1"},
	{"USET", "before:1", "changed"},
	{"POP", "before:1"},
	{"FLUSHDB"},
}

func TestPersistFaults(t *testing.T) {
	var disk persistDiskFull
	for _, fault := range persistFaults(&disk) {
		t.Run(fault.name, func(t *testing.T) {
			disk.full.Store(false)
			testPersistFault(t, fault, &disk)
		})
	}
}

func testPersistFault(t *testing.T, fault persistFault, disk *persistDiskFull) {
	const every = 50 * time.Millisecond
	dir := filepath.Join(t.TempDir(), "data")
	var mu sync.Mutex
	var events []persistPoisonEvent
	e := persistOpen(t, dir, engine.Options{
		SaveEvery:  every,
		WrapWriter: disk.wrap,
		OnPoison: func(poisoned bool, reason string) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, persistPoisonEvent{poisoned, reason})
		},
	})

	// Acknowledged and saved before the fault.
	want := maps.Clone(persistBinary)
	for i := range 100 {
		want["before:"+strconv.Itoa(i)] = "v" + strconv.Itoa(i)
	}
	persistFill(t, e, want)
	persistWait(t, "the first BGSAVE", func() bool { return persistOnDisk(t, e, dir) })

	write := func() {
		mustRun(t, e, engine.Status{Code: engine.Okay}, "SET", "during", "acknowledged before the poison")
		want["during"] = "acknowledged before the poison"
	}
	if fault.dirGone {
		write()
		fault.inject(t, dir)
	} else {
		fault.inject(t, dir)
		// Nothing is unsaved, so no save has run into the fault yet: this
		// write is acknowledged, and it is what the failing save tries to
		// write.
		write()
	}

	persistWait(t, "the store to be poisoned", func() bool {
		_, poisoned := e.Poisoned()
		return poisoned
	})
	reason, _ := e.Poisoned()
	if !strings.Contains(reason, fault.cause) {
		t.Errorf("poison reason %q does not name the cause %q", reason, fault.cause)
	}
	st := e.State()
	// A clean store poisoned by a missing directory has nothing unsaved,
	// but the data on disk is gone: State says so.
	pending := st.Unsaved > 0 || (fault.dirGone && st.DiskProblem != "")
	if !st.Poisoned || st.Reason != reason || st.NextRetry.IsZero() || !pending {
		t.Errorf("State() while poisoned = %+v, want poisoned for %q with a next retry and unsaved changes", st, reason)
	}

	// Reads are served from memory as usual.
	mustRun(t, e, engine.String("acknowledged before the poison"), "GET", "during")
	mustRun(t, e, engine.String("\x00\x00"), "GET", "\x00")
	mustRun(t, e, engine.Array{engine.String("v1"), engine.Status{Code: engine.Nil}}, "MGET", "before:1", "nope")
	mustRun(t, e, engine.Int(2), "EXISTS", "before:1", "during")
	mustRun(t, e, engine.Int(len(want)), "DBSIZE")
	mustRun(t, e, engine.Int(2), "KEYLEN", "before:1")

	// Every write is refused with code 5 and the cause, and changes nothing.
	for _, query := range persistWrites {
		r := e.Exec(query)
		s, ok := r.(engine.Status)
		if !ok || s.Code != engine.ServerError {
			t.Errorf("%s while poisoned = %s, want code 5", fmtQuery(query), fmtResponse(r))
			continue
		}
		if !strings.Contains(s.Detail, fault.cause) || !strings.Contains(s.Detail, "poisoned") {
			t.Errorf("%s while poisoned: detail %q does not say poisoned and name %q", fmtQuery(query), s.Detail, fault.cause)
		}
	}
	persistSame(t, "store after refused writes", persistStore(t, e), want)

	// Each failed attempt removes its temp file: leaked ones would pile up,
	// one per attempt, so there must be a moment with none.
	if !fault.dirGone {
		persistWait(t, "no temp file in the data directory", func() bool { return len(persistTempFiles(t, dir)) == 0 })
	}

	fault.clear(t, dir)
	persistWait(t, "the store to recover", func() bool {
		_, poisoned := e.Poisoned()
		return !poisoned
	})
	// The save that cured the poison wrote everything acknowledged.
	persistSame(t, "data.bin after recovery", persistFile(t, filepath.Join(dir, data.DataFileName)), want)
	if st := e.State(); st.Poisoned || !st.NextRetry.IsZero() {
		t.Errorf("State() after recovery = %+v, want not poisoned and no retry", st)
	}

	mustRun(t, e, engine.Status{Code: engine.Okay}, "SET", "after", "recovery")
	want["after"] = "recovery"
	if err := persistClose(e, nil); err != nil {
		t.Fatalf("Close after recovery: %v", err)
	}
	if tmp := persistTempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temp files left in the data directory: %q", tmp)
	}

	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after reopening", persistStore(t, e), want)

	mu.Lock()
	defer mu.Unlock()
	switch n := len(events); {
	case n < 2:
		t.Errorf("OnPoison called %d times (%v), want poisoned then recovered", n, events)
	case !events[0].poisoned || !strings.Contains(events[0].reason, fault.cause):
		t.Errorf("first OnPoison = %+v, want poisoned naming %q", events[0], fault.cause)
	case events[n-1].poisoned || events[n-1].reason != "":
		t.Errorf("last OnPoison = %+v, want recovered", events[n-1])
	}
	for i, ev := range events[:max(len(events)-1, 0)] {
		if !ev.poisoned {
			t.Errorf("OnPoison call %d of %d = %+v: recovered before the fault was cleared", i+1, len(events), ev)
		}
	}
}
