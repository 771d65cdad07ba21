package transfer

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"skysh/data"
)

// Options change how Copy goes.
type Options struct {
	// Force replaces a destination that holds data.
	Force bool
	// Resume goes on with an interrupted copy into an etcd keyspace: the
	// pairs up to the largest key already there are taken as copied.
	Resume bool
	// Progress, when set (a terminal), receives a line of progress that
	// is rewritten in place and erased at the end.
	Progress io.Writer
	// Stop, when closed, interrupts the copy: a file or data directory
	// being written is left as it was; a keyspace keeps the batches
	// written, for Resume.
	Stop <-chan struct{}
	// Log receives messages for the user on the way, such as a journal
	// replayed while a data directory is read; nil discards them.
	Log io.Writer
	// Cluster says how to reach and log in to an etcd cluster.
	Cluster ClusterOptions
	// Step, if set, is called after each pair handed to the destination,
	// with how many have been: tests stall a copy with it, to interrupt
	// it in the middle.
	Step func(copied int64)
}

// ClusterOptions are how to reach an etcd cluster: user and password, TLS
// files, and a time limit for each request.
type ClusterOptions struct {
	User, Password    string
	CACert, Cert, Key string
	Timeout           time.Duration
}

// Result is what a copy found on both sides: the source as it was read,
// and the destination as it was read back once written.
type Result struct {
	Source, Destination Digest
	// Kept is how many pairs a resumed copy found already copied.
	Kept int64
}

// Match reports whether the destination holds exactly the source's pairs.
func (r *Result) Match() bool { return r.Source == r.Destination }

// Copy makes the destination to hold exactly the pairs of the source, then
// reads the destination back and compares the digests of both. from and to
// are sides as ParseSide reads them. A destination that holds data is
// refused (ErrNotEmpty) unless o.Force or o.Resume; a mismatch returns the
// Result with ErrMismatch.
func Copy(from, to string, o Options) (*Result, error) {
	src, dst, err := parseSides(from, to, o)
	if err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	// The destination is opened first, so that one that must be refused
	// is refused before a large source is loaded.
	sink, err := dst.openSink(o)
	if err != nil {
		return nil, err
	}
	defer sink.Close()
	res, err := copyInto(src, dst, sink, o)
	if err != nil && res == nil {
		sink.Abort()
	}
	return res, err
}

// copyInto is Copy once the destination is open.
func copyInto(src, dst side, sink Sink, o Options) (*Result, error) {
	from, err := startAt(dst, sink, o)
	if err != nil {
		return nil, err
	}
	source, err := src.openSource(o)
	if err != nil {
		return nil, err
	}
	defer source.Close()
	if err := sameKeyspace(source, sink, src, dst); err != nil {
		return nil, err
	}
	return move(source, sink, src, dst, from, o)
}

// start is where a copy begins in the source: at its first pair, or, when
// resuming, after the largest key the destination holds.
type start struct {
	resuming bool
	after    string
	held     Digest // what the destination holds, pairs up to after
}

// startAt refuses a destination that holds data, unless o says to replace
// it or to go on with it, and finds where a resumed copy goes on.
func startAt(dst side, sink Sink, o Options) (start, error) {
	holds, err := sink.Holds()
	if err != nil {
		return start{}, err
	}
	if holds != "" && !o.Force && !o.Resume {
		how := "--force replaces it"
		if resumable(sink) {
			how = "--force replaces it; --resume goes on with a copy that was interrupted"
		}
		return start{}, fmt.Errorf("%w: %s %s; %s", ErrNotEmpty, dst, holds, how)
	}
	if !o.Resume {
		return start{}, nil
	}
	// parseSides let Resume through only for a sink that keeps order.
	var from start
	from.held, from.after, from.resuming, err = sink.(Resumer).Kept()
	return from, err
}

// move hands the pairs of source to sink, then reads sink back, and
// returns the digests of both.
func move(source Source, sink Sink, src, dst side, from start, o Options) (*Result, error) {
	res := &Result{}
	var copied int64
	count := source.Count()
	seen := newDigester()
	prog := newProgress(o.Progress, "copying", count)
	checked := false // that the destination holds the source's first pairs
	pairs := func(fn func(key, value string) error) error {
		return source.Range(func(k, v string) error {
			if from.resuming && !checked && k > from.after {
				// Nothing is written before the pairs kept are known
				// to be the source's: another store is never added to.
				if seen.digest() != from.held {
					return fmt.Errorf("%w: %s holds %s that are not the first keys of %s as they are now, so --resume cannot go on from them; --force replaces them", ErrNotEmpty, dst, data.KeyCount(from.held.Keys), src)
				}
				checked = true
			}
			if err := seen.add(k, v); err != nil {
				return fmt.Errorf("cannot read %s: %w", src, err)
			}
			prog.step()
			if stopped(o.Stop) {
				return ErrInterrupted
			}
			if from.resuming && k <= from.after {
				res.Kept++
				return nil
			}
			if err := fn(k, v); err != nil {
				return err
			}
			copied++
			if o.Step != nil {
				o.Step(copied)
			}
			return nil
		})
	}
	if from.resuming {
		count = -1 // the sink gets only the pairs after the resume point
	}
	err := sink.Write(count, pairs)
	prog.done()
	switch {
	case errors.Is(err, ErrInterrupted) && resumable(sink):
		return nil, fmt.Errorf("%w: %s keeps the keys copied so far, in key order; run the same copy with --resume to go on", err, dst)
	case errors.Is(err, ErrInterrupted):
		return nil, fmt.Errorf("%w: %s was left as it was; run the copy again", err, dst)
	case err != nil:
		return nil, err
	}
	res.Source = seen.digest()
	// The source is let go before the destination is read back, and its
	// memory collected at once: the two are never in memory together.
	source.Close()
	debug.FreeOSMemory()

	back := newDigester()
	prog = newProgress(o.Progress, "checking", res.Source.Keys)
	err = sink.Range(func(k, v string) error {
		prog.step()
		if err := back.add(k, v); err != nil {
			return fmt.Errorf("cannot read back %s: %w", dst, err)
		}
		return nil
	})
	prog.done()
	if err != nil {
		return nil, err
	}
	res.Destination = back.digest()
	if !res.Match() {
		return res, ErrMismatch
	}
	return res, nil
}

// resumable reports whether an interrupted copy into sink can go on.
func resumable(sink Sink) bool {
	_, ok := sink.(Resumer)
	return ok
}

// stopped reports whether stop has been closed.
func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// usageError is a side or an option that cannot work, as the user gave it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Unwrap() error { return ErrUsage }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// IsUsage reports whether err is a mistake in how the copy was asked for.
func IsUsage(err error) bool { return errors.Is(err, ErrUsage) }
