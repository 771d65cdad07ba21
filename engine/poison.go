package engine

import (
	"sort"
	"strings"
)

// Source names a background service that can poison the store. Each service
// clears only its own poison when it next succeeds, so the store stays
// poisoned while any of them is failing.
type Source string

// The services that poison the store.
const (
	SourceBGSave   Source = "bgsave"
	SourceSnapshot Source = "snapshot"
)

// poisonState holds the reasons of the failing services; guarded by Engine.mu.
type poisonState struct {
	reasons map[Source]string
}

func (p *poisonState) reason() (string, bool) {
	if len(p.reasons) == 0 {
		return "", false
	}
	parts := make([]string, 0, len(p.reasons))
	for src, why := range p.reasons {
		parts = append(parts, string(src)+" failed: "+why)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; "), true
}

// Poison makes every write answer code 5 until ClearPoison(src) is called
// for every source that poisoned the store. Reads keep working.
func (e *Engine) Poison(src Source, reason string) {
	e.setPoison(func(p *poisonState) {
		if p.reasons == nil {
			p.reasons = make(map[Source]string)
		}
		p.reasons[src] = reason
	})
}

// ClearPoison lifts the poison src set, if any.
func (e *Engine) ClearPoison(src Source) {
	e.setPoison(func(p *poisonState) { delete(p.reasons, src) })
}

// setPoison changes the poison state and tells Options.OnPoison when the
// store became poisoned or recovered. A retry that fails again changes only
// the reason's wording (a new temp file name), not the state: it is not
// announced again.
func (e *Engine) setPoison(change func(*poisonState)) {
	e.mu.Lock()
	_, was := e.poison.reason()
	change(&e.poison)
	after, is := e.poison.reason()
	e.mu.Unlock()
	if e.opts.OnPoison != nil && was != is {
		e.opts.OnPoison(is, after)
	}
}

// Poisoned reports whether writes are refused, and why.
func (e *Engine) Poisoned() (reason string, poisoned bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.poison.reason()
}
