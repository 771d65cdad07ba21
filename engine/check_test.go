package engine_test

import (
	"reflect"
	"testing"

	"skysh/engine"
)

// TestCheckAnswersAsExec: for every action at every argument count from 0 to
// 5, and for queries that name no action, Check refuses exactly the queries
// Exec refuses before running them, with the same answer, and lets the
// others through with the action's help. Another store relies on it to
// answer arity errors and unknown actions as the engine does.
func TestCheckAnswersAsExec(t *testing.T) {
	queries := [][]string{nil, {}, q("FOO"), q("GETX", "a"), q(""), q("\xff")}
	for _, info := range engine.Actions() {
		for n := 0; n <= 5; n++ {
			query := q(info.Name)
			for i := range n {
				query = append(query, string(rune('a'+i)))
			}
			queries = append(queries, query)
		}
	}
	refusals := 0
	for _, query := range queries {
		info, refused := engine.Check(query)
		got := newEngine(t).Exec(query)
		if refused != nil {
			refusals++
			if !reflect.DeepEqual(refused, got) {
				t.Errorf("Check(%s) refused with %s, Exec answers %s", fmtQuery(query), fmtResponse(refused), fmtResponse(got))
			}
			continue
		}
		if st, ok := got.(engine.Status); ok && (st.Code == engine.ActionError || st.Code == engine.PacketError) {
			t.Errorf("Check(%s) let it through, Exec answers %s", fmtQuery(query), fmtResponse(got))
		}
		if want, _ := engine.LookupAction(query[0]); info != want {
			t.Errorf("Check(%s) = %+v, want %+v", fmtQuery(query), info, want)
		}
	}
	if refusals == 0 || refusals == len(queries) {
		t.Fatalf("%d of %d queries refused: the table does not exercise both ways", refusals, len(queries))
	}
}

func TestSnapshotNames(t *testing.T) {
	for name, want := range map[string]bool{
		"before-migration": true, "a.b_c": true, "": false, "..": false, "a/b": false,
		".hidden": false, "a..b": false, "é": false,
	} {
		if got := engine.ValidSnapshotName(name); got != want {
			t.Errorf("ValidSnapshotName(%q) = %v, want %v", name, got, want)
		}
	}
}
