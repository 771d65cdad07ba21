package cluster_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestMksnapExportsForRestore: MKSNAP name writes the keyspace into
// DATA/snapshots/remote/name.snapshot in skysh's format, and a local
// engine restored from it holds exactly the keyspace, binary keys and the
// empty key included; MKSNAP alone writes an automatic one.
func TestMksnapExportsForRestore(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	s := open(t, etcdtest.Shared(t), cluster.Options{DataDir: dataDir})
	mustRun(t, s, engine.Int(4), "USET", "", "empty key", "\x00", "\xff", "k\x00\xff", "", "a", "1")
	putMany(t, s, 1500) // more than a page
	want := contents(t, s)

	mustRun(t, s, engine.Status{Code: engine.Okay}, "MKSNAP", "export")
	mustRun(t, s, engine.ErrDuplicateSnapshot, "MKSNAP", "export")
	mustRun(t, s, engine.ErrInvalidSnapshotName, "MKSNAP", "../x")
	mustRun(t, s, engine.Status{Code: engine.Okay}, "MKSNAP")
	autos, _ := filepath.Glob(filepath.Join(dataDir, "snapshots", "*.snapshot"))
	if len(autos) != 1 {
		t.Fatalf("automatic snapshots: %q, want one", autos)
	}
	for _, name := range []string{"remote/export.snapshot", filepath.Base(autos[0])} {
		dir := filepath.Join(t.TempDir(), "data")
		if err := os.MkdirAll(filepath.Join(dir, "snapshots", "remote"), 0o755); err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(filepath.Join(dataDir, "snapshots", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "snapshots", name), src, 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := engine.Open(dir, engine.Options{Restore: name})
		if err != nil {
			t.Fatalf("restore %s: %v", name, err)
		}
		if got := contents(t, e); !reflect.DeepEqual(got, want) {
			t.Errorf("restored from %s: %d pairs, want the keyspace's %d", name, len(got), len(want))
		}
		e.Close(nil)
	}
}

// TestMksnapWithoutDataDir answers as the engine does without a data
// directory; with the data directory locked by a running skysh it fails
// with code 5 and the reason, and writes nothing.
func TestMksnapWithoutDataDir(t *testing.T) {
	c := etcdtest.Shared(t)
	mustRun(t, open(t, c, cluster.Options{}), engine.ErrSnapshotDisabled, "MKSNAP", "x")
	dir := filepath.Join(t.TempDir(), "data")
	e, err := engine.Open(dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(nil)
	got := open(t, c, cluster.Options{DataDir: dir}).Exec(q("MKSNAP", "x"))
	if code(got) != int(engine.ServerError) || !strings.Contains(detail(got), "cannot write a snapshot") {
		t.Errorf("MKSNAP into a locked data directory = %s, want code 5", fmtResponse(got))
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "remote", "x.snapshot")); err == nil {
		t.Error("MKSNAP wrote into a locked data directory")
	}
}
