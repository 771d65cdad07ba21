package engine

import "time"

// startBGSave starts the BGSAVE loop when it is enabled.
func (e *Engine) startBGSave() {
	if e.opts.SaveEvery <= 0 {
		return
	}
	e.bgStop = make(chan struct{})
	e.bgDone = make(chan struct{})
	go e.bgsaveLoop(e.opts.SaveEvery)
}

// bgsaveLoop saves every interval while something changed. A failed save
// poisons the store; the same interval retries it, and a success cures it.
func (e *Engine) bgsaveLoop(every time.Duration) {
	defer close(e.bgDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-e.bgStop:
			return
		case <-tick.C:
			e.bgsave(every)
		}
	}
}

// bgsave is one BGSAVE round.
func (e *Engine) bgsave(every time.Duration) {
	if _, err := e.save(background); err != nil {
		e.mu.Lock()
		e.nextRetry = time.Now().Add(every)
		e.mu.Unlock()
		e.poisonWith(SourceBGSave, err)
		return
	}
	e.mu.Lock()
	e.nextRetry = time.Time{}
	e.mu.Unlock()
	e.ClearPoison(SourceBGSave)
}

// stopBGSave stops the BGSAVE loop and waits for a save in progress.
func (e *Engine) stopBGSave() {
	if e.bgStop == nil {
		return
	}
	close(e.bgStop)
	<-e.bgDone
	e.bgStop = nil
}
