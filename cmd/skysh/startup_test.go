package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestShortRunCollectsNoGarbage: `skysh -e HEYA` on a new data directory,
// then on the data.bin that run left, allocates too little for the Go
// runtime to collect garbage, and forces no collection: start-up work sized
// for a large store (a collection after loading data.bin, save buffers of
// megabytes for an empty store) would cost a short run more than its
// query. GODEBUG=gctrace=1 makes the runtime report every collection on
// stderr.
func TestShortRunCollectsNoGarbage(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	for _, start := range []string{"a new data directory", "an existing data.bin"} {
		cmd := exec.Command(skyshBinary(t), "-d", dir, "-e", "HEYA")
		cmd.Env = append(binaryEnv(), "GODEBUG=gctrace=1", "GOGC=100")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("skysh -e HEYA on %s: %v\n%s", start, err, stderr.String())
		}
		if got := stdout.String(); got != "HEY!\n" {
			t.Fatalf("skysh -e HEYA on %s printed %q", start, got)
		}
		if strings.Contains(stderr.String(), "gc 1 @") {
			t.Errorf("skysh -e HEYA on %s collected garbage:\n%s", start, stderr.String())
		}
	}
}
