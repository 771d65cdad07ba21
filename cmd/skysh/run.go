package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fatih/color"
	"golang.org/x/term"

	"skysh/backend"
	"skysh/engine"
	"skysh/render"
	"skysh/repl"
)

// stderr carries skysh's own messages. They may quote what the user typed
// on the command line or what the file system holds (paths, file names), so
// every line is escaped on its way: no message can drive the terminal. The
// shell's diagnostics escape their echoes themselves and use os.Stderr.
var stderr = render.Messages(os.Stderr)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1 // a query failed, skysh could not start, or data could not be saved
	exitUsage  = 2 // a mistake on the command line
)

// stopWriteGrace is how long a signal waits for the answers already made to
// be written before the final save goes ahead without them.
const stopWriteGrace = 2 * time.Second

// giveUpSignals is how many more interrupts make a failing final save give
// up and write a rescue copy instead.
const giveUpSignals = 3

// run is skysh from its arguments to its exit status.
func run(args []string) int {
	if len(args) > 0 && args[0] == "copy" {
		return runCopy(args[1:])
	}
	opts, err := parseFlags(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Print(usage)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "skysh: %v\nRun 'skysh --help' for usage.\n", err)
		return exitUsage
	}
	if opts.version {
		fmt.Printf("skysh %s (Skytable 0.6.2 actions)\n", version)
		return exitOK
	}

	conf, err := resolveSettings(opts)
	if err != nil {
		fmt.Fprintf(stderr, "skysh: %v\n", err)
		return exitFailed
	}
	if err := checkRemote(opts, conf.remote); err != nil {
		fmt.Fprintf(stderr, "skysh: %v\nRun 'skysh --help' for usage.\n", err)
		return exitUsage
	}
	if conf.remote.endpoint != "" {
		// Before anything is opened, touched or said: a plain build hands
		// the command line over to the build with the etcd client here,
		// which reads the configuration again.
		if err := withEtcd(); err != nil {
			fmt.Fprintf(stderr, "skysh: %v\n", err)
			return exitFailed
		}
	}
	if conf.warning != "" {
		fmt.Fprintf(stderr, "skysh: %s\n", conf.warning)
	}

	// With -e, stdin is not read: whether it is a terminal does not matter.
	interactive := len(opts.evals) == 0 && term.IsTerminal(int(os.Stdin.Fd()))
	stdoutTTY := term.IsTerminal(int(os.Stdout.Fd()))
	format, colour := outputForm(opts, stdoutTTY)
	// fatih/color decides NoColor once at init and shares it unsynchronised:
	// settle it here, before any goroutine starts.
	color.NoColor = !colour

	// A closed stdout (skysh … | head) must not kill skysh before its final
	// save: with SIGPIPE ignored, writes fail with EPIPE instead. Ignoring
	// it costs one system call; noting it with signal.Notify cost a round
	// trip to the runtime's signal thread at every start.
	signal.Ignore(syscall.SIGPIPE)
	signals := make(chan os.Signal, giveUpSignals+1)

	// BGSAVE may report before the shell exists; it reaches it through here.
	var shell atomic.Pointer[repl.Shell]
	remote := conf.remote.endpoint != ""
	onPoison := func(poisoned bool, reason string) {
		switch {
		case interactive:
			if sh := shell.Load(); sh != nil {
				sh.Redraw() // the prompt shows the state
			}
		case remote:
			announceClusterPoison(poisoned, reason)
		default:
			announcePoison(poisoned, reason)
		}
	}
	// The etcd client exists only with --endpoint: a local store starts
	// without it.
	var store backend.Store
	var sig os.Signal
	if remote {
		store, sig, err = openCluster(signals, conf.remote, opts.dataDir, onPoison)
	} else {
		store, sig, err = openEngine(signals, opts.dataDir, engine.Options{
			SaveEvery:  conf.saveEvery,
			SnapEvery:  conf.snapEvery,
			SnapKeep:   conf.snapKeep,
			NoFailsafe: !conf.failsafe,
			NoJournal:  conf.noJournal,
			Fsync:      conf.fsync,
			Restore:    opts.restore,
			Log:        stderr,
			OnPoison:   onPoison,
		})
	}
	if sig != nil {
		fmt.Fprintf(stderr, "skysh: %v while starting; nothing was loaded or acknowledged yet\n", sig)
		return 128 + int(sig.(syscall.Signal))
	}
	if err != nil {
		fmt.Fprintf(stderr, "skysh: %v\n", err)
		switch {
		case errors.Is(err, engine.ErrDataFile):
			fmt.Fprintf(stderr, "hint: skysh leaves the file as it is. Start from a snapshot with --restore FILE,\n"+
				"or move the file away to start with an empty store.\n")
		case errors.Is(err, engine.ErrJournalFile):
			fmt.Fprintf(stderr, "hint: skysh leaves the journal as it is: it holds acknowledged writes. Move the\n"+
				"journal-*.log files away to start from data.bin alone (losing those writes), or\n"+
				"start from a snapshot with --restore FILE.\n")
		case errors.Is(err, engine.ErrSnapshotFile):
			fmt.Fprintf(stderr, "hint: --restore takes a path relative to %s, such as remote/NAME.snapshot.\n",
				filepath.Join(opts.dataDir, "snapshots"))
		}
		return exitFailed
	}
	sh := repl.New(repl.Config{
		Store:  store,
		Out:    os.Stdout,
		Err:    os.Stderr,
		Format: format,
		Colour: colour,
		Bail:   opts.bail,
		Quiet:  opts.quiet,
	})
	shell.Store(sh)

	status := runShell(sh, opts, interactive, signals)
	if err := store.Close(countSignals(signals, giveUpSignals)); err != nil {
		return exitFailed
	}
	return status
}

// openEngine opens the engine while watching for signals: loading a large
// or slow data.bin can take long, and nothing has been acknowledged yet, so
// a signal ends start-up at once (sig is then the signal, and the engine,
// still opening, is left to the process's exit). The kernel releases the
// directory's lock with the process.
//
// The signals are noted for signals to receive while the engine starts to
// open: signal.Notify makes a round trip to the runtime's signal thread per
// signal, which would otherwise hold up every start by up to a
// millisecond. One that comes before that ends skysh as the system's
// default does, without the message; either way nothing is lost, as
// nothing has been acknowledged yet.
func openEngine(signals chan os.Signal, dir string, o engine.Options) (*engine.Engine, os.Signal, error) {
	type opened struct {
		eng *engine.Engine
		err error
	}
	done := make(chan opened, 1)
	go func() {
		eng, err := engine.Open(dir, o)
		done <- opened{eng, err}
	}()
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	select {
	case r := <-done:
		return r.eng, nil, r.err
	case sig := <-signals:
		return nil, sig, nil
	}
}

// runShell runs the shell in the mode the command line and stdin choose,
// until it ends or a signal stops it, and returns the exit status it earned.
func runShell(sh *repl.Shell, opts *options, interactive bool, signals <-chan os.Signal) int {
	done := make(chan error, 1)
	go func() {
		switch {
		case len(opts.evals) > 0:
			if stdinHasQueries() {
				fmt.Fprintln(stderr, "skysh: stdin is not read when -e is given; pipe the queries in without -e, or run a file with -e '!read FILE'")
			}
			done <- sh.RunEval(opts.evals)
		case interactive:
			err := sh.RunInteractive(repl.Terminal{Version: version, HistoryFile: historyFile(), NoPager: opts.noPager})
			if errors.Is(err, repl.ErrNoTerminal) {
				fmt.Fprintf(stderr, "skysh: %v; reading queries as a script\n", err)
				err = sh.RunBatch(os.Stdin)
			}
			done <- err
		default:
			done <- sh.RunBatch(os.Stdin)
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintf(stderr, "skysh: %v\n", err)
			return exitFailed
		}
	case sig := <-signals:
		// Stop returns as soon as no query runs, even if stdout is blocked:
		// the final save must not wait for a reader that stopped reading.
		// The answers so far are given a moment to go out.
		select {
		case <-sh.Stop():
		case <-time.After(stopWriteGrace):
		}
		return 128 + int(sig.(syscall.Signal))
	}
	if !interactive && sh.Failed() {
		return exitFailed
	}
	return exitOK
}

// countSignals returns a channel closed after n more signals, and says on
// stderr how many are still needed after each one: a final save that is
// retrying is giving the user time to fix things, and a signal the user
// sends should visibly count.
func countSignals(signals <-chan os.Signal, n int) <-chan struct{} {
	giveUp := make(chan struct{})
	go func() {
		for i := 1; i <= n; i++ {
			<-signals
			if i < n {
				fmt.Fprintf(stderr, "skysh: interrupt %d of %d: %d more to give up on saving and write a rescue copy instead\n", i, n, n-i)
			}
		}
		close(giveUp)
	}()
	return giveUp
}

// announcePoison tells a script's user on stderr each time the store starts
// or stops refusing writes.
func announcePoison(poisoned bool, reason string) {
	if poisoned {
		fmt.Fprintf(stderr, "skysh: store poisoned, writes are refused until a save succeeds: %s\n", reason)
		return
	}
	fmt.Fprintf(stderr, "skysh: store recovered, a save succeeded: writes are accepted again\n")
}

// outputForm picks the output format and whether to colour it: human with
// colour at a terminal, raw in a pipe, unless a flag says otherwise.
func outputForm(o *options, stdoutTTY bool) (render.Format, bool) {
	format := render.Raw
	switch {
	case o.json:
		format = render.JSON
	case o.csv:
		format = render.CSV
	case o.raw:
		format = render.Raw
	case o.pretty || stdoutTTY:
		format = render.Human
	}
	colour := format == render.Human && stdoutTTY && !o.noColor &&
		os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	return format, colour
}

// historyFile is where typed lines are kept: SKYSH_HISTFILE when set (empty
// turns history off), else ~/.skysh_history.
func historyFile() string {
	if path, ok := os.LookupEnv("SKYSH_HISTFILE"); ok {
		return path
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".skysh_history")
}
