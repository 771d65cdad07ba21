package transfer

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// fakeKeyspace is a keyspace in memory that checks the cluster's limits
// on every transaction, and can fail from a given one on, as a cluster
// that goes away does.
type fakeKeyspace struct {
	t       *testing.T
	pairs   map[string]string
	maxOps  int
	batches int
	failAt  int // the batch that fails, and every one after it; 0: none
	flushed bool
}

var errGone = errors.New("the cluster went away")

func (f *fakeKeyspace) RangeSorted(fn func(key, value string) error) error {
	for _, k := range slices.Sorted(maps.Keys(f.pairs)) {
		if err := fn(k, f.pairs[k]); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeKeyspace) PutBatch(pairs []pair) error {
	f.batches++
	if f.failAt > 0 && f.batches >= f.failAt {
		return errGone
	}
	size := 0
	for i, p := range pairs {
		size += len(p.key) + len(p.value)
		if i > 0 && p.key <= pairs[i-1].key {
			f.t.Errorf("batch %d is not in key order", f.batches)
		}
	}
	if len(pairs) > f.maxOps || (len(pairs) > 1 && size > maxBatchBytes) {
		f.t.Errorf("batch %d: %d pairs of %d bytes, over the limits", f.batches, len(pairs), size)
	}
	for _, p := range pairs {
		f.pairs[p.key] = p.value
	}
	return nil
}

func (f *fakeKeyspace) MaxOps() int          { return f.maxOps }
func (f *fakeKeyspace) Empty() (bool, error) { return len(f.pairs) == 0, nil }
func (f *fakeKeyspace) Flush() error         { clear(f.pairs); f.flushed = true; return nil }
func (f *fakeKeyspace) Close() error         { return nil }

func (f *fakeKeyspace) Same(other keyspace) (bool, error) { return other == keyspace(f), nil }

// clusterCopy copies src into ks as Copy would into a keyspace.
func clusterCopy(src *loaded, ks keyspace, o Options) (*Result, error) {
	dst := side{spec: "etcd://fake/ks", kind: clusterSide}
	sink := &clusterSink{s: dst, ks: ks, force: o.Force, resume: o.Resume}
	from, err := startAt(dst, sink, o)
	if err != nil {
		return nil, err
	}
	return move(&loaded{slices.Clone(src.pairs)}, sink, side{spec: "src"}, dst, from, o)
}

// TestClusterSinkResume: a copy into a keyspace is written in batches
// within the cluster's limits and in key order; cut short, it leaves the
// first pairs, and --resume goes on after them to equal digests.
func TestClusterSinkResume(t *testing.T) {
	src := &loaded{}
	for i := range 5000 {
		src.pairs = append(src.pairs, pair{fmt.Sprintf("k%05d", i), strings.Repeat("v", i%700)})
	}
	src.pairs = append(src.pairs, pair{"", "empty key"}, pair{"huge", strings.Repeat("h", 2*maxBatchBytes)})
	src.sort()

	ks := &fakeKeyspace{t: t, pairs: map[string]string{}, maxOps: 128, failAt: 10}
	_, err := clusterCopy(src, ks, Options{})
	if !errors.Is(err, errGone) || !strings.Contains(err.Error(), "run the same copy with --resume") {
		t.Fatalf("copy into a failing cluster: %v; want the cluster's error and how to go on", err)
	}
	kept := len(ks.pairs)
	if kept == 0 || kept == len(src.pairs) {
		t.Fatalf("the cut copy left %d of %d pairs", kept, len(src.pairs))
	}
	for i, p := range src.pairs[:kept] { // a prefix, nothing after it
		if ks.pairs[p.key] != p.value {
			t.Fatalf("pair %d (%q) is not in the keyspace after the cut", i, p.key)
		}
	}

	if _, err := clusterCopy(src, ks, Options{}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("a copy onto the cut one without --resume: %v, want ErrNotEmpty", err)
	}
	ks.failAt, ks.batches = 0, 0
	res, err := clusterCopy(src, ks, Options{Resume: true})
	if err != nil || !res.Match() {
		t.Fatalf("resumed copy: %v, %+v", err, res)
	}
	if res.Kept != int64(kept) || ks.flushed {
		t.Errorf("resumed copy kept %d pairs (flushed %v), want %d kept and no flush", res.Kept, ks.flushed, kept)
	}
	if want := (len(src.pairs)-kept)/128 + 1; ks.batches < want {
		t.Errorf("%d batches, want at least %d", ks.batches, want)
	}
}

// TestClusterSinkForce: --force empties a keyspace that holds data before
// the copy, so that nothing of it is left beside the copy.
func TestClusterSinkForce(t *testing.T) {
	src := &loaded{pairs: []pair{{"a", "1"}, {"b", "2"}}}
	ks := &fakeKeyspace{t: t, pairs: map[string]string{"zzz": "old"}, maxOps: 1}
	res, err := clusterCopy(src, ks, Options{Force: true})
	if err != nil || !res.Match() || !ks.flushed || len(ks.pairs) != 2 {
		t.Fatalf("forced copy: %v, %+v, flushed %v, keyspace %v", err, res, ks.flushed, ks.pairs)
	}
}

// TestMismatch: a destination that does not read back as the source was
// written is reported with both digests.
func TestMismatch(t *testing.T) {
	src := &loaded{pairs: []pair{{"a", "1"}, {"b", "2"}}}
	ks := &lossyKeyspace{fakeKeyspace{t: t, pairs: map[string]string{}, maxOps: 128}}
	res, err := clusterCopy(src, ks, Options{})
	if !errors.Is(err, ErrMismatch) || res == nil || res.Source.Keys != 2 || res.Destination.Keys != 1 {
		t.Fatalf("copy into a lossy keyspace: %v, %+v", err, res)
	}
}

// lossyKeyspace drops the last pair of every batch.
type lossyKeyspace struct{ fakeKeyspace }

func (l *lossyKeyspace) PutBatch(pairs []pair) error {
	return l.fakeKeyspace.PutBatch(pairs[:len(pairs)-1])
}
