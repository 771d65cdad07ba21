package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"skysh/engine"
)

// version is skysh's release.
const version = "0.1.0"

// options are the command line, parsed.
type options struct {
	dataDir string
	evals   []string
	json    bool
	raw     bool
	pretty  bool
	csv     bool
	noColor bool
	noPager bool
	quiet   bool
	bail    bool
	version bool

	config    string // -c: a TOML file of the settings below
	restore   string // -r: a snapshot to start from
	saveEvery int    // seconds between BGSAVEs
	noSave    bool
	snapEvery int // seconds between automatic snapshots
	snapKeep  int
	failsafe  boolValue
	noJournal bool
	fsync     engine.FsyncPolicy

	remote remoteSettings // --endpoint and the flags of a cluster

	// set names the flags given on the command line (long names), which
	// override the configuration file.
	set map[string]bool
}

// evalList collects repeated -e flags in order.
type evalList []string

func (e *evalList) String() string     { return strings.Join(*e, "; ") }
func (e *evalList) Set(v string) error { *e = append(*e, v); return nil }

// boolValue is a boolean flag that takes its value as the next argument
// (`--stop-write-on-fail false`), as Skytable's does, and also as `=false`.
type boolValue bool

func (b *boolValue) String() string { return strconv.FormatBool(bool(*b)) }
func (b *boolValue) Set(v string) error {
	parsed, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false, not %q", v)
	}
	*b = boolValue(parsed)
	return nil
}

const usage = `skysh — a shell with an embedded key/value database (Skytable 0.6 actions)

Usage:
  skysh [flags]                 interactive shell when stdin is a terminal
  skysh [flags] < script.sky    run a script: one query per line
  skysh [flags] -e QUERY ...    run the given queries and exit
  skysh copy [flags] SRC DST    copy a whole store between data directories,
                                snapshot files and etcd (skysh copy --help)

Flags:
  -d, --data DIR       data directory (default ./data); a Skytable 0.6 one is
                       opened as it is, its data.bin kept as
                       data.bin.skytable-0.6
  -e, --eval QUERY     run QUERY and exit; repeat for several, run in order
      --json           one line of JSON per query on stdout
      --raw            raw output: values bare, one array item per line
                       (the default when stdout is not a terminal)
      --pretty         human output with tables even when stdout is a pipe
      --csv            one RFC 4180 record per query (arrays as fields)
      --no-color       no colour (also when NO_COLOR is set)
      --no-pager       never page long answers at the prompt
      --bail           stop at the first query that fails
  -q, --quiet          print no answers, only failures (on stderr): for
                       replaying a large dump

Persistence:
  -S, --saveduration SECS
                       save to DIR/data.bin every SECS seconds when something
                       changed (default 120); skysh also saves when it exits
      --nosave         no periodic saves, only the one at exit
      --snapevery SECS write a snapshot to DIR/snapshots every SECS seconds
                       (default: no automatic snapshots)
      --snapkeep N     keep at most N automatic snapshots (0 keeps all)
      --stop-write-on-fail BOOL
                       refuse writes while snapshots fail (default true)
  -r, --restore FILE   start from a snapshot, e.g. 20261121-101500.snapshot or
                       remote/NAME.snapshot (relative to DIR/snapshots), or an
                       absolute path; the store it replaces is kept as
                       DIR/data.bin.before-restore-TIME
      --fsync POLICY   when the write journal reaches the disk: always (the
                       default: every write before its answer), everysec
                       (at most a second of writes lost in a power cut), or no
      --nojournal      no write journal: a crash loses the writes since the
                       last save, as in Skytable 0.6
  -c, --withconfig FILE
                       read settings from a TOML file; flags override it

Cluster (instead of a data directory; see scripts/etcd-cluster.sh):
      --endpoint URL   use a keyspace of an etcd v3 cluster:
                       etcd://HOST:PORT[,HOST:PORT...][/KEYSPACE] (default
                       keyspace: default), etcds://... for TLS; MKSNAP
                       exports into DIR/snapshots
      --user NAME      log in as NAME; the password comes from
                       SKYSH_PASSWORD, or is asked at the terminal
      --cacert FILE    CA certificate of the members (etcds://)
      --cert FILE, --key FILE
                       client certificate and key, if the cluster wants one
      --timeout D      longest wait for one query, e.g. 5s (the default) or
                       500ms; queries answer code 5 when it runs out

  -v, --version        print the version and exit
  -h, --help           this help (also: skysh help)

Environment:
  SKYSH_HISTFILE       history file (default ~/.skysh_history; empty: none)
  PAGER                pager for long answers at the prompt (default less -FRX)
  NO_COLOR             no colour, when set to anything
  SKYSH_PASSWORD       the password of --user

Configuration file (-c FILE, TOML; flags override it):
  [bgsave]   enabled = BOOL, every = SECS
  [snapshot] every = SECS, atmost = N, failsafe = BOOL
  [journal]  enabled = BOOL, fsync = "always" | "everysec" | "no"
  [remote]   endpoint = URL, user = NAME, cacert = FILE, cert = FILE,
             key = FILE, timeout = "5s" (never a password)
  [server], [ssl]  accepted from Skytable 0.6's skyd.toml, and ignored

Examples:
  skysh -e 'SET user:1 "Ada Lovelace"' -e 'GET user:1'
  printf 'SET a 1\nGET a\n' | skysh --json

Exit status: 0 when every query succeeded; 1 when a query failed to parse or
answered a code of 2 or more or an error string, or skysh could not start or
save; 2 for a mistake on the command line.
Type !help inside the shell for the list of actions.
`

// errHelp means -h was given: print usage, exit 0.
var errHelp = errors.New("help requested")

// shortNames maps short flags to the long names that options.set records.
var shortNames = map[string]string{"d": "data", "e": "eval", "S": "saveduration", "r": "restore", "c": "withconfig"}

// parseFlags reads the command line. Long flags take two dashes and short
// ones one, though Go's flag package accepts either.
func parseFlags(args []string) (*options, error) {
	o := &options{failsafe: true, set: map[string]bool{}}
	fs := flag.NewFlagSet("skysh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var evals evalList
	str := func(p *string, def string, names ...string) {
		for _, n := range names {
			fs.StringVar(p, n, def, "")
		}
	}
	integer := func(p *int, def int, names ...string) {
		for _, n := range names {
			fs.IntVar(p, n, def, "")
		}
	}
	str(&o.dataDir, "data", "d", "data")
	str(&o.restore, "", "r", "restore")
	str(&o.config, "", "c", "withconfig")
	fs.Var(&evals, "e", "")
	fs.Var(&evals, "eval", "")
	integer(&o.saveEvery, 120, "S", "saveduration")
	integer(&o.snapEvery, 0, "snapevery")
	integer(&o.snapKeep, 0, "snapkeep")
	fs.Var(&o.failsafe, "stop-write-on-fail", "")
	fs.BoolVar(&o.noSave, "nosave", false, "")
	fs.BoolVar(&o.noJournal, "nojournal", false, "")
	fs.Func("fsync", "", func(v string) (err error) {
		o.fsync, err = engine.ParseFsyncPolicy(v)
		return err
	})
	remoteFlags(fs, o)
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.raw, "raw", false, "")
	fs.BoolVar(&o.pretty, "pretty", false, "")
	fs.BoolVar(&o.csv, "csv", false, "")
	fs.BoolVar(&o.noColor, "no-color", false, "")
	fs.BoolVar(&o.noPager, "no-pager", false, "")
	fs.BoolVar(&o.bail, "bail", false, "")
	fs.BoolVar(&o.quiet, "quiet", false, "")
	fs.BoolVar(&o.quiet, "q", false, "")
	fs.BoolVar(&o.version, "version", false, "")
	fs.BoolVar(&o.version, "v", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		return nil, flagError(err)
	}
	fs.Visit(func(f *flag.Flag) {
		name := f.Name
		if long, ok := shortNames[name]; ok {
			name = long
		}
		o.set[name] = true
	})
	o.evals = evals
	return o, o.check(fs.Args())
}

// flagError says what the flag package found wrong with the names the user
// typed: it names every flag with one dash (-data), where skysh's long
// flags take two (--data).
func flagError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("unknown flag %s", dashed(name))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("flag needs an argument: %s", dashed(name))
	}
	// invalid value "no" for flag -stop-write-on-fail: want true or false, not "no"
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		why := m[3]
		if why == "parse error" || strings.HasSuffix(why, "value out of range") {
			why = "want a whole number of seconds or a count"
		}
		return fmt.Errorf("%s: invalid value %s: %s", dashed(m[2]), m[1], why)
	}
	return err
}

var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]+): (.*)$`)

// dashed is a flag's name as typed: -d, --data.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// check rejects combinations and values that cannot work.
func (o *options) check(rest []string) error {
	if len(rest) == 1 && rest[0] == "help" {
		return errHelp // skysh help, as git and go take it
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q (queries go after -e, or on stdin)", rest[0])
	}
	n := 0
	for _, set := range []bool{o.json, o.raw, o.pretty, o.csv} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return errors.New("choose one of --json, --raw, --pretty and --csv")
	case o.dataDir == "":
		return errors.New("--data needs a directory")
	case o.set["saveduration"] && o.saveEvery <= 0:
		return fmt.Errorf("--saveduration must be a positive number of seconds, not %d", o.saveEvery)
	case o.set["snapevery"] && o.snapEvery <= 0:
		return fmt.Errorf("--snapevery must be a positive number of seconds, not %d", o.snapEvery)
	case int64(o.saveEvery) > maxIntervalSecs:
		return fmt.Errorf("--saveduration must be at most %d seconds, not %d", maxIntervalSecs, o.saveEvery)
	case int64(o.snapEvery) > maxIntervalSecs:
		return fmt.Errorf("--snapevery must be at most %d seconds, not %d", maxIntervalSecs, o.snapEvery)
	case o.snapKeep < 0:
		return fmt.Errorf("--snapkeep must be 0 (keep all) or a positive number, not %d", o.snapKeep)
	case o.set["saveduration"] && o.noSave:
		return errors.New("choose one of --saveduration and --nosave")
	case o.set["fsync"] && o.noJournal:
		return errors.New("choose one of --fsync and --nojournal")
	}
	return nil
}
