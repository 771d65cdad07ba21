package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"

	"skysh/internal/etcdtest"
)

// TestMain makes the test binary double as skysh and as the helper commands
// the scripts use, so that testscript's exec runs the real main path.
func TestMain(m *testing.M) {
	testscript.Main(removingBuilt{m}, map[string]func(){
		"skysh":         func() { os.Exit(run(os.Args[1:])) },
		"skysh-stalled": stalledSkysh,
		"printbytes":    printBytes,
		"mkline":        mkLine,
	})
}

// printBytes is `printbytes FILE ESCAPED...`: it decodes each argument's Go
// escapes (\n, \r, \t, \\, \x00, \xff, \u00e9, …; quotes stand for
// themselves) and writes them, concatenated, to FILE. txtar files cannot
// carry NUL bytes, invalid UTF-8 or CR comfortably; scripts make such inputs
// with it.
func printBytes() {
	if len(os.Args) < 2 {
		fatalf("usage: printbytes FILE ESCAPED...")
	}
	var b []byte
	for _, arg := range os.Args[2:] {
		for s := arg; s != ""; {
			r, multibyte, tail, err := strconv.UnquoteChar(s, 0)
			if err != nil {
				fatalf("printbytes: cannot decode %q at %q: %v", arg, s, err)
			}
			if multibyte {
				b = utf8.AppendRune(b, r)
			} else {
				b = append(b, byte(r))
			}
			s = tail
		}
	}
	if err := os.WriteFile(os.Args[1], b, 0o666); err != nil {
		fatalf("printbytes: %v", err)
	}
}

// mkLine is `mkline FILE N LINE...`: it writes each LINE and a newline to
// FILE, with every {big} in a LINE replaced by N bytes of 'v'. Scripts make
// lines far longer than a txtar file should hold with it.
func mkLine() {
	if len(os.Args) < 3 {
		fatalf("usage: mkline FILE N LINE...")
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 0 {
		fatalf("mkline: bad length %q", os.Args[2])
	}
	big := strings.Repeat("v", n)
	var b strings.Builder
	for _, line := range os.Args[3:] {
		b.WriteString(strings.ReplaceAll(line, "{big}", big))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(os.Args[1], []byte(b.String()), 0o666); err != nil {
		fatalf("mkline: %v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

// TestScripts runs the end-to-end scripts in testdata/script: the real
// binary (this test binary as skysh) with its stdin, stdout, stderr and exit
// status checked exactly.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		// UPDATE_SCRIPTS=1 rewrites the files that cmp compares against,
		// for a deliberate change of output; review the diff.
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": cmdExits,
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			// History is for people at a terminal; scripts must never write it.
			env.Setenv("SKYSH_HISTFILE", "")
			// Colour rules read NO_COLOR: the scripts run without it.
			unsetenv(env, "NO_COLOR")
			// A race-enabled skysh sleeps 1 s at exit by default; the
			// scripts run it dozens of times.
			if env.Getenv("GORACE") == "" {
				env.Setenv("GORACE", "atexit_sleep_ms=0")
			}
			return nil
		},
	})
}

// unsetenv removes key from the scripts' environment.
func unsetenv(env *testscript.Env, key string) {
	vars := env.Vars[:0]
	for _, kv := range env.Vars {
		if !strings.HasPrefix(kv, key+"=") {
			vars = append(vars, kv)
		}
	}
	env.Vars = vars
}

// cmdExits is `exits N PROGRAM [ARGS...]`: exec PROGRAM and require exit
// status N exactly, for `exec` only tells zero from non-zero. stdout and
// stderr are kept for the commands that follow, as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("exits: %v", err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// built is skysh compiled once for the tests that drive a real binary
// through pipes or a terminal.
var built struct {
	once sync.Once
	dir  string // removed when the tests end
	path string
	err  error
}

// skyshBinary returns the path of a skysh binary built from this package,
// with the race detector when the tests have it.
func skyshBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "skysh-e2e-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "skysh")
		// go test puts its own GOROOT/bin first in PATH: this is that go.
		args := []string{"build", "-o", built.path}
		if raceEnabled() {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatalf("cannot build skysh: %v", built.err)
	}
	return built.path
}

// removingBuilt runs the tests, then removes the binary they built.
type removingBuilt struct{ m *testing.M }

func (r removingBuilt) Run() int {
	code := r.m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	etcdtest.CloseShared()
	return code
}

// raceEnabled reports whether this test binary has the race detector.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// binaryEnv is the environment for a built skysh: the test's own, without
// colour or history settings that would change what it prints or writes,
// and without the race detector's one-second pause at exit.
func binaryEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "NO_COLOR", "SKYSH_HISTFILE", "GORACE", "TERM":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GORACE=atexit_sleep_ms=0")
}
