package data_test

import (
	"testing"

	"skysh/data"
)

func TestKeyCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0 keys", 1: "1 key", 2: "2 keys", 1 << 40: "1099511627776 keys"} {
		if got := data.KeyCount(n); got != want {
			t.Errorf("KeyCount(%d) = %q, want %q", n, got, want)
		}
	}
	if got := data.KeyCount(uint64(1)); got != "1 key" {
		t.Errorf("KeyCount(uint64(1)) = %q", got)
	}
}
