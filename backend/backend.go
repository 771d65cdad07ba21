// Package backend names what the shell needs from a database, so that the
// same shell, query language and answers run on the local engine (package
// engine) and on an etcd cluster (package cluster). The shell holds a Store;
// what only one kind of store can do (save data.bin, describe a cluster) it
// reaches through the optional interfaces below.
package backend

import (
	"io/fs"

	"skysh/engine"
)

// Store runs queries and lets the shell find keys.
type Store interface {
	// Exec runs one query: args[0] is the action, in any case. The answers
	// and codes are the query language's, whatever the store.
	Exec(args []string) engine.Response
	// Commit makes every write answered so far durable before its answer
	// is shown. A store whose writes are durable when answered returns nil.
	Commit() error
	// Poisoned says whether writes are refused now, and why.
	Poisoned() (reason string, poisoned bool)
	// Len is the number of keys, or -1 if it cannot be known now.
	Len() int
	// KeysWithPrefix returns up to limit keys starting with prefix, in no
	// set order, looking at no more than about budget keys; complete says
	// whether every match was seen. It serves completion at each keystroke.
	KeysWithPrefix(prefix string, limit, budget int) (keys []string, complete bool)
	// RangeKeys calls fn with every key as of one moment, in no set order,
	// until fn returns an error, which it returns.
	RangeKeys(fn func(key string) error) error
	// RangeSorted calls fn with every key and value as of one moment, in
	// key order, until fn returns an error, which it returns.
	RangeSorted(fn func(key, value string) error) error
	// Close ends the store's use: a local store makes its final save,
	// giving up when giveUp is closed.
	Close(giveUp <-chan struct{}) error
}

// Local is a store kept in a data directory on this machine.
type Local interface {
	Store
	State() engine.State
	SaveNow() (bool, error)
	Snapshots() ([]engine.SnapshotInfo, error)
	DataDirStat() (fs.FileInfo, error)
}

// Remote is a store kept elsewhere, on a cluster.
type Remote interface {
	Store
	// Where names the cluster and keyspace, for the greeting and prompt.
	Where() string
	// Status describes the cluster now, for !status.
	Status() (Report, error)
}

// Report is a description for !status of a store that is not local: rows
// of a field and its value for the human and raw forms, and one object for
// JSON (marshalled as it is).
type Report struct {
	Rows [][2]string
	JSON any
}

// Interface checks: the local engine is a local store.
var _ Local = (*engine.Engine)(nil)

// Batcher is a store that runs several queries in fewer round trips than
// one each: a script against a cluster. ExecBatch returns one answer per
// query, each exactly what Exec would have answered had the queries run
// one by one in their order.
type Batcher interface {
	Store
	ExecBatch(queries [][]string) []engine.Response
}
