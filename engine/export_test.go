package engine

// Crash stops e as kill -9 would: background work stops, files are closed
// and the directory's lock released, and nothing is saved or flushed. What
// the journal had not written yet is lost, as it would be.
func (e *Engine) Crash() {
	e.stopBGSave()
	e.stopSnapshots()
	e.stopJournalSync()
	e.mu.Lock()
	if e.jr != nil && e.jr.cur != nil {
		e.jr.cur.f.Close()
		e.jr.cur = nil
	}
	e.mu.Unlock()
	e.dir.Close()
}
