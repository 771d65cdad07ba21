//go:build !linux

package data

import "os"

// openedPath is unknown where the system does not tell the path of an open
// file: Where then knows only the path the directory was opened at.
func openedPath(*os.File) (string, bool) { return "", false }
