package engine

import "time"

// Clock tells automatic snapshots the time: it names them, and it times the
// wait for the next second when the current second's name is taken. Tests
// set Options.Clock to move time at will, backwards included, and to see
// when a snapshot waits.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// After sends on the channel it returns once d has passed.
	After(d time.Duration) <-chan time.Time
}

// systemClock is the wall clock.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// clock is Options.Clock, or the wall clock when it is not set.
func (e *Engine) clock() Clock {
	if e.opts.Clock != nil {
		return e.opts.Clock
	}
	return systemClock{}
}
