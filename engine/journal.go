package engine

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"skysh/data"
)

// FsyncPolicy says when the write journal is forced to disk.
type FsyncPolicy int

// The policies, the default first.
const (
	// FsyncAlways makes every write durable before its answer is shown:
	// Commit fsyncs the journal, once for all the answers it releases
	// together (group commit).
	FsyncAlways FsyncPolicy = iota
	// FsyncEverySec fsyncs the journal once a second in the background: a
	// crash loses at most the last second of writes.
	FsyncEverySec
	// FsyncNo writes the journal and leaves flushing it to the operating
	// system: a crash of skysh loses nothing, a power cut what the kernel
	// had not written yet.
	FsyncNo
)

var fsyncNames = [...]string{FsyncAlways: "always", FsyncEverySec: "everysec", FsyncNo: "no"}

func (p FsyncPolicy) String() string {
	if p < 0 || int(p) >= len(fsyncNames) {
		return fmt.Sprintf("FsyncPolicy(%d)", int(p))
	}
	return fsyncNames[p]
}

// ParseFsyncPolicy reads a policy by its name: always, everysec or no.
func ParseFsyncPolicy(s string) (FsyncPolicy, error) {
	for p, name := range fsyncNames {
		if s == name {
			return FsyncPolicy(p), nil
		}
	}
	return 0, fmt.Errorf("want always, everysec or no, not %q", s)
}

// journalWriteAhead is how many bytes of records a query may leave in memory
// before Exec writes them to the journal file itself: bulk writes with tiny
// answers must not pile up their whole volume a second time in memory.
const journalWriteAhead = 4 << 20

// journal records the effect of every write, so that a crash loses no
// acknowledged write. Fields are guarded by Engine.mu unless noted.
type journal struct {
	policy FsyncPolicy
	// pending holds framed records not yet written to cur, the last of
	// them still being built while open is not -1.
	pending []byte
	// open is where in pending the record of the query running now
	// starts; -1 when that query has changed nothing yet.
	open int
	// cur is the segment being appended to; nil while the journal has
	// failed and no save has started a new one.
	cur *segment
	// failed says why cur was abandoned. A segment that failed a write or
	// an fsync is never written or trusted again.
	failed error
	// written is the sequence of the last record handed to the kernel.
	written uint64

	// synced is the last sequence known to be on disk. It changes with
	// both jmu and Engine.mu held, so that Commit can tell under mu alone
	// that there is nothing to do.
	synced uint64
	// Guarded by Engine.jmu.
	lastSync time.Time

	stop, done chan struct{} // the everysec loop
}

// segment is one open journal file.
type segment struct {
	f     *os.File
	w     io.Writer // f, or what Options.WrapJournal made of it
	root  *os.Root  // the data directory it was created in
	name  string
	first uint64
	size  int64
	// named says that the file's name is on disk: the directory was
	// fsynced since the file was created. Guarded by Engine.jmu.
	named bool
}

// hasRecords reports whether records up to seq have gone to this segment.
func (s *segment) hasRecords(seq uint64) bool { return seq >= s.first }

// put sets key to value and records it in the journal.
func (e *Engine) put(key, value string) bool {
	isNew := e.store.put(key, value)
	if jr := e.jr; jr != nil {
		jr.record()
		jr.pending = data.AppendPut(jr.pending, key, value)
	}
	return isNew
}

// remove deletes key and records it in the journal, if it was present.
func (e *Engine) remove(key string) (string, bool) {
	v, ok := e.store.remove(key)
	if jr := e.jr; ok && jr != nil {
		jr.record()
		jr.pending = data.AppendDel(jr.pending, key)
	}
	return v, ok
}

// clear empties the store and records it in the journal.
func (e *Engine) clear() {
	if e.store.count == 0 {
		return
	}
	e.store.clear()
	if jr := e.jr; jr != nil {
		jr.record()
		jr.pending = data.AppendFlush(jr.pending)
	}
}

// record begins the record of the query running now, unless it has begun.
func (jr *journal) record() {
	if jr.open < 0 {
		jr.open = len(jr.pending)
		jr.pending = data.BeginRecord(jr.pending)
	}
}

// endRecordLocked finishes the record of the query that just ran as the
// next in the journal; the caller holds mu. It reports a change of the
// poison state for the caller to announce once it has let go of mu.
func (e *Engine) endRecordLocked() poisonChange {
	jr := e.jr
	e.seq++
	data.FinishRecord(jr.pending[jr.open:], e.seq)
	jr.open = -1
	if len(jr.pending) < journalWriteAhead {
		return poisonChange{}
	}
	change, _ := e.writePendingLocked()
	return change
}

// writePendingLocked hands the pending records to the kernel; the caller
// holds mu. On failure the segment is abandoned and the store poisoned.
func (e *Engine) writePendingLocked() (poisonChange, error) {
	jr := e.jr
	if jr.cur == nil {
		jr.pending = jr.pending[:0]
		return poisonChange{}, jr.failed
	}
	if len(jr.pending) == 0 {
		return poisonChange{}, nil
	}
	n, err := jr.cur.w.Write(jr.pending)
	jr.cur.size += int64(n)
	if err != nil {
		return e.failJournalLocked(fmt.Errorf("cannot write the journal %s: %w", jr.cur.name, err))
	}
	jr.pending = jr.pending[:0]
	jr.written = e.seq
	return poisonChange{}, nil
}

// failJournalLocked abandons the current segment after err: it is closed
// without another fsync, writes are refused, and the next successful save
// starts a new segment. The caller holds mu.
func (e *Engine) failJournalLocked(err error) (poisonChange, error) {
	jr := e.jr
	if jr.cur != nil {
		jr.cur.f.Close()
		jr.cur = nil
	}
	jr.pending, jr.open = jr.pending[:0], -1
	change := e.journalFailedLocked(err)
	return change, jr.failed
}

// journalFailedLocked records err as why the journal failed, in words, and
// poisons the store with it; the caller holds mu.
func (e *Engine) journalFailedLocked(err error) poisonChange {
	e.jr.failed = data.Explained(err)
	return e.changePoisonLocked(func(p *poisonState) { p.fail(SourceJournal, err) })
}

// Commit makes the writes answered so far as durable as the fsync policy
// promises; the shell calls it right before answers leave for its output,
// so that with FsyncAlways no answer is seen before its record is on disk.
// One call commits every record since the last: in a script, one fsync per
// output flush.
//
// If the journal fails, the store is poisoned and Commit saves data.bin at
// once, which holds the same writes; it returns an error only when that
// fails too. It then goes on returning one, each call trying the save
// again, until a save has made every write durable: the caller must not
// answer those writes meanwhile.
func (e *Engine) Commit() error {
	if e.jr == nil {
		return nil
	}
	if e.committed() {
		return nil
	}
	e.jmu.Lock()
	err := e.commitLocked(e.jr.policy == FsyncAlways)
	e.jmu.Unlock()
	if err == nil {
		return nil
	}
	if _, serr := e.save(foreground); serr != nil {
		return fmt.Errorf("%w; saving data.bin instead failed too: %v", err, serr)
	}
	return nil
}

// committed reports whether every write so far is as durable as the
// policy makes it, without waiting for jmu: a save holds jmu while it
// fsyncs the segments it rotates, and the answer to a read, or to a write
// whose record is already on disk, must not wait behind that.
func (e *Engine) committed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seq <= e.jr.synced || (e.jr.policy != FsyncAlways && e.seq <= e.jr.written)
}

// commitLocked writes the pending records and, with sync, fsyncs them; the
// caller holds jmu, so no save switches segments meanwhile.
func (e *Engine) commitLocked(sync bool) error {
	jr := e.jr
	e.mu.Lock()
	seq := e.seq
	if seq <= jr.synced || (!sync && seq <= jr.written) {
		e.mu.Unlock()
		return nil
	}
	var change poisonChange
	var err error
	if cur := jr.cur; cur != nil {
		if err = e.segmentHome(cur); err != nil {
			change, err = e.failJournalLocked(err)
		}
	}
	if err == nil {
		change, err = e.writePendingLocked()
	}
	cur := jr.cur
	e.mu.Unlock()
	e.announce(change)
	if err != nil || !sync {
		return err
	}
	if err := e.fsyncSegment(cur); err != nil {
		e.mu.Lock()
		var change poisonChange
		if jr.cur == cur {
			change, err = e.failJournalLocked(fmt.Errorf("cannot fsync the journal %s: %w", cur.name, err))
		}
		e.mu.Unlock()
		e.announce(change)
		return err
	}
	e.mu.Lock()
	jr.synced = max(jr.synced, seq)
	e.mu.Unlock()
	jr.lastSync = time.Now()
	return nil
}

// startJournalSync starts the once-a-second fsync of FsyncEverySec.
func (e *Engine) startJournalSync() {
	if e.jr == nil || e.jr.policy != FsyncEverySec {
		return
	}
	e.jr.stop, e.jr.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(e.jr.done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-e.jr.stop:
				return
			case <-tick.C:
				e.jmu.Lock()
				e.commitLocked(true) // a failure poisons; BGSAVE recovers
				e.jmu.Unlock()
			}
		}
	}()
}

// stopJournalSync stops the everysec loop.
func (e *Engine) stopJournalSync() {
	if e.jr == nil || e.jr.stop == nil {
		return
	}
	close(e.jr.stop)
	<-e.jr.done
	e.jr.stop = nil
}

// ErrJournalFile wraps a journal that cannot be replayed: skysh refuses to
// start rather than lose the writes it holds.
var ErrJournalFile = errors.New("journal cannot be replayed")

// segmentName names the segment whose first record is first: fixed-width
// decimal, so that name order is sequence order.
func segmentName(first uint64) string {
	return fmt.Sprintf("%s%020d%s", segmentPrefix, first, segmentExt)
}

const (
	segmentPrefix = "journal-"
	segmentExt    = ".log"
)

// parseSegmentName returns the first sequence of a segment's name.
func parseSegmentName(name string) (uint64, bool) {
	digits, ok := strings.CutPrefix(name, segmentPrefix)
	if !ok {
		return 0, false
	}
	if digits, ok = strings.CutSuffix(digits, segmentExt); !ok || len(digits) != 20 {
		return 0, false
	}
	var n uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// journalStateLocked fills in the journal part of State; the caller holds
// mu.
func (e *Engine) journalStateLocked(st *State) {
	if e.jr == nil {
		st.Journal = "off"
		return
	}
	st.Journal = e.jr.policy.String()
	st.JournalRecords = e.seq - e.savedSeq
	if e.jr.cur != nil {
		st.JournalBytes = e.jr.cur.size + int64(len(e.jr.pending))
	}
	if e.jr.failed != nil {
		st.JournalError = e.jr.failed.Error()
	}
}

// lastJournalSync is when the journal was last fsynced; zero if never.
func (e *Engine) lastJournalSync() time.Time {
	if e.jr == nil {
		return time.Time{}
	}
	e.jmu.Lock()
	defer e.jmu.Unlock()
	return e.jr.lastSync
}
