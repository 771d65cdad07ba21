package transfer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// unknownCount is a source that does not say how many pairs it has, as a
// cluster does not.
type unknownCount struct{ *loaded }

func (unknownCount) Count() int64 { return -1 }

// TestUnknownCount: a file and a data directory are written from a source
// that does not tell its count before its pairs (a cluster), through a
// spool that leaves no file behind.
func TestUnknownCount(t *testing.T) {
	t.Parallel()
	src := &loaded{}
	for i := range 3000 {
		src.pairs = append(src.pairs, pair{fmt.Sprintf("k%05d", i), fmt.Sprintf("\x00%d\xff", i)})
	}
	src.pairs = append(src.pairs, pair{"", ""})
	src.sort()
	n := int64(len(src.pairs))
	tmp := t.TempDir()
	for _, to := range []string{filepath.Join(tmp, "x.snapshot"), filepath.Join(tmp, "dir")} {
		dst, err := parseSide(to, true)
		if err != nil {
			t.Fatal(err)
		}
		sink, err := dst.openSink(Options{})
		if err != nil {
			t.Fatal(err)
		}
		src := &loaded{slices.Clone(src.pairs)} // move lets it go
		res, err := move(unknownCount{src}, sink, side{spec: "test"}, dst, start{}, Options{})
		sink.Close()
		if err != nil || !res.Match() || res.Source.Keys != n {
			t.Fatalf("copy to %s: %v, %+v", to, err, res)
		}
	}
	var left []string
	filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if slices.Contains([]string{"x.snapshot", "dir", "data.bin", "skysh.lock", "snapshots", "remote"}, d.Name()) || path == tmp {
			return nil
		}
		left = append(left, path)
		return nil
	})
	if len(left) > 0 {
		t.Errorf("files left behind: %v", left)
	}
}
