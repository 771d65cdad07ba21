package engine_test

import (
	le "encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"skysh/data"
	"skysh/engine"
)

// loadMemoryBudget is how much a refused data.bin may cost to look at: a
// generous bound on the decoder's buffer and a few pre-sized shards, far
// below what believing a forged header would take.
const loadMemoryBudget = 256 << 20

// TestOpenForgedCountCostsNoMemory opens a sparse 40 GiB data.bin whose
// header announces 2^34 entries (as many as 40 GiB could hold) but whose
// first entry is malformed: skysh must refuse it having allocated about
// what it read, not pre-size a store for the entries announced.
func TestOpenForgedCountCostsNoMemory(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, data.DataFileName)
	header := append([]byte("\x89SKY\r\n\x1a\n"), 1, 0, 0, 0)
	header = le.LittleEndian.AppendUint64(header, 1<<34)
	// A length that is not minimally encoded: malformed at entry 1.
	header = append(header, 0x80, 0x00)
	if err := os.WriteFile(file, header, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(file, 40<<30); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := engine.Open(dir, engine.Options{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, engine.ErrDataFile) || !errors.Is(err, data.ErrCorrupt) {
		t.Fatalf("Open = %v, want ErrDataFile for a corrupt file", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > loadMemoryBudget {
		t.Fatalf("refusing the file allocated %d MiB, want at most %d MiB", got>>20, loadMemoryBudget>>20)
	}
}
