package transfer

import "fmt"

// keyspace is what the etcd sides use of a keyspace on a cluster; package
// cluster's Store provides it (see cluster_etcd.go).
type keyspace interface {
	// RangeSorted delivers every pair at one revision, in key order.
	RangeSorted(fn func(key, value string) error) error
	// PutBatch writes pairs in one transaction: all or none.
	PutBatch(pairs []pair) error
	// MaxOps is the most operations the cluster takes in one transaction.
	MaxOps() int
	// Empty reports whether the keyspace holds no key.
	Empty() (bool, error)
	// Flush deletes every key of the keyspace; cut short, it leaves the
	// keys after those it deleted.
	Flush() error
	// Same reports whether other is this keyspace of this cluster,
	// however their URLs name them.
	Same(other keyspace) (bool, error)
	Close() error
}

// maxBatchBytes bounds the keys and values of one transaction: etcd
// refuses a request over 1.5 MiB by default, and the margin covers the
// keyspace prefix and the framing of each operation.
const maxBatchBytes = 1 << 20

// pairOverhead is what one put adds to a request beside its key and value.
const pairOverhead = 64

// clusterSource reads a keyspace at one revision.
type clusterSource struct{ ks keyspace }

func openClusterSource(s side, o Options) (Source, error) {
	ks, err := dialKeyspace(s.path, o.Cluster)
	if err != nil {
		return nil, err
	}
	return clusterSource{ks}, nil
}

// sameKeyspace refuses a copy of a keyspace onto itself under another
// URL (another member of its cluster, another name of a host), which
// would empty it (--force) or mix it with itself: only the cluster can
// tell, once both sides are open.
func sameKeyspace(source Source, sink Sink, src, dst side) error {
	from, ok := source.(clusterSource)
	to, ok2 := sink.(*clusterSink)
	if !ok || !ok2 {
		return nil
	}
	same, err := from.ks.Same(to.ks)
	if err == nil && same {
		err = usagef("%s and %s are the same place: one keyspace of one cluster", src, dst)
	}
	return err
}

func (c clusterSource) Count() int64                                 { return -1 }
func (c clusterSource) Range(fn func(key, value string) error) error { return c.ks.RangeSorted(fn) }
func (c clusterSource) Close() error                                 { return c.ks.Close() }

// clusterSink writes a keyspace in transactions of the cluster's largest
// size, in key order: a copy cut short leaves the keyspace holding the
// source's first pairs up to some key, and nothing after it, so that
// --resume can go on after the largest key there.
type clusterSink struct {
	s             side
	ks            keyspace
	force, resume bool
}

func openClusterSink(s side, o Options) (Sink, error) {
	ks, err := dialKeyspace(s.path, o.Cluster)
	if err != nil {
		return nil, err
	}
	return &clusterSink{s: s, ks: ks, force: o.Force, resume: o.Resume}, nil
}

func (c *clusterSink) Holds() (string, error) {
	empty, err := c.ks.Empty()
	if err != nil || empty {
		return "", err
	}
	return "holds keys", nil
}

// Write empties the keyspace first when it is forced (not when resuming),
// then writes the pairs in batches.
func (c *clusterSink) Write(_ int64, pairs Pairs) error {
	if c.force && !c.resume {
		if err := c.ks.Flush(); err != nil {
			return err
		}
	}
	limit := max(c.ks.MaxOps(), 1)
	batch := make([]pair, 0, limit)
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := c.ks.PutBatch(batch)
		if err != nil {
			// Every batch before this one is there, in key order:
			// the cluster's error alone would not say how to go on.
			err = fmt.Errorf("cannot write %s from the key %q on: %w; the keys before it are there, in key order: once that is mended, run the same copy with --resume to go on", c.s, clip(batch[0].key), err)
		}
		clear(batch) // let the strings go
		batch, size = batch[:0], 0
		return err
	}
	err := pairs(func(k, v string) error {
		n := len(k) + len(v) + pairOverhead
		if len(batch) == limit || (len(batch) > 0 && size+n > maxBatchBytes) {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, pair{k, v})
		size += n
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

func (c *clusterSink) Range(fn func(key, value string) error) error { return c.ks.RangeSorted(fn) }

// Kept reads the keyspace through to its largest key.
func (c *clusterSink) Kept() (held Digest, last string, found bool, err error) {
	d := newDigester()
	err = c.ks.RangeSorted(d.add)
	return d.digest(), d.last, d.n > 0, err
}

func (c *clusterSink) Abort()       {}
func (c *clusterSink) Close() error { return c.ks.Close() }
