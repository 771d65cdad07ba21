package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"skysh/data"
)

// Snapshots and rescue copies of a skysh whose data directory is renamed
// while it runs: like data.bin, they must follow the directory skysh opened,
// never act on what is now at its old path (which may be another skysh's
// directory), and never overwrite or delete a file skysh did not write.

// dirSnapshots returns the snapshots directory of the data directory dir,
// or its remote subdirectory with remote.
func dirSnapshots(dir string, remote bool) string {
	if remote {
		return filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName)
	}
	return filepath.Join(dir, data.SnapshotDirName)
}

// dirSnapshotHolds decodes a snapshot file and requires exactly want.
func dirSnapshotHolds(t *testing.T, file string, want map[string]string) {
	t.Helper()
	m, err := persistDecode(file)
	if err != nil || !maps.Equal(m, want) {
		t.Fatalf("%s holds %q, %v; want %q", file, m, err, want)
	}
}

// dirRenamed starts skysh with args on top/data, renames the directory to
// top/moved while it runs, and returns the process and both paths. Before
// the rename, it runs before (queries answered Okay in --json).
func dirRenamed(t *testing.T, args []string, before ...string) (p *persistProc, dir, moved string) {
	t.Helper()
	top := t.TempDir()
	dir, moved = filepath.Join(top, "data"), filepath.Join(top, "moved")
	p = persistStart(t, nil, append([]string{"-d", dir, "--json"}, args...)...)
	for _, q := range before {
		p.ask(q, persistOkay)
	}
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	return p, dir, moved
}

// TestDirRenamedRemoteSnapshotNotOverwritten: MKSNAP name in a renamed data
// directory must still find the snapshot of that name written before the
// rename, answer err-duplicate-snapshot and leave it as it was; !snapshots
// must list the directory skysh opened.
func TestDirRenamedRemoteSnapshotNotOverwritten(t *testing.T) {
	t.Parallel()
	p, _, moved := dirRenamed(t, nil, "SET k1 v1", "MKSNAP x")
	p.ask("SET k2 v2", persistOkay)
	p.ask("MKSNAP x", `{"error":"err-duplicate-snapshot"}`)
	p.send("!snapshots")
	if got := p.answer("!snapshots"); !strings.Contains(got, `"name":"remote/x.snapshot","kind":"remote"`) || !strings.Contains(got, `"keys":1}`) {
		t.Errorf("!snapshots after the rename = %s, want remote/x.snapshot with 1 key", got)
	}
	dirExit(p, 1) // the refused MKSNAP failed the script
	dirSnapshotHolds(t, filepath.Join(dirSnapshots(moved, true), "x.snapshot"), map[string]string{"k1": "v1"})
}

// TestDirRenamedAutoSnapshotNameTaken puts files of the user's in a renamed
// data directory under the names an automatic snapshot would take now and
// in the next second: MKSNAP must see them there, leave them alone, and
// write its snapshot under a later name.
func TestDirRenamedAutoSnapshotNameTaken(t *testing.T) {
	t.Parallel()
	p, _, moved := dirRenamed(t, []string{"--snapevery", "3600"}, "SET a 1")
	now := time.Now().UTC()
	planted := map[string]string{}
	for i := range 2 {
		name := now.Add(time.Duration(i)*time.Second).Format("20060102-150405") + ".snapshot"
		file := filepath.Join(dirSnapshots(moved, false), name)
		planted[file] = "the user's " + name + "\n"
		if err := os.WriteFile(file, []byte(planted[file]), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p.ask("MKSNAP", persistOkay)
	dirExitOK(p)
	for file, want := range planted {
		if b, err := os.ReadFile(file); err != nil || string(b) != want {
			t.Errorf("the user's %s holds %q, %v; want it untouched", file, b, err)
		}
	}
	var mine []string
	for _, name := range snapCLIAuto(t, moved) {
		if _, ok := planted[filepath.Join(dirSnapshots(moved, false), name)]; !ok {
			mine = append(mine, name)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("automatic snapshots besides the user's files: %q, want the one MKSNAP wrote", mine)
	}
	dirSnapshotHolds(t, filepath.Join(dirSnapshots(moved, false), mine[0]), map[string]string{"a": "1"})
}

// TestDirRenamedRotationStaysHome: skysh A keeps one automatic snapshot;
// its data directory is renamed and skysh B starts on a new one at the old
// path and writes two. A's next MKSNAP must rotate its own snapshots, in
// the directory it opened, and never delete B's.
func TestDirRenamedRotationStaysHome(t *testing.T) {
	t.Parallel()
	a, dir, moved := dirRenamed(t, []string{"--snapevery", "3600", "--snapkeep", "1"}, "SET a 1", "MKSNAP")
	b := persistStart(t, nil, "-d", dir, "--json", "--snapevery", "3600")
	b.ask("SET b 2", persistOkay)
	b.ask("MKSNAP", persistOkay)
	b.ask("MKSNAP", persistOkay)
	bSnaps := snapCLIAuto(t, dir)
	if len(bSnaps) != 2 {
		t.Fatalf("B's snapshots: %q, want two", bSnaps)
	}

	a.ask("SET c 3", persistOkay)
	a.ask("MKSNAP", persistOkay)
	if got := snapCLIAuto(t, dir); !slices.Equal(got, bSnaps) {
		t.Errorf("B's snapshots after A's MKSNAP: %q, want %q", got, bSnaps)
	}
	aSnaps := snapCLIAuto(t, moved)
	if len(aSnaps) != 1 {
		t.Fatalf("A's snapshots with --snapkeep 1: %q, want one", aSnaps)
	}
	dirSnapshotHolds(t, filepath.Join(dirSnapshots(moved, false), aSnaps[0]), map[string]string{"a": "1", "c": "3"})
	dirExitOK(a)
	dirExitOK(b)
}

// TestDirRenamedRescueStaysHome gives up on the final save of a skysh whose
// data directory was renamed, with another skysh running on a new directory
// at the old path and neither $TMPDIR nor $HOME usable: the rescue copy
// must go into the directory skysh opened, under its new name, and nothing
// into the other skysh's directory.
func TestDirRenamedRescueStaysHome(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir, moved := filepath.Join(base, "data"), filepath.Join(base, "moved")
	p, want := persistStartCornered(t, base, dir)
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	persistDirAtDataFile(t, moved)
	other := persistStart(t, nil, "-d", dir, "--json")
	other.ask("SET other 1", persistOkay)
	// The working directory goes too, so that only the data directory is
	// left to take the copy.
	if err := os.Remove(filepath.Join(base, "cwd")); err != nil {
		t.Fatal(err)
	}

	p.signal(syscall.SIGTERM)
	p.waitStderr("Failed to write data with error '", "Attempting to retry in 10s")
	p.giveUp(func() bool { return p.exited(0) })
	if got := p.exit(); got != 1 {
		t.Errorf("exit status %d after giving up, want 1; stderr:\n%s", got, p.stderr)
	}
	p.rescueCopy(moved, want)
	if copies, _ := filepath.Glob(filepath.Join(dir, "skysh-rescue-*")); len(copies) > 0 {
		t.Errorf("a rescue copy went into the other skysh's directory: %q", copies)
	}
	dirExitOK(other)
	dirMustHold(t, dir, map[string]string{"other": "1"})
}
