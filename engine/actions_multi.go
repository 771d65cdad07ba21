package engine

// Multi-key actions that act on each key on its own: a missing or existing
// key is skipped or reported per key, never failing the whole query.

func actDel(e *Engine, keys []string) Response {
	n := 0
	for _, k := range keys {
		if _, ok := e.remove(k); ok {
			n++
		}
	}
	e.touch(n)
	return Int(n)
}

func actExists(e *Engine, keys []string) Response {
	n := 0
	for _, k := range keys {
		if e.store.has(k) {
			n++
		}
	}
	return Int(n)
}

func actMget(e *Engine, keys []string) Response {
	out := make(Array, len(keys))
	for i, k := range keys {
		if v, ok := e.store.get(k); ok {
			out[i] = String(v)
		} else {
			out[i] = nilResp
		}
	}
	return out
}

func actMset(e *Engine, pairs []string) Response {
	n := 0
	for i := 0; i < len(pairs); i += 2 {
		if e.insert(pairs[i], pairs[i+1]) {
			n++
		}
	}
	e.touch(n)
	return Int(n)
}

func actMupdate(e *Engine, pairs []string) Response {
	n := 0
	for i := 0; i < len(pairs); i += 2 {
		if e.replace(pairs[i], pairs[i+1]) {
			n++
		}
	}
	e.touch(n)
	return Int(n)
}

func actUset(e *Engine, pairs []string) Response {
	for i := 0; i < len(pairs); i += 2 {
		e.put(pairs[i], pairs[i+1])
	}
	e.touch(len(pairs) / 2)
	return Int(len(pairs) / 2)
}

func actPop(e *Engine, keys []string) Response {
	out := make(Array, len(keys))
	n := 0
	for i, k := range keys {
		if v, ok := e.remove(k); ok {
			out[i] = String(v)
			n++
		} else {
			out[i] = nilResp
		}
	}
	e.touch(n)
	return out
}
