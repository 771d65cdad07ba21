package engine

import "skysh/data"

// Single-key actions.

func actHeya(_ *Engine, _ []string) Response { return String("HEY!") }

func actGet(e *Engine, args []string) Response {
	if v, ok := e.store.get(args[0]); ok {
		return String(v)
	}
	return nilResp
}

func actSet(e *Engine, args []string) Response {
	if !e.insert(args[0], args[1]) {
		return overwrite
	}
	e.touch(1)
	return okay
}

func actUpdate(e *Engine, args []string) Response {
	if !e.replace(args[0], args[1]) {
		return nilResp
	}
	e.touch(1)
	return okay
}

func actKeylen(e *Engine, args []string) Response {
	if v, ok := e.store.get(args[0]); ok {
		return Int(len(v))
	}
	return nilResp
}

// insert sets key to value only if key is absent, and records the write in
// the journal as put does. Checking with has and then calling put would
// hash the key and search the index for it twice.
func (e *Engine) insert(key, value string) bool {
	if !e.store.insert(key, value) {
		return false
	}
	e.journalPut(key, value)
	return true
}

// replace sets key to value only if key is present, as insert does for an
// absent one.
func (e *Engine) replace(key, value string) bool {
	if !e.store.replace(key, value) {
		return false
	}
	e.journalPut(key, value)
	return true
}

// journalPut records that key was set to value, if the journal is on.
func (e *Engine) journalPut(key, value string) {
	if jr := e.jr; jr != nil {
		jr.record()
		jr.pending = data.AppendPut(jr.pending, key, value)
	}
}
