package repl

import "testing"

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB",
		51_904_512: "49.5 MiB", 3 << 30: "3.0 GiB", 5 << 40: "5.0 TiB",
	} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestKeyCount: the greeting never says "-1 keys" for a store that cannot
// count them.
func TestKeyCount(t *testing.T) {
	for n, want := range map[int]string{
		-1: "an unknown number of keys", 0: "0 keys", 1: "1 key", 2: "2 keys",
	} {
		if got := keyCount(n); got != want {
			t.Errorf("keyCount(%d) = %q, want %q", n, got, want)
		}
	}
}
