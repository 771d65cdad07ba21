// Package latency holds what the benchmark helpers under bench/ share to
// summarise the round trips they time.
package latency

import "time"

// Percentile is the p-th percentile (0–100) of the sorted s, by nearest
// rank; 0 for an empty s.
func Percentile(s []time.Duration, p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
