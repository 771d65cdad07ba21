package engine_test

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skysh/data"
	"skysh/engine"
)

// These tests open engines on real directories and check what reaches the
// disk by decoding data.bin with package data, never through the engine
// that wrote it. Nothing in them asserts how long anything takes: each wait
// polls for a state with a deadline far longer than any run needs, and only
// fails if the state never comes.

// persistDeadline bounds every wait for a background save. It is generous
// so that a slow or loaded machine (or -race) never fails a test; a broken
// engine fails it anyway, only later.
const persistDeadline = 30 * time.Second

// persistBinary are keys and values that a text format or a C string would
// lose: NUL, 0xff, invalid UTF-8, empty strings, newlines, and a value
// larger than the 1 MiB buffers of the encoder and the atomic writer.
var persistBinary = map[string]string{
	"":                  "empty key",
	"empty value":       "",
	"\x00":              "\x00\x00",
	"\xff":              "\xff\xfe\xfd",
	"nul\x00in\x00key":  "value\x00with\x00nuls",
	"line\nbreak":       "crlf\r\n",
	"utf8 é":            "日本語",
	"big":               strings.Repeat("0123456789abcdef", 100_000),
	"key:000000001\xff": "\x80\x81\x82",
}

// persistOpen opens an engine on dir and registers a Close for the end of
// the test, unless the test closes it itself with persistClose. A rescue
// copy, which a failed test's Close may write, goes to a temp dir of the
// test instead of the system's.
func persistOpen(t testing.TB, dir string, opts engine.Options) *engine.Engine {
	t.Helper()
	if opts.RescueDirs == nil {
		opts.RescueDirs = []string{t.TempDir()}
	}
	e, err := engine.Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() {
		if _, done := persistClosed.LoadOrStore(e, true); !done {
			giveUp := make(chan struct{})
			close(giveUp) // a save failing at cleanup must not wait for retries
			persistCloseWithin(t, e, giveUp)
		}
	})
	return e
}

// persistCloseNow closes e as a user ending skysh does, and fails the test
// if that fails.
func persistCloseNow(t testing.TB, e *engine.Engine) {
	t.Helper()
	persistClosed.Store(e, true)
	if err := persistCloseWithin(t, e, nil); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// persistCloseWithin is e.Close(giveUp), failing the test rather than
// hanging it when Close does not return within persistDeadline.
func persistCloseWithin(t testing.TB, e *engine.Engine, giveUp <-chan struct{}) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- e.Close(giveUp) }()
	select {
	case err := <-done:
		return err
	case <-time.After(persistDeadline):
		t.Errorf("Close did not return within %v", persistDeadline)
		return nil
	}
}

// persistClosed holds the engines that tests closed themselves.
var persistClosed sync.Map

// persistClose is e.Close(giveUp), recorded so that the cleanup of
// persistOpen does not close e again.
func persistClose(e *engine.Engine, giveUp <-chan struct{}) error {
	persistClosed.Store(e, true)
	return e.Close(giveUp)
}

// persistFill writes every pair of m with one USET per 1000 pairs.
func persistFill(t testing.TB, e *engine.Engine, m map[string]string) {
	t.Helper()
	query := []string{"USET"}
	flush := func() {
		if len(query) == 1 {
			return
		}
		mustRun(t, e, engine.Int((len(query)-1)/2), query...)
		query = query[:1]
	}
	for _, k := range sortedKeys(m) {
		query = append(query, k, m[k])
		if len(query) > 2000 {
			flush()
		}
	}
	flush()
}

// persistStore is the engine's contents now, read from a snapshot.
func persistStore(t testing.TB, e *engine.Engine) map[string]string {
	t.Helper()
	sn := e.Snapshot()
	defer e.Release(sn)
	m, err := persistRange(sn.Len(), sn.Range)
	if err != nil {
		t.Fatalf("reading a snapshot: %v", err)
	}
	return m
}

// persistFile decodes a data file, failing the test when it cannot.
func persistFile(t testing.TB, path string) map[string]string {
	t.Helper()
	m, err := persistDecode(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// persistDecode decodes a data file into a map, refusing a key seen twice.
func persistDecode(path string) (map[string]string, error) {
	var m map[string]string
	err := data.ReadFile(path, func(n uint64) { m = make(map[string]string, min(n, 1<<20)) }, func(k, v string) error {
		if _, dup := m[k]; dup {
			return fmt.Errorf("key %q stored twice", k)
		}
		m[k] = v
		return nil
	})
	return m, err
}

// persistRange collects what a Range-like function yields.
func persistRange(n int, each func(func(k, v string) error) error) (map[string]string, error) {
	m := make(map[string]string, n)
	err := each(func(k, v string) error {
		if _, dup := m[k]; dup {
			return fmt.Errorf("key %q ranged twice", k)
		}
		m[k] = v
		return nil
	})
	return m, err
}

// persistSame fails the test unless got and want hold the same pairs, and
// names a few of the differences.
func persistSame(t testing.TB, what string, got, want map[string]string) {
	t.Helper()
	if maps.Equal(got, want) {
		return
	}
	var diffs []string
	for _, k := range sortedKeys(want) {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("missing %s", persistShort(k)))
		} else if g != want[k] {
			diffs = append(diffs, fmt.Sprintf("%s = %s, want %s", persistShort(k), persistShort(g), persistShort(want[k])))
		}
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("unexpected %s", persistShort(k)))
		}
	}
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("… %d more", len(diffs)-10))
	}
	t.Fatalf("%s: %d keys, want %d:\n\t%s", what, len(got), len(want), strings.Join(diffs, "\n\t"))
}

// persistShort quotes s, cut short when it is long.
func persistShort(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%q…(%d bytes)", s[:40], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// persistWait polls cond until it holds, and fails the test if it never
// does within persistDeadline.
func persistWait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(persistDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", persistDeadline, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// persistOnDisk reports whether data.bin in dir holds exactly the engine's
// contents and the engine counts nothing unsaved, i.e. the last BGSAVE has
// finished. A file that cannot be read yet (a directory in its place) is
// simply not there yet.
func persistOnDisk(t testing.TB, e *engine.Engine, dir string) bool {
	t.Helper()
	if e.State().Unsaved != 0 {
		return false
	}
	m, err := persistDecode(filepath.Join(dir, data.DataFileName))
	return err == nil && maps.Equal(m, persistStore(t, e))
}

// persistTempFiles lists the temp files of saves in dir. Saves run one at a
// time, so a save in progress shows as one at most; a failed save that
// leaves its temp file behind shows as one more each time it fails.
func persistTempFiles(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("listing %s: %v", dir, err)
	}
	var tmp []string
	for _, ent := range entries {
		if strings.HasPrefix(ent.Name(), data.TempPrefix) {
			tmp = append(tmp, ent.Name())
		}
	}
	return tmp
}

// TestPersistRoundTrip writes binary keys and values, closes, and reopens:
// the store must come back exactly, and data.bin must decode to it on its
// own. A close with nothing changed must not rewrite the file.
func TestPersistRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := maps.Clone(persistBinary)
	for i := range 1000 {
		want["key:"+strconv.Itoa(i)] = strconv.Itoa(i * i)
	}

	e := persistOpen(t, dir, engine.Options{})
	persistFill(t, e, want)
	mustRun(t, e, engine.Status{Code: engine.Okay}, "SET", "deleted", "x")
	mustRun(t, e, engine.Int(1), "DEL", "deleted")
	if err := persistClose(e, nil); err != nil {
		t.Fatalf("Close: %v", err)
	}
	file := filepath.Join(dir, data.DataFileName)
	persistSame(t, "data.bin after Close", persistFile(t, file), want)
	before, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}

	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after reopening", persistStore(t, e), want)
	mustRun(t, e, engine.String(want["big"]), "GET", "big")
	mustRun(t, e, engine.String("\x00\x00"), "GET", "\x00")
	mustRun(t, e, engine.String(""), "GET", "empty value")
	mustRun(t, e, engine.Int(len(want)), "DBSIZE")
	if got, want := e.State().Unsaved, uint64(0); got != want {
		t.Errorf("Unsaved after loading = %d, want %d", got, want)
	}
	if err := persistClose(e, nil); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	after, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Errorf("Close with nothing changed rewrote data.bin")
	}

	// FLUSHDB is a change like any other: an empty store must come back
	// empty, not as the file it replaced.
	e = persistOpen(t, dir, engine.Options{})
	mustRun(t, e, engine.Status{Code: engine.Okay}, "FLUSHDB")
	if err := persistClose(e, nil); err != nil {
		t.Fatalf("third Close: %v", err)
	}
	e = persistOpen(t, dir, engine.Options{})
	mustRun(t, e, engine.Int(0), "DBSIZE")
	persistSame(t, "data.bin after FLUSHDB", persistFile(t, file), map[string]string{})
}

// TestPersistNewDirectory checks that Open makes the whole layout at once,
// including an empty data.bin, so that a directory that cannot hold one
// fails at start rather than at exit.
func TestPersistNewDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	e := persistOpen(t, dir, engine.Options{})
	for _, p := range []string{
		filepath.Join(dir, data.SnapshotDirName),
		filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName),
	} {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			t.Errorf("%s: not a directory after Open (%v)", p, err)
		}
	}
	persistSame(t, "data.bin of a new directory", persistFile(t, filepath.Join(dir, data.DataFileName)), map[string]string{})
	if st := e.State(); st.Unsaved != 0 || st.DataFile != filepath.Join(dir, data.DataFileName) {
		t.Errorf("State() = %+v, want nothing unsaved and DataFile in %s", st, dir)
	}

	// The directory is locked while the engine has it.
	if e2, err := engine.Open(dir, engine.Options{}); !errors.Is(err, data.ErrLocked) {
		if err == nil {
			e2.Close(nil)
		}
		t.Errorf("second Open of a directory in use: err = %v, want ErrLocked", err)
	}
}

// TestPersistBGSave checks that BGSAVE writes changes on its own, that the
// file then decodes to the store, and that it writes nothing while nothing
// changes.
func TestPersistBGSave(t *testing.T) {
	const every = 50 * time.Millisecond
	dir := t.TempDir()
	file := filepath.Join(dir, data.DataFileName)
	e := persistOpen(t, dir, engine.Options{SaveEvery: every})
	if got := e.State().SaveEvery; got != every {
		t.Errorf("State().SaveEvery = %v, want %v", got, every)
	}

	persistFill(t, e, persistBinary)
	for i := range 500 {
		mustRun(t, e, engine.Status{Code: engine.Okay}, "SET", "k"+strconv.Itoa(i), strconv.Itoa(i))
	}
	persistWait(t, "BGSAVE to write the store", func() bool { return persistOnDisk(t, e, dir) })
	if e.State().LastSave.IsZero() {
		t.Errorf("State().LastSave is zero after a BGSAVE")
	}

	// Nothing changes: several rounds must pass without a write. A save
	// replaces the file by renaming a new one over it, which changes its
	// inode, so comparing the two stats detects any save at all.
	before, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	lastSave := e.State().LastSave
	mustRun(t, e, engine.String("1"), "GET", "k1")                              // reads do not count
	mustRun(t, e, engine.Status{Code: engine.OverwriteError}, "SET", "k1", "x") // nor do failed writes
	mustRun(t, e, engine.Status{Code: engine.Nil}, "UPDATE", "missing", "x")
	mustRun(t, e, engine.Int(0), "DEL", "missing")
	time.Sleep(10 * every)
	after, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Errorf("data.bin was rewritten while nothing changed")
	}
	if got := e.State().LastSave; !got.Equal(lastSave) {
		t.Errorf("State().LastSave moved from %v to %v while nothing changed", lastSave, got)
	}

	// A change, and deletions in particular, reach the disk again.
	mustRun(t, e, engine.Int(2), "DEL", "k1", "k2")
	mustRun(t, e, engine.Int(1), "USET", "k3", "three")
	persistWait(t, "BGSAVE to write the deletions", func() bool { return persistOnDisk(t, e, dir) })
	m := persistFile(t, file)
	if _, ok := m["k1"]; ok || m["k3"] != "three" {
		t.Errorf("data.bin after DEL k1 and USET k3: k1 present %v, k3 = %q", ok, m["k3"])
	}
	if err := persistClose(e, nil); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// TestPersistPointInTime checks that a save writes the store exactly as it
// was between two queries, while a writer goes on. Each query of the writer
// sets "counter" to i and creates key "k<i>" in one USET, so a consistent
// file with counter c holds exactly k0…kc; a file taken in the middle of
// queries, or one that mixes two moments, breaks that. 200k other keys make
// the file span many write calls. In most rounds the save is held inside
// its first write until the writer has acknowledged 200 more queries, so
// those are certainly after the snapshot and must be absent.
func TestPersistPointInTime(t *testing.T) {
	bulk := 200_000
	if testing.Short() {
		bulk = 20_000
	}
	var hold atomic.Bool           // hold the next save in its first write
	var progress atomic.Int64      // queries of the writer acknowledged
	var heldAt atomic.Int64        // progress when the save was held
	holdErr := make(chan error, 1) // the hold ended without the writer
	var budget atomic.Int64        // the writer pauses when progress reaches it
	budget.Store(1000)
	opts := engine.Options{
		WrapWriter: func(w io.Writer) io.Writer {
			return &persistHookWriter{w: w, first: func() error {
				if !hold.Load() {
					return nil
				}
				p := progress.Load()
				heldAt.Store(p)
				if budget.Load() < p+1000 {
					budget.Store(p + 1000) // the test waits in Save
				}
				deadline := time.Now().Add(persistDeadline)
				for progress.Load() < p+200 {
					if time.Now().After(deadline) {
						err := fmt.Errorf("the writer made no progress while a save was held")
						holdErr <- err
						return err
					}
					time.Sleep(time.Millisecond)
				}
				return nil
			}}
		},
	}
	dir := t.TempDir()
	e := persistOpen(t, dir, opts)
	want := make(map[string]string, bulk)
	for i := range bulk {
		want[fmt.Sprintf("bulk:%09d", i)] = fmt.Sprintf("value-%d-%s", i, strings.Repeat("v", i%32))
	}
	persistFill(t, e, want)

	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			// The writer stays within its budget, so that the store, and
			// each save, does not grow without bound.
			for progress.Load() >= budget.Load() {
				select {
				case <-stop:
					writerDone <- nil
					return
				case <-time.After(100 * time.Microsecond):
				}
			}
			n := strconv.Itoa(i)
			if r := e.Exec([]string{"USET", "counter", n, "k" + n, "x"}); r != engine.Response(engine.Int(2)) {
				writerDone <- fmt.Errorf("USET counter %s k%s x = %s", n, n, fmtResponse(r))
				return
			}
			progress.Store(int64(i + 1))
		}
	}()
	defer func() {
		select {
		case <-stop:
		default:
			close(stop)
			<-writerDone
		}
	}()
	// The first save starts once the writer has started, so that no file
	// can pass for lack of writes.
	persistWait(t, "the writer to start", func() bool { return progress.Load() > 0 })

	file := filepath.Join(dir, data.DataFileName)
	for round := range 6 {
		held := round%3 != 2
		hold.Store(held)
		// Let the writer run before saving, so that the snapshot falls in
		// the middle of its stream of queries.
		start := progress.Load()
		budget.Store(start + 20_000)
		persistWait(t, "the writer to resume", func() bool { return progress.Load() >= start+2000 })
		before := progress.Load()
		wrote, err := e.Save()
		hold.Store(false)
		if err != nil {
			select {
			case herr := <-holdErr:
				t.Fatalf("round %d: %v", round, herr)
			default:
			}
			t.Fatalf("round %d: Save: %v", round, err)
		}
		if !wrote {
			t.Fatalf("round %d: Save wrote nothing though the writer keeps writing", round)
		}
		m := persistFile(t, file)
		c, err := strconv.Atoi(m["counter"])
		if err != nil {
			t.Fatalf("round %d: counter = %q in the file: %v", round, m["counter"], err)
		}
		// The writer had acknowledged `before` queries when Save started, so
		// the snapshot has at least those.
		if int64(c+1) < before {
			t.Errorf("round %d: counter = %d in the file, but %d queries were acknowledged before Save", round, c, before)
		}
		if held {
			// The snapshot was taken before the first write, when at most
			// heldAt queries had been acknowledged, and one more may have
			// been running; the 200 after it must not be in the file.
			if at := heldAt.Load(); int64(c) > at {
				t.Errorf("round %d: counter = %d in the file, but the save was held at %d queries", round, c, at)
			}
		}
		ks := 0
		for k, v := range m {
			switch {
			case strings.HasPrefix(k, "k"):
				ks++
				i, err := strconv.Atoi(k[1:])
				if err != nil || i > c || v != "x" {
					t.Errorf("round %d: file has %q = %q with counter %d", round, k, v, c)
				}
			case k == "counter":
			default:
				if want[k] != v {
					t.Errorf("round %d: file has %q = %q, want %q", round, k, v, want[k])
				}
			}
		}
		if ks != c+1 {
			t.Errorf("round %d: file has counter %d and %d k-keys, want %d: it is not one moment of the store", round, c, ks, c+1)
		}
		if got := len(m) - ks - 1; got != bulk {
			t.Errorf("round %d: file has %d bulk keys, want %d", round, got, bulk)
		}
		t.Logf("round %d (held %v): file at counter %d; %d queries acknowledged before Save, %d by now", round, held, c, before, progress.Load())
	}
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
}

// persistHookWriter calls first before the first write of a save; an error
// from it fails the write.
type persistHookWriter struct {
	w     io.Writer
	first func() error
	done  bool
}

func (h *persistHookWriter) Write(p []byte) (int, error) {
	if !h.done {
		h.done = true
		if err := h.first(); err != nil {
			return 0, err
		}
	}
	return h.w.Write(p)
}

// TestPersistBGSaveRace runs BGSAVE every millisecond while goroutines and
// the test goroutine write and read. Run with -race: the store, the poison
// state and the save bookkeeping are shared with the saver. Each writer owns
// its keys and checks every answer against a model of them, and at the end
// the file, and the store reopened from it, must be the union of the
// models.
func TestPersistBGSaveRace(t *testing.T) {
	ops := 3000
	if testing.Short() {
		ops = 300
	}
	dir := t.TempDir()
	e := persistOpen(t, dir, engine.Options{SaveEvery: time.Millisecond})

	stop := make(chan struct{})
	var readers sync.WaitGroup
	var saves atomic.Int64 // BGSAVEs that reader 0 saw finish
	for r := range 2 {
		readers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			var last time.Time
			for {
				select {
				case <-stop:
					return
				default:
				}
				k := fmt.Sprintf("w%d:%d", rng.IntN(4), rng.IntN(50))
				for _, query := range [][]string{
					{"GET", k}, {"MGET", k, "w0:1", "main:2"}, {"EXISTS", k}, {"DBSIZE"},
					{"KEYLEN", k}, {"LSKEYS", "5"}, {"HEYA"},
				} {
					if r := e.Exec(query); engine.Failed(r) {
						t.Errorf("%s = %s", fmtQuery(query), fmtResponse(r))
						return
					}
				}
				if st := e.State(); r == 0 && !st.LastSave.Equal(last) {
					last = st.LastSave
					saves.Add(1)
				}
				e.Poisoned()
			}
		})
	}

	models := make([]map[string]string, 4)
	var writers sync.WaitGroup
	write := func(id int) {
		model := make(map[string]string)
		models[id] = model
		prefix := fmt.Sprintf("w%d:", id)
		if id == 3 {
			prefix = "main:"
		}
		rng := rand.New(rand.NewPCG(uint64(id), 11))
		for i := range ops {
			k := prefix + strconv.Itoa(rng.IntN(50))
			v := strconv.Itoa(i)
			var query []string
			var want engine.Response
			old, exists := model[k]
			switch rng.IntN(5) {
			case 0:
				query, want = []string{"USET", k, v}, engine.Int(1)
				model[k] = v
			case 1:
				query, want = []string{"SET", k, v}, engine.Status{Code: engine.OverwriteError}
				if !exists {
					want = engine.Status{Code: engine.Okay}
					model[k] = v
				}
			case 2:
				query, want = []string{"DEL", k}, engine.Int(0)
				if exists {
					want = engine.Int(1)
					delete(model, k)
				}
			case 3:
				query, want = []string{"POP", k}, engine.Array{engine.Status{Code: engine.Nil}}
				if exists {
					want = engine.Array{engine.String(old)}
					delete(model, k)
				}
			case 4:
				query, want = []string{"UPDATE", k, v}, engine.Status{Code: engine.Nil}
				if exists {
					want = engine.Status{Code: engine.Okay}
					model[k] = v
				}
			}
			if got := e.Exec(query); !reflect.DeepEqual(got, want) {
				t.Errorf("writer %d: %s = %s, want %s", id, fmtQuery(query), fmtResponse(got), fmtResponse(want))
				return
			}
		}
	}
	for id := range 3 {
		writers.Go(func() { write(id) })
	}
	write(3) // the test goroutine writes too
	// It goes on writing until BGSAVE has saved many times while it did,
	// so that saves and writes certainly overlapped.
	i := 0
	persistWait(t, "20 BGSAVEs during the writes", func() bool {
		i++
		k := "main:extra" + strconv.Itoa(i%100)
		models[3][k] = strconv.Itoa(i)
		mustRun(t, e, engine.Int(1), "USET", k, models[3][k])
		return saves.Load() >= 20
	})
	writers.Wait()
	close(stop)
	readers.Wait()
	if t.Failed() {
		return
	}

	want := make(map[string]string)
	for _, m := range models {
		maps.Copy(want, m)
	}
	persistSame(t, "store after the writers", persistStore(t, e), want)
	persistWait(t, "BGSAVE to catch up", func() bool { return persistOnDisk(t, e, dir) })
	if err := persistClose(e, nil); err != nil {
		t.Fatalf("Close: %v", err)
	}
	e = persistOpen(t, dir, engine.Options{})
	persistSame(t, "store after reopening", persistStore(t, e), want)
}
