package data

import (
	"os"
	"strconv"
)

// openedPath is the path Linux knows for the open directory f: its own,
// wherever it has been renamed or moved to since it was opened.
func openedPath(f *os.File) (string, bool) {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	return p, err == nil
}
