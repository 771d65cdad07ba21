// Command timeit runs a command and writes its wall-clock time in seconds to
// a file. The command inherits timeit's stdin, stdout and stderr, so shell
// redirections apply to it:
//
//	timeit -t time.txt -- skysh -d DIR < sets.sky > /dev/null
//
// The clock starts just before the process is started and stops when it has
// exited; timeit exits with the command's status.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	out := flag.String("t", "", "file to write the elapsed seconds to (required)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: timeit -t FILE -- command [args...]")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	t0 := time.Now()
	err := cmd.Run()
	elapsed := time.Since(t0)
	if werr := os.WriteFile(*out, fmt.Appendf(nil, "%.6f\n", elapsed.Seconds()), 0o644); werr != nil {
		fmt.Fprintln(os.Stderr, "timeit:", werr)
		os.Exit(1)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.ExitCode())
	case err != nil:
		fmt.Fprintln(os.Stderr, "timeit:", err)
		os.Exit(1)
	}
}
