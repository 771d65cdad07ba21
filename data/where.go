package data

import (
	"fmt"
	"os"
)

// Where returns a path that leads to the opened data directory now, for
// telling the user where a file written into it is: the path it was opened
// at while that still leads to it, or else, when it was renamed or moved,
// the path the system knows for it (where the system tells: Linux). The
// error says why there is none, such as a removed directory.
func (d *Dir) Where() (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return "", err
	}
	self, err := d.self.Stat()
	if err != nil {
		return "", fmt.Errorf("cannot find data directory %q: %w", d.path, err)
	}
	leadsHere := func(p string) bool {
		fi, err := os.Stat(p)
		return err == nil && os.SameFile(fi, self)
	}
	if leadsHere(d.path) {
		return d.path, nil
	}
	if p, ok := openedPath(d.self); ok && leadsHere(p) {
		return p, nil
	}
	return "", fmt.Errorf("the data directory %q has been moved while skysh ran, and skysh cannot tell where to", d.path)
}
