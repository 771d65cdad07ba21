package conformance

import "testing"

// TestCaseNamesAreUnique: a backend's failure names the case, and -run
// selects cases by name, so no two may share one.
func TestCaseNamesAreUnique(t *testing.T) {
	seen := make(map[string]bool)
	for _, c := range Cases() {
		if seen[c.Name] {
			t.Errorf("two cases are named %q", c.Name)
		}
		seen[c.Name] = true
	}
}
