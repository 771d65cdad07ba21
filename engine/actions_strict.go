package engine

// The S-actions are all-or-nothing: every key is checked before anything is
// changed, and the engine lock makes the check and the change one step.

func actSset(e *Engine, pairs []string) Response {
	for i := 0; i < len(pairs); i += 2 {
		if e.store.has(pairs[i]) {
			return overwrite
		}
	}
	for i := 0; i < len(pairs); i += 2 {
		e.put(pairs[i], pairs[i+1])
	}
	e.touch(len(pairs) / 2)
	return okay
}

func actSupdate(e *Engine, pairs []string) Response {
	for i := 0; i < len(pairs); i += 2 {
		if !e.store.has(pairs[i]) {
			return nilResp
		}
	}
	for i := 0; i < len(pairs); i += 2 {
		e.put(pairs[i], pairs[i+1])
	}
	e.touch(len(pairs) / 2)
	return okay
}

func actSdel(e *Engine, keys []string) Response {
	for _, k := range keys {
		if !e.store.has(k) {
			return nilResp
		}
	}
	n := 0
	for _, k := range keys {
		// A key named twice is deleted once; the query still succeeds.
		if _, ok := e.remove(k); ok {
			n++
		}
	}
	e.touch(n)
	return okay
}
