// Package transfer copies a whole store from one place to another (skysh
// copy): a data directory, a snapshot file, a Skytable 0.6 file or a
// keyspace on an etcd cluster, in any pairing.
//
// Every side reads as a Source, which hands over its pairs in byte order of
// the keys, as of one moment, and every destination is a Sink, which takes
// them as they come: a copy holds at most the one store a local source must
// load, never a second copy of it. Both sides end with a Digest, so that a
// copy proves it is whole.
package transfer

import "errors"

// Pairs is a stream of key/value pairs in byte order of the keys: it calls
// fn with each, stops at fn's first error and returns it.
type Pairs func(fn func(key, value string) error) error

// Source is a store to copy from, read as of one moment.
type Source interface {
	// Count is how many pairs Range delivers, or -1 when that is known
	// only once they have all come.
	Count() int64
	// Range delivers every pair in byte order of the keys.
	Range(fn func(key, value string) error) error
	// Close lets the store go (and releases a data directory's lock).
	Close() error
}

// Sink is a place to copy to.
type Sink interface {
	// Holds says what the destination holds now, for a refusal to
	// replace it without --force: "" when it is empty.
	Holds() (string, error)
	// Write makes the destination hold the pairs: count of them, or -1
	// when their number is not known before they have all come.
	Write(count int64, pairs Pairs) error
	// Range reads back what the destination holds now, in byte order of
	// the keys, so that the copy can be checked against the source.
	Range(fn func(key, value string) error) error
	// Abort undoes what opening the destination made, when the copy
	// fails before Write: a directory it created.
	Abort()
	// Close releases the destination (a lock, a connection).
	Close() error
}

// Resumer is a Sink that keeps what an interrupted copy wrote, written in
// key order, so that the copy can go on from there.
type Resumer interface {
	Sink
	// Kept reads what the destination holds: its Digest, and its
	// largest key (found is false when it holds none). A copy goes on
	// only if that is the digest of the source's first pairs, up to that
	// key: the copy that was interrupted, and not another store.
	Kept() (held Digest, last string, found bool, err error)
}

// Errors a copy can end with, for the caller to tell apart with errors.Is.
var (
	// ErrNotEmpty is returned when the destination holds data and neither
	// Options.Force nor Options.Resume was given.
	ErrNotEmpty = errors.New("the destination is not empty")
	// ErrMismatch is returned when the destination, read back, does not
	// match the source: the Result says how.
	ErrMismatch = errors.New("the destination does not match the source")
	// ErrInterrupted is returned when Options.Stop closed during the copy.
	ErrInterrupted = errors.New("the copy was interrupted")
	// ErrUsage is returned for a side that names no place skysh can copy
	// from or to, and for options that do not fit the sides.
	ErrUsage = errors.New("usage")
)
