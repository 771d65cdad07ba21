package repl_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"skysh/engine"
	"skysh/render"
	"skysh/repl"
)

// groupingStore is a Batcher over the local engine that records the groups
// it is handed; it answers each query as Exec does, so any difference in
// the shell's output comes from how the shell groups and answers.
type groupingStore struct {
	*engine.Engine
	groups [][]string // the action names of each group
}

func (g *groupingStore) ExecBatch(queries [][]string) []engine.Response {
	names := make([]string, len(queries))
	answers := make([]engine.Response, len(queries))
	for i, q := range queries {
		names[i] = q[0]
		answers[i] = g.Exec(slices.Clone(q))
	}
	g.groups = append(g.groups, names)
	return answers
}

// groupScript mixes queries with what must run alone: shell commands, a
// line that does not parse, an unknown action, a failing query, exit.
const groupScript = `SET a 1
SET b 2
GET a
!mode json
SETT x 1
SET a 3
MGET a b
"unclosed
DEL a
EXISTS a b
# a comment: left out, it ends no run
POP b
DBSIZE
exit
GET b
`

// runBatchScript runs script through a shell made from cfg and returns
// stdout, stderr and whether the run failed.
func runBatchScript(t *testing.T, cfg repl.Config, script string) (string, string, bool) {
	t.Helper()
	var out, errs bytes.Buffer
	cfg.Out, cfg.Err = &out, &errs
	sh := repl.New(cfg)
	if err := sh.RunBatch(strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	return out.String(), errs.String(), sh.Failed()
}

// TestBatchGroupsAnswerAsOneByOne: a store that takes groups of queries
// gets runs of queries only, and the shell's output, diagnostics and exit
// status are byte for byte those of the same script run one query at a
// time.
func TestBatchGroupsAnswerAsOneByOne(t *testing.T) {
	for _, form := range []render.Format{render.Raw, render.Human, render.JSON, render.CSV} {
		alone := engine.New()
		wantOut, wantErr, wantFailed := runBatchScript(t, repl.Config{Store: alone, Format: form}, groupScript)

		g := &groupingStore{Engine: engine.New()}
		gotOut, gotErr, gotFailed := runBatchScript(t, repl.Config{Store: g, Format: form}, groupScript)
		if gotOut != wantOut || gotErr != wantErr || gotFailed != wantFailed {
			t.Errorf("form %v grouped:\nstdout %q\nstderr %q\nfailed %v\none by one:\nstdout %q\nstderr %q\nfailed %v",
				form, gotOut, gotErr, gotFailed, wantOut, wantErr, wantFailed)
		}
		want := [][]string{{"SET", "SET", "GET"}, {"SET", "MGET"}, {"DEL", "EXISTS", "POP", "DBSIZE"}}
		if !slices.EqualFunc(g.groups, want, slices.Equal) {
			t.Errorf("form %v: groups %q, want %q", form, g.groups, want)
		}
	}
}

// TestBatchGroupsNotWithBailOrTimer: with --bail no query may run after
// one that failed, and !timer times each query: both run one by one.
func TestBatchGroupsNotWithBailOrTimer(t *testing.T) {
	g := &groupingStore{Engine: engine.New()}
	runBatchScript(t, repl.Config{Store: g, Format: render.Raw, Bail: true}, "SET a 1\nSET a 2\nGET a\n")
	g2 := &groupingStore{Engine: engine.New()}
	runBatchScript(t, repl.Config{Store: g2, Format: render.Raw}, "!timer on\nSET a 1\nGET a\n")
	if len(g.groups)+len(g2.groups) != 0 {
		t.Errorf("groups with --bail %q, with !timer %q; want none", g.groups, g2.groups)
	}
}
