package engine

import "strconv"

// action is one entry of the query language: its arity, whether it writes,
// what it does, and the help the shell shows for it.
type action struct {
	ActionInfo
	min, max int  // argument count bounds; max < 0 means no upper bound
	pairs    bool // arguments come in key/value pairs
	write    bool // refused while the store is poisoned
	// unlocked actions run without the engine lock because they take it
	// themselves (MKSNAP takes a snapshot of the store).
	unlocked bool
	run      func(e *Engine, args []string) Response
}

// ActionInfo is the help for one action, for completion and `?ACTION`.
type ActionInfo struct {
	Name    string // upper case, e.g. "MSET"
	Syntax  string // e.g. "MSET key value [key value ...]"
	Summary string // one line: what it does and returns
	Example string // a query a user can type
	// Keys says which arguments are keys the action finds in the store
	// (to read, replace or delete), which the shell completes from the
	// store's keys.
	Keys KeyArgs
}

// KeyArgs says which of an action's arguments are keys it finds in the
// store. Keys an action only creates (SET, MSET, SSET) are not: an
// existing key there earns code 2.
type KeyArgs uint8

// Which arguments are keys found in the store.
const (
	NoKeyArgs    KeyArgs = iota // none: HEYA, SET, LSKEYS count, MKSNAP name
	FirstKeyArg                 // the first: GET key, UPDATE key value
	EveryKeyArg                 // all of them: DEL key [key ...]
	PairedKeyArg                // the first of each pair: MUPDATE key value [key value ...]
)

// KeyArgument reports whether argument i (from 0, after the action's
// name) is a key the action finds in the store.
func (a ActionInfo) KeyArgument(i int) bool {
	switch a.Keys {
	case FirstKeyArg:
		return i == 0
	case EveryKeyArg:
		return true
	case PairedKeyArg:
		return i%2 == 0
	}
	return false
}

// arityError is the answer to a query with the wrong number of arguments:
// code 3, as in Skytable, with a detail that says what the action takes,
// e.g. `GET takes 1 argument: GET key`.
func (a *action) arityError() Status {
	var takes string
	switch {
	case a.pairs:
		takes = "takes key value pairs, at least one"
	case a.min == a.max && a.min == 0:
		takes = "takes no arguments"
	case a.min == a.max:
		takes = "takes " + arguments(a.min)
	case a.max < 0:
		takes = "takes at least " + arguments(a.min)
	default:
		takes = "takes at most " + arguments(a.max)
	}
	return Status{Code: ActionError, Detail: a.Name + " " + takes + ": " + a.Syntax}
}

// arguments is "1 argument" or "n arguments".
func arguments(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return strconv.Itoa(n) + " arguments"
}

func (a *action) arityOK(n int) bool {
	if n < a.min || (a.max >= 0 && n > a.max) {
		return false
	}
	return !a.pairs || n%2 == 0
}

// actions is the query-language table, in the order help lists it.
var actions = []*action{
	{ActionInfo{"HEYA", "HEYA", "check the shell is alive; returns HEY!", "HEYA", NoKeyArgs}, 0, -1, false, false, false, actHeya},
	{ActionInfo{"GET", "GET key", "the value of key, or code 1 (Nil)", "GET user:1", FirstKeyArg}, 1, 1, false, false, false, actGet},
	{ActionInfo{"SET", "SET key value", "create key; code 2 if it exists", `SET user:1 "Ada Lovelace"`, NoKeyArgs}, 2, 2, false, true, false, actSet},
	{ActionInfo{"UPDATE", "UPDATE key value", "replace the value of key; code 1 if it is missing", `UPDATE user:1 "Ada King"`, FirstKeyArg}, 2, 2, false, true, false, actUpdate},
	{ActionInfo{"DEL", "DEL key [key ...]", "delete keys; returns how many were deleted", "DEL user:1 user:2", EveryKeyArg}, 1, -1, false, true, false, actDel},
	{ActionInfo{"EXISTS", "EXISTS key [key ...]", "how many of the keys exist", "EXISTS user:1 user:2", EveryKeyArg}, 1, -1, false, false, false, actExists},
	{ActionInfo{"MGET", "MGET key [key ...]", "the value of each key, or code 1 for a missing one", "MGET user:1 user:2", EveryKeyArg}, 1, -1, false, false, false, actMget},
	{ActionInfo{"MSET", "MSET key value [key value ...]", "create the keys that are missing; returns how many were created", "MSET a 1 b 2", NoKeyArgs}, 2, -1, true, true, false, actMset},
	{ActionInfo{"MUPDATE", "MUPDATE key value [key value ...]", "update the keys that exist; returns how many were updated", "MUPDATE a 10 b 20", PairedKeyArg}, 2, -1, true, true, false, actMupdate},
	{ActionInfo{"SSET", "SSET key value [key value ...]", "create all keys or none: code 0, or code 2 if any exists", "SSET a 1 b 2", NoKeyArgs}, 2, -1, true, true, false, actSset},
	{ActionInfo{"SUPDATE", "SUPDATE key value [key value ...]", "update all keys or none: code 0, or code 1 if any is missing", "SUPDATE a 10 b 20", PairedKeyArg}, 2, -1, true, true, false, actSupdate},
	{ActionInfo{"SDEL", "SDEL key [key ...]", "delete all keys or none: code 0, or code 1 if any is missing", "SDEL a b", EveryKeyArg}, 1, -1, false, true, false, actSdel},
	{ActionInfo{"USET", "USET key value [key value ...]", "create or replace every key; returns how many pairs were written", "USET a 1 b 2", PairedKeyArg}, 2, -1, true, true, false, actUset},
	{ActionInfo{"DBSIZE", "DBSIZE", "the number of keys", "DBSIZE", NoKeyArgs}, 0, 0, false, false, false, actDbsize},
	{ActionInfo{"FLUSHDB", "FLUSHDB", "delete every key", "FLUSHDB", NoKeyArgs}, 0, 0, false, true, false, actFlushdb},
	{ActionInfo{"KEYLEN", "KEYLEN key", "the length of the value in bytes, or code 1", "KEYLEN user:1", FirstKeyArg}, 1, 1, false, false, false, actKeylen},
	{ActionInfo{"LSKEYS", "LSKEYS [count]", "up to count keys (default 10); code 7 if count is not a number", "LSKEYS 100", NoKeyArgs}, 0, 1, false, false, false, actLskeys},
	{ActionInfo{"POP", "POP key [key ...]", "delete keys and return their values, or code 1 for a missing one", "POP user:1", EveryKeyArg}, 1, -1, false, true, false, actPop},
	{ActionInfo{"MKSNAP", "MKSNAP [name]", "write a snapshot now; with a name, to snapshots/remote/name.snapshot", "MKSNAP before-migration", NoKeyArgs}, 0, 1, false, false, true, actMksnap},
}

// maxActionName is the longest action name.
const maxActionName = 8

// actionsByLen groups actions by name length, so that finding one costs a
// few byte comparisons and no hashing: the shell looks one up per query.
var actionsByLen = func() (t [maxActionName + 1][]*action) {
	for _, a := range actions {
		t[len(a.Name)] = append(t[len(a.Name)], a)
	}
	return t
}()

// lookupAction finds an action by name in any case.
func lookupAction(name string) *action {
	if len(name) > maxActionName {
		return nil
	}
next:
	for _, a := range actionsByLen[len(name)] {
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c != a.Name[i] {
				continue next
			}
		}
		return a
	}
	return nil
}

// Actions returns the help of every action, in the order of the query-language table.
func Actions() []ActionInfo {
	out := make([]ActionInfo, len(actions))
	for i, a := range actions {
		out[i] = a.ActionInfo
	}
	return out
}

// Check answers a query that cannot run, exactly as Exec answers it: an
// empty query (code 4), an unknown action, or the wrong number of
// arguments (code 3, saying what the action takes). For a query that can
// run it returns the action's help and a nil Response. A store other than
// the engine checks queries with it before running them its own way, so
// that the two answer alike.
func Check(args []string) (ActionInfo, Response) {
	a, refused := check(args)
	if a == nil {
		return ActionInfo{}, refused
	}
	return a.ActionInfo, refused
}

// check finds the action of a query and checks its arity; refused is the
// answer when the query cannot run (a is then nil only for an empty query
// or an unknown action).
func check(args []string) (a *action, refused Response) {
	if len(args) == 0 {
		return nil, Status{Code: PacketError, Detail: "empty query"}
	}
	a = lookupAction(args[0])
	if a == nil {
		return nil, ErrUnknownAction
	}
	if !a.arityOK(len(args) - 1) {
		return a, a.arityError()
	}
	return a, nil
}

// LookupAction returns the help of the named action, in any case.
func LookupAction(name string) (ActionInfo, bool) {
	a := lookupAction(name)
	if a == nil {
		return ActionInfo{}, false
	}
	return a.ActionInfo, true
}
