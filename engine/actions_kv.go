package engine

// Single-key actions.

func actHeya(_ *Engine, _ []string) Response { return String("HEY!") }

func actGet(e *Engine, args []string) Response {
	if v, ok := e.store.get(args[0]); ok {
		return String(v)
	}
	return nilResp
}

func actSet(e *Engine, args []string) Response {
	if e.store.has(args[0]) {
		return overwrite
	}
	e.put(args[0], args[1])
	e.touch(1)
	return okay
}

func actUpdate(e *Engine, args []string) Response {
	if !e.store.has(args[0]) {
		return nilResp
	}
	e.put(args[0], args[1])
	e.touch(1)
	return okay
}

func actKeylen(e *Engine, args []string) Response {
	if v, ok := e.store.get(args[0]); ok {
		return Int(len(v))
	}
	return nilResp
}
