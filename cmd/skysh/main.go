// Command skysh is an interactive shell with an embedded key/value database
// that follows Skytable 0.6.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:]))
}
