package repl

import (
	"fmt"
	"path/filepath"
)

// humanBytes shows a size for a person: 512 B, 1.5 KiB, 49.5 MiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	size, suffix := float64(n)/unit, "KiB"
	for _, next := range []string{"MiB", "GiB", "TiB", "PiB"} {
		if size < unit {
			break
		}
		size, suffix = size/unit, next
	}
	return fmt.Sprintf("%.1f %s", size, suffix)
}

// absolute is dir as an absolute path, so a person sees where the data is
// whatever directory skysh was started in; dir itself if that fails.
func absolute(dir string) string {
	if dir == "" {
		return dir
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
