package main

import (
	"encoding/binary"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"skysh/data"
)

// The data directory seen from outside while skysh runs: files deleted,
// replaced or made special under it, its lock removed or replaced, the
// directory itself renamed or removed. skysh must never lose what it
// acknowledged, never let a second process in, never hang, and never touch
// what it did not write.

// dirMustHold decodes DIR/data.bin and requires exactly want.
func dirMustHold(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	m, err := persistDecode(filepath.Join(dir, data.DataFileName))
	if err != nil || !maps.Equal(m, want) {
		t.Fatalf("%s/data.bin holds %q, %v; want %q", dir, m, err, want)
	}
}

// dirSaved sends !save and waits for its answer, so that data.bin holds
// every write acknowledged so far and the store is clean.
func dirSaved(p *persistProc) {
	p.t.Helper()
	p.send("!save")
	if got := p.answer("!save"); !strings.Contains(got, "saved") {
		p.t.Fatalf("!save answered %q; stderr:\n%s", got, p.stderr)
	}
}

// dirExitOK closes skysh's input and requires it to exit 0.
func dirExitOK(p *persistProc) {
	p.t.Helper()
	dirExit(p, 0)
}

// dirExit ends the script of p and fails the test unless it exits with
// status want.
func dirExit(p *persistProc, want int) {
	p.t.Helper()
	p.stdin.Close()
	if got := p.exit(); got != want {
		p.t.Fatalf("exit status %d, want %d; stderr:\n%s", got, want, p.stderr)
	}
}

// TestDirCleanStoreSavesWhatDiskLost changes data.bin under an idle store
// whose changes are all saved: deleted, or overwritten in place by an older
// copy of the same size (same inode, same size, only its content and ctime
// differ). The final save must write the store again, not skip it as
// "nothing changed".
func TestDirCleanStoreSavesWhatDiskLost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, file string, older []byte)
	}{
		{"deleted", func(t *testing.T, file string, _ []byte) {
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
		}},
		{"older copy written over it", func(t *testing.T, file string, older []byte) {
			// As cp does: open the existing file, truncate, write.
			if err := os.WriteFile(file, older, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "data")
			file := filepath.Join(dir, data.DataFileName)
			p := persistStart(t, nil, "-d", dir, "--json", "--nosave")
			p.ask("SET a 1", persistOkay)
			dirSaved(p)
			older, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p.ask("UPDATE a 2", persistOkay)
			dirSaved(p)
			tc.break_(t, file, older)

			p.send("!status")
			if got := p.answer("!status"); !strings.Contains(got, `"disk_problem"`) {
				t.Errorf("!status with data.bin %s = %s, want a disk_problem", tc.name, got)
			}
			dirExitOK(p)
			dirMustHold(t, dir, map[string]string{"a": "2"})
		})
	}
}

// TestDirCleanStoreDirectoryAtDataFile replaces data.bin with a directory
// under a clean store: the next BGSAVE must try to write, fail and poison,
// not skip.
func TestDirCleanStoreDirectoryAtDataFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := persistStart(t, nil, "-d", dir, "--json", "-S", "1")
	p.ask("SET a 1", persistOkay)
	dirSaved(p)
	persistDirAtDataFile(t, dir)
	p.waitStderr("poisoned")
	p.send("!status")
	if got := p.answer("!status"); !strings.Contains(got, `"poisoned":true`) {
		t.Errorf("!status = %s, want poisoned", got)
	}
	if err := os.Remove(filepath.Join(dir, data.DataFileName)); err != nil {
		t.Fatal(err)
	}
	p.waitStderr("recovered")
	dirExitOK(p)
	dirMustHold(t, dir, map[string]string{"a": "1"})
}

// TestDirRemovedIsRecreated removes the whole data directory under a clean
// store: skysh must notice, say so, and write its store again at the path
// it was given (the removed directory can hold nothing any more).
func TestDirRemovedIsRecreated(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	p := persistStart(t, nil, "-d", dir, "--json", "--nosave")
	p.ask("SET a 1", persistOkay)
	dirSaved(p)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	p.send("!status")
	if got := p.answer("!status"); !strings.Contains(got, `"disk_problem"`) || !strings.Contains(got, "removed") {
		t.Errorf("!status with the data directory removed = %s, want a disk_problem saying so", got)
	}
	dirExitOK(p)
	if s := p.stderr.String(); !strings.Contains(s, "removed") || !strings.Contains(s, dir) {
		t.Errorf("stderr does not say that %s was removed and recreated:\n%s", dir, s)
	}
	dirMustHold(t, dir, map[string]string{"a": "1"})
}

// TestDirLockCannotBeBypassed removes, or replaces from inside skysh with
// !dump, the lock file of a running skysh: a second skysh on the same
// directory must still be refused.
func TestDirLockCannotBeBypassed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, p *persistProc, lock string)
	}{
		{"removed", func(t *testing.T, _ *persistProc, lock string) {
			if err := os.Remove(lock); err != nil {
				t.Fatal(err)
			}
		}},
		{"replaced by !dump", func(t *testing.T, p *persistProc, lock string) {
			p.send("!dump " + lock)
			p.answer("!dump") // refused: a file inside the data directory
			p.waitStderr("cannot dump to " + lock + ": it is inside the data directory")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "data")
			first := persistStart(t, nil, "-d", dir, "--json")
			first.ask("SET a 1", persistOkay)
			tc.break_(t, first, filepath.Join(dir, data.LockFileName))

			_, stderr, status := persistRun(t, "", "-d", dir, "-e", "SET a 2")
			if status != 1 || !strings.Contains(stderr, "in use") {
				t.Errorf("second skysh with the lock file %s: status %d, stderr %q; want 1 and 'in use'", tc.name, status, stderr)
			}
			want := 0
			if strings.Contains(tc.name, "!dump") {
				want = 1 // the refused !dump failed the script
			}
			dirExit(first, want)
			dirMustHold(t, dir, map[string]string{"a": "1"})
		})
	}
}

// TestDirRenamedIsFollowed renames the data directory of a running skysh
// and starts a second one at the old name: each must keep its own writes,
// in its own directory.
func TestDirRenamedIsFollowed(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	dir, moved := filepath.Join(top, "data"), filepath.Join(top, "moved")
	first := persistStart(t, nil, "-d", dir, "--json")
	first.ask("SET a 1", persistOkay)
	dirSaved(first)
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "SET b 2")
	if status != 0 || stdout != "(Okay)\n" {
		t.Fatalf("second skysh on a fresh %s: status %d, stdout %q, stderr %q", dir, status, stdout, stderr)
	}
	first.ask("SET c 3", persistOkay)
	// The directory it opened is still its own under the new name: no
	// !dump may write into it.
	first.send("!dump " + filepath.Join(moved, "data.bin"))
	first.answer("!dump")
	first.waitStderr("it is inside the data directory")
	dirExit(first, 1) // the refused !dump failed the script
	dirMustHold(t, moved, map[string]string{"a": "1", "c": "3"})
	dirMustHold(t, dir, map[string]string{"b": "2"})
}

// TestDirLockSymlinkNotFollowed puts a symlink to a file of the user's at
// skysh.lock: the file must be left exactly as it was.
func TestDirLockSymlinkNotFollowed(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	dir, victim := filepath.Join(top, "data"), filepath.Join(top, "precious.txt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, data.LockFileName)); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "-e", "SET a 1")
	if status != 0 || stdout != "(Okay)\n" {
		t.Fatalf("status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "precious\n" {
		t.Fatalf("the symlink's target holds %q, %v; want it untouched", b, err)
	}
}

// TestDirSpecialDataFileRefused puts a FIFO, a socket and a symlink at
// data.bin: skysh must refuse to start at once, saying what it found, and
// leave it in place.
func TestDirSpecialDataFileRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, want string
		make       func(t *testing.T, file string)
	}{
		{"fifo", "named pipe", func(t *testing.T, file string) {
			if err := syscall.Mkfifo(file, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"socket", "socket", func(t *testing.T, file string) {
			fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer syscall.Close(fd)
			if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: file}); err != nil {
				t.Skipf("cannot bind a socket at %s: %v", file, err) // path too long for sun_path
			}
		}},
		{"symlink", "symbolic link", func(t *testing.T, file string) {
			target := filepath.Join(filepath.Dir(filepath.Dir(file)), "elsewhere.bin")
			if err := os.WriteFile(target, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, file); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "d")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, data.DataFileName)
			tc.make(t, file)
			before, err := os.Lstat(file)
			if err != nil {
				t.Fatal(err)
			}
			_, stderr, status := persistRun(t, "", "-d", dir, "-e", "SET a 1")
			if status != 1 || !strings.Contains(stderr, "not a regular file") || !strings.Contains(stderr, tc.want) {
				t.Errorf("status %d, stderr %q; want 1 and a message that data.bin is a %s, not a regular file", status, stderr, tc.want)
			}
			after, err := os.Lstat(file)
			if err != nil || !os.SameFile(before, after) {
				t.Errorf("data.bin was changed: %v", err)
			}
		})
	}
}

// TestDirSignalEndsSlowStart starts skysh on a data.bin that takes
// minutes to load (a sparse terabyte announcing as many entries, all
// empty) and sends SIGTERM once it is reading the file: nothing has been
// acknowledged yet, so skysh must end at once with status 143. (The
// count is one the size allows: a larger one is refused at once.)
func TestDirSignalEndsSlowStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, data.DataFileName)
	dirSparseDataFile(t, file, 1<<40, 1<<38, nil)
	p := persistStart(t, nil, "-d", dir)
	persistWaitFor(t, "skysh to open data.bin", func() bool {
		return dirProcessHasOpen(p.cmd.Process.Pid, file)
	}, func() string {
		fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", p.cmd.Process.Pid))
		var open []string
		for _, fd := range fds {
			target, _ := os.Readlink(fd)
			open = append(open, target)
		}
		return fmt.Sprintf("exited: %v; open files: %q; stderr:\n%s", p.exited(0), open, p.stderr)
	})
	p.signal(syscall.SIGTERM)
	if got := p.exit(); got != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit status %d, want %d; stderr:\n%s", got, 128+int(syscall.SIGTERM), p.stderr)
	}
}

// dirSparseDataFile writes a data.bin header announcing count entries,
// then body, and extends the file to size bytes without writing them: the
// file system stores a hole, which reads as zeros.
func dirSparseDataFile(t testing.TB, file string, size int64, count uint64, body []byte) {
	t.Helper()
	header := append([]byte("\x89SKY\r\n\x1a\n"), 1, 0, 0, 0)
	header = binary.LittleEndian.AppendUint64(header, count)
	if err := os.WriteFile(file, append(header, body...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(file, size); err != nil {
		t.Fatal(err)
	}
}

// dirProcessHasOpen reports whether process pid has file open, as Linux
// shows in /proc/PID/fd.
func dirProcessHasOpen(pid int, file string) bool {
	fds := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(fds)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && target == file {
			return true
		}
	}
	return false
}

// TestDirRestoreStaysInSnapshots gives --restore paths that leave the
// snapshots directory, by .. or by a symlink: refused, naming the path,
// and never echoing the foreign file's bytes. An absolute path is a
// deliberate choice of file and works.
func TestDirRestoreStaysInSnapshots(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	dir := filepath.Join(top, "data")
	secret := filepath.Join(top, "secret.txt")
	if err := os.WriteFile(secret, []byte("root:hunter2:0:0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	snapCLIMustRun(t, "-", "-d", dir, "-e", "SET a 1", "-e", "MKSNAP one")
	if err := os.Symlink(secret, filepath.Join(dir, data.SnapshotDirName, "link.snapshot")); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, data.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../../secret.txt", "link.snapshot", secret} {
		_, stderr, status := persistRun(t, "", "-d", dir, "--restore", name, "-e", "SET x 1")
		if status != 1 || strings.Contains(stderr, "root:") || strings.Contains(stderr, "hunter2") {
			t.Errorf("--restore %s: status %d, stderr %q; want 1 and none of the file's bytes", name, status, stderr)
		}
		if !strings.Contains(stderr, name) && !strings.Contains(stderr, filepath.Base(name)) {
			t.Errorf("--restore %s: stderr %q does not name the path", name, stderr)
		}
	}
	if after, err := os.ReadFile(filepath.Join(dir, data.DataFileName)); err != nil || string(after) != string(before) {
		t.Fatalf("a refused restore changed data.bin (%v)", err)
	}

	abs := filepath.Join(top, "elsewhere.snapshot")
	snap, err := os.ReadFile(filepath.Join(dir, data.SnapshotDirName, data.RemoteDirName, "one.snapshot"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(abs, snap, 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := persistRun(t, "", "-d", dir, "--restore", abs, "-e", "GET a")
	if status != 0 || stdout != "1\n" {
		t.Errorf("--restore %s (absolute): status %d, stdout %q, stderr %q; want the snapshot's a=1", abs, status, stdout, stderr)
	}
}

// TestDirStartKeepsOthersTempFiles puts in the data directory a file of the
// user's named like older skysh builds named their temp files, and a temp
// file of skysh's own: start-up must leave the first, remove the second,
// and say so.
func TestDirStartKeepsOthersTempFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	users := filepath.Join(dir, ".notes.txt.tmp-20261202")
	ours := filepath.Join(dir, ".skysh-tmp-0123456789abcdef-data.bin")
	for _, f := range []string{users, ours} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, status := persistRun(t, "", "-d", dir, "-e", "HEYA")
	if status != 0 {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	if _, err := os.Stat(users); err != nil {
		t.Errorf("the user's %s is gone: %v", users, err)
	}
	if _, err := os.Stat(ours); err == nil {
		t.Errorf("skysh's own stale temp file %s is still there", ours)
	}
	if !strings.Contains(stderr, ours) {
		t.Errorf("stderr does not name the removed temp file %s:\n%s", ours, stderr)
	}
}
