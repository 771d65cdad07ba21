package engine_test

import (
	"sync"
	"time"
)

// testClock is an engine.Clock that stands still until the test moves it,
// forwards or backwards. A wait (After) ends only when the test moves the
// clock past it, and the test can see how many waits are pending: a
// snapshot waiting for the next second is an observable state, not a
// matter of sleeping long enough.
type testClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []testClockWait
}

type testClockWait struct {
	until time.Time
	ch    chan time.Time
}

func newTestClock(now time.Time) *testClock { return &testClock{now: now} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := testClockWait{until: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		w.ch <- c.now
		return w.ch
	}
	c.waits = append(c.waits, w)
	return w.ch
}

// Set moves the clock to now and ends the waits that now has reached.
func (c *testClock) Set(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
	pending := c.waits[:0]
	for _, w := range c.waits {
		if now.Before(w.until) {
			pending = append(pending, w)
			continue
		}
		w.ch <- now
	}
	c.waits = pending
}

// Add moves the clock by d.
func (c *testClock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// Waiting is how many waits are pending.
func (c *testClock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waits)
}
