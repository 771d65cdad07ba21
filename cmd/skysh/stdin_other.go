//go:build !linux

package main

import "os"

// stdinHasQueries reports whether stdin is a regular file with bytes that
// -e would leave unread; pipes cannot be asked here.
func stdinHasQueries() bool {
	fi, err := os.Stdin.Stat()
	return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}
