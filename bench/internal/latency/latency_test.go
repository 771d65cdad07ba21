package latency_test

import (
	"testing"
	"time"

	"skysh/bench/internal/latency"
)

func TestPercentileNearestRank(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 1000; i++ {
		s = append(s, time.Duration(i))
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0, 1}, {50, 500}, {99, 990}, {99.9, 999}, {100, 1000}} {
		if got := latency.Percentile(s, c.p); got != c.want {
			t.Errorf("Percentile(1…1000, %v) = %d, want %d", c.p, got, c.want)
		}
	}
	if got := latency.Percentile(nil, 50); got != 0 {
		t.Errorf("Percentile(nil, 50) = %d, want 0", got)
	}
	if got := latency.Percentile([]time.Duration{7}, 99.9); got != 7 {
		t.Errorf("Percentile([7], 99.9) = %d, want 7", got)
	}
}
