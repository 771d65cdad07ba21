package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"skysh/data"
)

// TestPersistCLICrash kills skysh with SIGKILL at random moments while a
// coprocess writes one key at a time, with the default settings (the journal
// fsyncs every write before its answer). A third of the rounds keep the
// default BGSAVE interval, so every write survives through the journal
// alone; the others save every second, and half of those kill as soon as a
// save is seen under way (its temp file exists, or data.bin changed), which
// a random delay would seldom hit, so kills land inside saves and journal
// rotations. After each kill a fresh skysh must start on the directory
// (data.bin and the journal always load), and the keys it finds must be a
// prefix of the writes: k0…k(N-1) with the right values and nothing else,
// with every acknowledged write in it and N at most what was sent. Each
// round resumes writing after the last acknowledged key, so that over all
// rounds the store stays a prefix of one sequence of writes; one round in
// four crashes on top of the one before with no clean start between.
//
// SKYSH_CRASH_ROUNDS sets the number of rounds (default 20) and
// SKYSH_CRASH_SEED the seed of the kill delays (default: the time; it is
// logged, so a failure can be replayed).
func TestPersistCLICrash(t *testing.T) {
	t.Parallel()
	rounds := 20
	if s := os.Getenv("SKYSH_CRASH_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SKYSH_CRASH_ROUNDS=%q: want a positive number", s)
		}
		rounds = n
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SKYSH_CRASH_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SKYSH_CRASH_SEED=%q: want a number", s)
		}
		seed = n
	}
	t.Logf("%d rounds, SKYSH_CRASH_SEED=%d", rounds, seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	dir := filepath.Join(t.TempDir(), "data")

	// Keys k0…k(floor-1) are acknowledged, so they must be on disk. One
	// round in four is not followed by a clean start and check: the next
	// round crashes on top of it, so that starts replay journals left by
	// two killed runs. Its in-flight write may or may not have landed; the
	// next round writes it again (USET, so that the answer is the same).
	floor := 0
	for round := range rounds {
		delay := time.Duration(rng.Int64N(int64(1500 * time.Millisecond)))
		args := []string{"-S", "1"}
		if round%3 == 0 {
			args = nil // the default interval: no save during the round
		}
		inSave := round%3 == 2
		from := floor
		sent, acked, when := persistCrashRound(t, dir, from, delay, inSave, args...)
		floor = from + acked
		if round%4 == 1 && round < rounds-1 {
			t.Logf("round %d (%q): killed %s with %d writes sent, %d acknowledged; not checked, crashing again on top", round, args, when, sent, acked)
			continue
		}
		n := persistCrashCheck(t, dir, from+sent)
		if n < floor || n > from+sent {
			t.Fatalf("round %d (%q): found the first %d keys, want every acknowledged one (%d) and at most the %d sent",
				round, args, n, floor, from+sent)
		}
		if tmp, _ := filepath.Glob(filepath.Join(dir, data.TempPrefix+"*")); len(tmp) > 0 {
			t.Errorf("round %d: temp files of a killed save left after a restart: %q", round, tmp)
		}
		t.Logf("round %d (%q): killed %s with %d writes sent, %d acknowledged; the first %d keys on disk", round, args, when, sent, acked, n)
		floor = n
	}
}

// persistCrashRound starts skysh on dir with args, writes USET k<i> v<i>
// from i = from on, one at a time, each after the answer to the one before,
// and kills skysh with SIGKILL: after delay, or with inSave as soon as a
// save is seen under way (or after 1.5 s if none is). It returns how many
// writes it sent, including one whose answer the kill may have cut off, how
// many were acknowledged (answered), and when it killed.
func persistCrashRound(t *testing.T, dir string, from int, delay time.Duration, inSave bool, args ...string) (sent, acked int, when string) {
	t.Helper()
	p := persistStart(t, nil, append([]string{"-d", dir, "--json"}, args...)...)
	var sentN, ackedN atomic.Int64
	writer := make(chan error, 1)
	go func() {
		for i := from; ; i++ {
			sentN.Add(1)
			if _, err := fmt.Fprintf(p.stdin, "USET k%d v%d\n", i, i); err != nil {
				writer <- nil // killed
				return
			}
			line, ok := <-p.stdout
			if !ok {
				writer <- nil // killed
				return
			}
			if line != "1" {
				writer <- fmt.Errorf("USET k%d answered %q", i, line)
				return
			}
			ackedN.Add(1)
		}
	}()
	when = fmt.Sprintf("after %v", delay.Round(time.Millisecond))
	if inSave {
		when = persistDuringSave(t, dir, &sentN)
	} else {
		time.Sleep(delay)
	}
	p.signal(syscall.SIGKILL)
	if got := p.exit(); got != -int(syscall.SIGKILL) {
		t.Fatalf("skysh ended with %d before it was killed; stderr:\n%s", got, p.stderr)
	}
	if err := <-writer; err != nil {
		t.Fatal(err)
	}
	p.stdin.Close()
	return int(sentN.Load()), int(ackedN.Load()), when
}

// persistDuringSave waits, once skysh has answered a write, until a save of
// data.bin in dir is seen under way: its temp file exists, or data.bin is
// not the file it was (a save that writes it in place would show so). It
// gives up after 1.5 s and says what it saw.
func persistDuringSave(t *testing.T, dir string, sent *atomic.Int64) string {
	file := filepath.Join(dir, "data.bin")
	persistWaitFor(t, "skysh to answer a write", func() bool { return sent.Load() > 1 }, func() string { return "" })
	before, err := os.Stat(file)
	if err != nil {
		t.Fatalf("data.bin after skysh answered: %v", err)
	}
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		if tmp, _ := filepath.Glob(filepath.Join(dir, data.TempPrefix+"*-"+data.DataFileName)); len(tmp) > 0 {
			return "while a temp file was being written"
		}
		if fi, err := os.Stat(file); err != nil || !os.SameFile(fi, before) || fi.Size() != before.Size() || !fi.ModTime().Equal(before.ModTime()) {
			return "as data.bin changed"
		}
		time.Sleep(200 * time.Microsecond)
	}
	return "after 1.5s with no save seen"
}

// persistCrashCheck starts skysh on dir and returns N such that the store
// holds exactly k0…k(N-1), each with its value; upTo bounds N. It fails the
// test if skysh does not start or the store is anything else.
func persistCrashCheck(t *testing.T, dir string, upTo int) int {
	t.Helper()
	const chunk = 5000
	var script strings.Builder
	script.WriteString("DBSIZE\n")
	for lo := 0; lo < upTo; lo += chunk {
		script.WriteString("MGET")
		for i := lo; i < min(lo+chunk, upTo); i++ {
			fmt.Fprintf(&script, " k%d", i)
		}
		script.WriteString("\n")
	}
	stdout, stderr, status := persistRun(t, script.String(), "-d", dir, "--json")
	if status != 0 {
		t.Fatalf("skysh did not start after the kill: status %d, stderr:\n%s", status, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	n, err := strconv.Atoi(lines[0])
	if err != nil {
		t.Fatalf("DBSIZE answered %q", lines[0])
	}
	if n > upTo {
		t.Fatalf("DBSIZE = %d, but only %d keys were ever sent", n, upTo)
	}
	i := 0
	for _, line := range lines[1:] {
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(line), &items); err != nil {
			t.Fatalf("MGET answered %q: %v", line, err)
		}
		for _, item := range items {
			want := persistNil
			if i < n {
				want = strconv.Quote("v" + strconv.Itoa(i))
			}
			if string(item) != want {
				t.Fatalf("with DBSIZE %d, k%d = %s, want %s: the store is not a prefix of the writes", n, i, item, want)
			}
			i++
		}
	}
	if i != upTo {
		t.Fatalf("MGET answered %d items, want %d", i, upTo)
	}
	return n
}
