package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/config")

// configErrorCases are the files of testdata/config that skysh must refuse,
// each with what it shows. skysh runs on each as `skysh -c CASE.toml`, and
// its stderr must be CASE.golden exactly: the message names the file, the
// line and the key wherever they are known.
var configErrorCases = []struct{ name, shows string }{
	{"unknown-key-top", "an unknown key at the top level, with its line"},
	{"unknown-key-table", "an unknown key inside a table (a typo), with its line"},
	{"unknown-table", "an unknown table, with the line of its header"},
	{"string-every", "a string where a number of seconds goes"},
	{"string-snapshot-every", "a string for snapshot.every"},
	{"float-every", "a fraction of a second"},
	{"int-enabled", "a number where true or false goes"},
	{"string-failsafe", "a string where true or false goes"},
	{"bool-atmost", "a boolean where a count goes"},
	{"zero-bgsave-every", "bgsave.every = 0"},
	{"zero-snapshot-every", "snapshot.every = 0"},
	{"negative-bgsave-every", "a negative bgsave.every"},
	{"negative-snapshot-every", "a negative snapshot.every"},
	{"negative-atmost", "a negative snapshot.atmost"},
	{"huge-bgsave-every", "an interval a time.Duration cannot hold, which would wrap to a negative one"},
	{"huge-snapshot-every", "an interval that would wrap to a fraction of a second"},
	{"syntax-missing-value", "a TOML syntax error: a key without a value"},
	{"syntax-table-header", "a TOML syntax error: an unclosed table header"},
	{"duplicate-key", "a key given twice"},
	{"missing-file", "a file that does not exist (there is no missing-file.toml)"},
}

// TestConfigErrors runs the real binary on each bad configuration file: exit
// status 1, nothing on stdout, the golden message on stderr, and the data
// directory never created.
func TestConfigErrors(t *testing.T) {
	t.Parallel()
	bin := skyshBinary(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "config"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range configErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := filepath.Join(t.TempDir(), "d")
			cmd := exec.Command(bin, "-d", data, "-c", tc.name+".toml", "-e", "SET k v")
			cmd.Dir = dir
			cmd.Env = binaryEnv()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
				t.Errorf("%s: skysh ended with %v, want exit status %d", tc.shows, err, exitFailed)
			}
			if stdout.Len() > 0 {
				t.Errorf("%s: stdout %q, want nothing", tc.shows, stdout.String())
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("%s: the data directory was created (stat: %v)", tc.shows, err)
			}
			configGolden(t, filepath.Join(dir, tc.name+".golden"), stderr.String())
		})
	}
}

// TestConfigErrorCasesListed keeps the cases and the files in step: a file
// no case runs tests nothing.
func TestConfigErrorCasesListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "config", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".toml"), ".golden")
		if !slices.ContainsFunc(configErrorCases, func(c struct{ name, shows string }) bool { return c.name == name }) {
			t.Errorf("%s belongs to no case of configErrorCases", f)
		}
	}
	if _, err := os.Stat(filepath.Join("testdata", "config", "missing-file.toml")); !os.IsNotExist(err) {
		t.Errorf("testdata/config/missing-file.toml must not exist (stat: %v)", err)
	}
}

// configGolden compares got with the golden file, or rewrites it with -update.
func configGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestConfigErrors -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("stderr differs from %s:\ngot:  %q\nwant: %q", filepath.Base(path), got, want)
	}
}

// TestConfigExample loads the example file of the repository, which README
// points to: it must be valid and say what its comments say.
func TestConfigExample(t *testing.T) {
	cfg, err := loadConfig(filepath.Join("..", "..", "skysh.example.toml"))
	if err != nil {
		t.Fatalf("skysh.example.toml: %v", err)
	}
	for _, c := range []struct {
		key       string
		got, want any
	}{
		{"bgsave.enabled", configValue(cfg.BGSave.Enabled), true},
		{"bgsave.every", configValue(cfg.BGSave.Every), int64(120)},
		{"snapshot.every", configValue(cfg.Snapshot.Every), int64(3600)},
		{"snapshot.atmost", configValue(cfg.Snapshot.Atmost), int64(24)},
		{"snapshot.failsafe", configValue(cfg.Snapshot.Failsafe), true},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.key, c.got, c.want)
		}
	}
}

// configValue is *p, or nil for a key the file does not set.
func configValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestConfigPrecedence merges files and flags: each key of the file takes
// effect, and each flag given on the command line wins over the file, also
// when it sets a value the file would not (0, false).
func TestConfigPrecedence(t *testing.T) {
	t.Parallel()
	defaults := settings{saveEvery: 120 * time.Second, failsafe: true}
	with := func(change func(*settings)) settings {
		s := defaults
		change(&s)
		return s
	}
	for _, tc := range []struct {
		name string
		file string // "" for no -c
		args []string
		want settings
	}{
		{"defaults", "", nil, defaults},
		{"an empty file changes nothing", "# nothing\n", nil, defaults},
		{"every key of the file",
			"[bgsave]\nenabled = true\nevery = 7\n[snapshot]\nevery = 3600\natmost = 24\nfailsafe = false\n", nil,
			settings{saveEvery: 7 * time.Second, snapEvery: time.Hour, snapKeep: 24, failsafe: false}},
		{"bgsave.enabled = false turns BGSAVE off", "[bgsave]\nenabled = false\n", nil,
			with(func(s *settings) { s.saveEvery = 0 })},
		{"bgsave.enabled = false wins over bgsave.every", "[bgsave]\nevery = 7\nenabled = false\n", nil,
			with(func(s *settings) { s.saveEvery = 0 })},
		{"-S turns BGSAVE back on", "[bgsave]\nenabled = false\n", []string{"-S", "1"},
			with(func(s *settings) { s.saveEvery = time.Second })},
		{"--saveduration wins over bgsave.every", "[bgsave]\nevery = 7\n", []string{"--saveduration", "3"},
			with(func(s *settings) { s.saveEvery = 3 * time.Second })},
		{"--nosave wins over bgsave.every", "[bgsave]\nenabled = true\nevery = 7\n", []string{"--nosave"},
			with(func(s *settings) { s.saveEvery = 0 })},
		{"--snapevery wins over snapshot.every", "[snapshot]\nevery = 3600\n", []string{"--snapevery", "1"},
			with(func(s *settings) { s.snapEvery = time.Second })},
		{"--snapkeep wins over snapshot.atmost", "[snapshot]\nevery = 60\natmost = 1\n", []string{"--snapkeep", "3"},
			with(func(s *settings) { s.snapEvery = time.Minute; s.snapKeep = 3 })},
		{"--snapkeep 0 wins over snapshot.atmost", "[snapshot]\natmost = 5\n", []string{"--snapkeep", "0"},
			defaults},
		{"--stop-write-on-fail true wins over failsafe = false", "[snapshot]\nfailsafe = false\n",
			[]string{"--stop-write-on-fail", "true"}, defaults},
		{"--stop-write-on-fail=false wins over failsafe = true", "[snapshot]\nfailsafe = true\n",
			[]string{"--stop-write-on-fail=false"}, with(func(s *settings) { s.failsafe = false })},
		{"flags without a file", "", []string{"-S", "5", "--snapevery", "10", "--snapkeep", "2", "--stop-write-on-fail", "false"},
			settings{saveEvery: 5 * time.Second, snapEvery: 10 * time.Second, snapKeep: 2}},
		{"--withconfig is -c", "[snapshot]\nevery = 60\n", nil, with(func(s *settings) { s.snapEvery = time.Minute })},
		{"skyd.toml's four sections: the server ones ignored with a warning",
			"[server]\nhost = \"127.0.0.1\"\nport = 2003\nnoart = true\n[bgsave]\nevery = 30\n[snapshot]\nevery = 60\natmost = 4\nfailsafe = true\n[ssl]\nkey = \"k\"\nchain = \"c\"\nport = 2004\nonly = false\n",
			nil, with(func(s *settings) {
				s.saveEvery, s.snapEvery, s.snapKeep = 30*time.Second, time.Minute, 4
				s.warning = "SKYSH.TOML: ignoring server.host, server.port, server.noart, ssl.key, ssl.chain, ssl.port and ssl.only: skysh has no server, the database runs inside the shell"
			})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := slices.Clone(tc.args)
			if tc.file != "" {
				path := filepath.Join(t.TempDir(), "skysh.toml")
				if err := os.WriteFile(path, []byte(tc.file), 0o644); err != nil {
					t.Fatal(err)
				}
				opt := "-c"
				if strings.HasPrefix(tc.name, "--withconfig") {
					opt = "--withconfig"
				}
				args = append([]string{opt, path}, args...)
			}
			opts, err := parseFlags(args)
			if err != nil {
				t.Fatalf("parseFlags(%q): %v", args, err)
			}
			got, err := resolveSettings(opts)
			if err != nil {
				t.Fatalf("resolveSettings: %v", err)
			}
			if tc.file != "" {
				got.warning = strings.ReplaceAll(got.warning, args[1], "SKYSH.TOML")
			}
			if got != tc.want {
				t.Errorf("skysh %s with\n%s\ngot  %+v\nwant %+v", strings.Join(tc.args, " "), tc.file, got, tc.want)
			}
		})
	}
}
