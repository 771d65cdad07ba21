package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"skysh/cluster/etcdurl"
	"skysh/data"
	"skysh/render"
	"skysh/transfer"
)

const copyUsage = `Usage: skysh copy [flags] SOURCE DESTINATION

Copies a whole store. Each side is one of:
  DIR                  a data directory (as a source it is read as skysh
                       would open it, data.bin and its journal, and locked
                       meanwhile; as a destination it is created if missing)
  FILE                 a snapshot file in skysh's format; a destination that
                       does not exist yet is a file when its name ends in
                       .snapshot or .bin, a data directory otherwise
  skytable06:FILE      a file in Skytable 0.6's data.bin format
  etcd://HOST:PORT[,HOST:PORT...]/KEYSPACE
                       a keyspace on an etcd cluster (etcds:// with TLS)

A destination that holds data is refused unless --force. Once written, the
destination is read back, and both sides are printed with their key count
and digest: the SHA-256 of the pairs in byte order of the keys, each as an
8-byte little-endian key length, the key, an 8-byte little-endian value
length and the value.

Flags:
      --force          replace a destination that holds data
      --resume         go on with an interrupted copy into an etcd keyspace,
                       after the largest key it holds (a file or a data
                       directory is written whole or not at all: run the
                       copy again instead)
      --user NAME      etcd user; the password comes from SKYSH_PASSWORD,
                       or is asked for at the terminal
      --cacert FILE    CA certificate for etcds://
      --cert FILE      client certificate for etcds://
      --key FILE       client key for etcds://
      --timeout D      longest wait for one request to etcd, e.g. 5s (the
                       default) or 500ms

Exit status: 0 when the destination matches the source; 1 when it does not,
or the copy failed or was refused; 2 for a mistake on the command line.
`

// copyStep, when set, is called after each pair handed to the destination:
// the tests stall a copy with it, to kill the process in the middle.
var copyStep func(copied int64)

// runCopy is `skysh copy [flags] SOURCE DESTINATION`.
func runCopy(args []string) int {
	o, from, to, err := parseCopyFlags(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Print(copyUsage)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "skysh copy: %v\nRun 'skysh copy --help' for usage.\n", err)
		return exitUsage
	}
	where := clusterSides(from, to)
	if where != "" {
		// A plain build hands a copy with an etcd side over to the build
		// with the etcd client, before anything is opened.
		if err := withEtcd(); err != nil {
			fmt.Fprintf(stderr, "skysh copy: %v\n", err)
			return exitFailed
		}
	}
	if where != "" && o.Cluster.User != "" {
		if o.Cluster.Password, err = password(o.Cluster.User, where); err != nil {
			fmt.Fprintf(stderr, "skysh copy: %v\n", err)
			return exitFailed
		}
	}
	if term.IsTerminal(int(os.Stderr.Fd())) {
		o.Progress = os.Stderr // it draws only its own text
	}
	o.Log = stderr
	o.Step = copyStep
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	stop := make(chan struct{})
	var sig os.Signal
	go func() {
		sig = <-signals
		close(stop)
	}()
	o.Stop = stop

	res, err := transfer.Copy(from, to, o)
	if res != nil {
		fmt.Printf("source:      %s  %s\n", res.Source, render.Printable(from))
		fmt.Printf("destination: %s  %s\n", res.Destination, render.Printable(to))
		if res.Kept > 0 {
			fmt.Fprintf(stderr, "skysh copy: resumed: %s copied before\n", data.KeyCount(res.Kept))
		}
	}
	switch {
	case err == nil:
		return exitOK
	case transfer.IsUsage(err):
		fmt.Fprintf(stderr, "skysh copy: %v\n", err)
		return exitUsage
	case errors.Is(err, transfer.ErrInterrupted):
		fmt.Fprintf(stderr, "skysh copy: %v\n", err)
		<-stop // sig is set before stop closes
		return 128 + int(sig.(syscall.Signal))
	}
	fmt.Fprintf(stderr, "skysh copy: %v\n", err)
	return exitFailed
}

// parseCopyFlags reads the command line of skysh copy.
func parseCopyFlags(args []string) (o transfer.Options, from, to string, err error) {
	fs := flag.NewFlagSet("skysh copy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.Force, "force", false, "")
	fs.BoolVar(&o.Resume, "resume", false, "")
	c := &o.Cluster
	connectionFlags(fs, &c.User, &c.CACert, &c.Cert, &c.Key, &c.Timeout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, "", "", errHelp
		}
		return o, "", "", flagError(err)
	}
	rest := fs.Args()
	switch {
	case len(rest) < 2:
		return o, "", "", errors.New("copy needs a source and a destination")
	case len(rest) > 2:
		return o, "", "", fmt.Errorf("unexpected argument %q after the source and the destination (flags go before them)", rest[2])
	}
	for _, side := range rest {
		if etcdurl.IsURL(side) {
			if _, err := etcdurl.Parse(side); err != nil {
				return o, "", "", err
			}
		}
	}
	if clusterSides(rest...) == "" {
		c := o.Cluster
		for _, f := range []struct {
			name string
			set  bool
		}{{"user", c.User != ""}, {"cacert", c.CACert != ""}, {"cert", c.Cert != ""}, {"key", c.Key != ""}, {"timeout", c.Timeout != 0}} {
			if f.set {
				return o, "", "", fmt.Errorf("--%s is for an etcd side, and neither %q nor %q is one", f.name, rest[0], rest[1])
			}
		}
	}
	return o, rest[0], rest[1], nil
}

// clusterSides names the sides that are etcd keyspaces, or is "".
func clusterSides(sides ...string) string {
	var names []string
	for _, s := range sides {
		if etcdurl.IsURL(s) {
			names = append(names, s)
		}
	}
	return strings.Join(names, " and ")
}
