package cluster_test

import (
	"strings"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestEveryActionRuns runs the help example of every action of the engine's
// table on the cluster: none may be missing from the cluster's actions.
// What each answers is the conformance table's to check (TestConformance).
func TestEveryActionRuns(t *testing.T) {
	s := open(t, etcdtest.Shared(t), cluster.Options{})
	for _, a := range engine.Actions() {
		query := strings.Fields(strings.ReplaceAll(a.Example, `"`, ""))
		if got := s.Exec(query); strings.Contains(detail(got), "not available on a cluster") || got == engine.Response(engine.ErrUnknownAction) {
			t.Errorf("%s = %s", fmtQuery(query), fmtResponse(got))
		}
	}
}
