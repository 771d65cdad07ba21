package engine

import "strconv"

// Whole-store actions.

// defaultLskeys is how many keys LSKEYS lists without a count, as in Skytable.
const defaultLskeys = 10

func actDbsize(e *Engine, _ []string) Response { return Int(e.store.count) }

func actFlushdb(e *Engine, _ []string) Response {
	n := e.store.count
	e.clear()
	e.touch(n)
	return okay
}

func actLskeys(e *Engine, args []string) Response {
	n := defaultLskeys
	if len(args) == 1 {
		v, err := strconv.ParseUint(args[0], 10, 31)
		if err != nil {
			return wrongtype
		}
		n = int(v)
	}
	keys := e.store.keys(n)
	out := make(Array, len(keys))
	for i, k := range keys {
		out[i] = String(k)
	}
	return out
}

func actMksnap(e *Engine, args []string) Response { return e.mksnap(args) }
