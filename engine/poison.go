package engine

import (
	"sort"
	"strings"

	"skysh/data"
)

// Source names a background service that can poison the store. Each service
// clears only its own poison when it next succeeds, so the store stays
// poisoned while any of them is failing.
type Source string

// The services that poison the store.
const (
	SourceBGSave   Source = "bgsave"
	SourceSnapshot Source = "snapshot"
	// SourceJournal is a failed journal write or fsync; the next successful
	// save of data.bin, which starts a new journal, lifts it.
	SourceJournal Source = "journal"
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

// set records why src is failing.
func (p *poisonState) set(src Source, reason string) {
	if p.reasons == nil {
		p.reasons = make(map[Source]string)
	}
	p.reasons[src] = reason
}

// fail records that src is failing because of err, in words: every poison
// reason the engine makes goes through here, so that all say their cause
// as a person would (data.Explained).
func (p *poisonState) fail(src Source, err error) {
	p.set(src, data.Explained(err).Error())
}

// Poison makes every write answer code 5 until ClearPoison(src) is called
// for every source that poisoned the store. Reads keep working.
func (e *Engine) Poison(src Source, reason string) {
	e.setPoison(func(p *poisonState) { p.set(src, reason) })
}

// poisonWith is Poison for a failure of the engine's own: the reason is
// err, in words.
func (e *Engine) poisonWith(src Source, err error) {
	e.setPoison(func(p *poisonState) { p.fail(src, err) })
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
	c := e.changePoisonLocked(change)
	e.mu.Unlock()
	e.announce(c)
}

// poisonChange is a change of the poison state still to be announced: the
// announcement must wait until the engine lock is let go, because
// Options.OnPoison may query the engine.
type poisonChange struct {
	changed, poisoned bool
	reason            string
}

// changePoisonLocked changes the poison state; the caller holds mu and must
// pass the result to announce once it has let go of mu.
func (e *Engine) changePoisonLocked(change func(*poisonState)) poisonChange {
	_, was := e.poison.reason()
	change(&e.poison)
	after, is := e.poison.reason()
	return poisonChange{changed: was != is, poisoned: is, reason: after}
}

// announce tells Options.OnPoison of a change, if there was one.
func (e *Engine) announce(c poisonChange) {
	if c.changed && e.opts.OnPoison != nil {
		e.opts.OnPoison(c.poisoned, c.reason)
	}
}

// Poisoned reports whether writes are refused, and why.
func (e *Engine) Poisoned() (reason string, poisoned bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.poison.reason()
}
