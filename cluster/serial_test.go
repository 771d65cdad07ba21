package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// A history of two shells writing the same keys through ExecBatch is
// checked against every serial order of their queries that keeps each
// shell's own order: one must give every answer they got and the store
// they left. The shared keys come in groups, and every query on them names
// a whole group (in any order, some keys twice); each query is one step on
// the store, so each group is at any moment absent or holds one tag, the
// value of the last query that wrote it: all keys or none.

// serialGroups is how many groups of shared keys there are (at most 3: a
// state of the store is 2 bits a group in 64); each holds keys that are
// prefixes of one another.
const serialGroups = 3

func groupKeys(g int) []string {
	k := "g" + strconv.Itoa(g)
	return []string{k, k + "/x", k + "\xff", k + "/"}
}

// groupOp is a query on a whole group, and its answer.
type groupOp struct {
	round  int    // both shells end a round before either starts the next
	action string // one of groupActions
	group  int
	keys   []string // as the query names them: every key of the group, maybe one twice
	tag    string   // the value a write writes
	answer engine.Response
}

// groupActions are the actions a query on a whole group takes: each
// writes, deletes or reads all the group's keys or none.
var groupActions = []string{"SSET", "SUPDATE", "SDEL", "MGET", "USET", "MSET", "MUPDATE", "DEL", "POP"}

// pairs says whether the action takes key value pairs.
func (op groupOp) pairs() bool {
	switch op.action {
	case "SSET", "SUPDATE", "USET", "MSET", "MUPDATE":
		return true
	}
	return false
}

// What a query on a group does to it.
const (
	keeps = iota
	writes
	removes
)

// outcome is the answer op gets and what it does to its group when the
// group holds tag ("" when it is absent).
func (op groupOp) outcome(tag string) (engine.Response, int) {
	present := tag != ""
	n := len(op.keys) // with a key named twice, one more than the group
	okay, nilCode := engine.Status{Code: engine.Okay}, engine.Status{Code: engine.Nil}
	switch op.action {
	case "SSET":
		if present {
			return engine.Status{Code: engine.OverwriteError}, keeps
		}
		return okay, writes
	case "SUPDATE":
		if !present {
			return nilCode, keeps
		}
		return okay, writes
	case "SDEL":
		if !present {
			return nilCode, keeps
		}
		return okay, removes
	case "USET":
		return engine.Int(n), writes
	case "MSET":
		if present {
			return engine.Int(0), keeps
		}
		return engine.Int(len(groupKeys(op.group))), writes
	case "MUPDATE":
		if !present {
			return engine.Int(0), keeps
		}
		return engine.Int(n), writes
	case "DEL":
		if !present {
			return engine.Int(0), keeps
		}
		return engine.Int(len(groupKeys(op.group))), removes
	}
	// MGET and POP: the value of each key named; POP finds a key named
	// again already gone.
	out := make(engine.Array, n)
	seen := map[string]bool{}
	for i, k := range op.keys {
		out[i] = nilCode
		if present && !(op.action == "POP" && seen[k]) {
			out[i] = engine.String(tag)
		}
		seen[k] = true
	}
	if op.action == "POP" && present {
		return out, removes
	}
	return out, keeps
}

// wrote says whether op wrote its tag, from its answer alone (the check
// of the answer against the group's state is outcome's).
func (op groupOp) wrote() bool {
	switch op.action {
	case "SSET", "SUPDATE":
		return sameResponse(op.answer, engine.Status{Code: engine.Okay})
	case "USET", "MSET", "MUPDATE":
		n, ok := op.answer.(engine.Int)
		return ok && n > 0
	}
	return false
}

// serialScript is one shell's queries of one round: queries on whole
// groups, among queries on keys of the shell's own (whose answers its own
// engine knows), so that runs of queries share transactions and guess
// wrong. ops are the group queries, in order; at holds where each is.
func serialScript(r *rand.Rand, shell, round int) (script [][]string, ops []groupOp, at []int) {
	for i := range 6 + r.IntN(20) {
		if r.IntN(3) == 0 {
			own := fmt.Sprintf("own%d-%d", shell, r.IntN(4))
			v := fmt.Sprintf("%d.%d", round, i)
			script = append(script, [][]string{{"SET", own, v}, {"UPDATE", own, v}, {"DEL", own},
				{"GET", own}, {"USET", own, v}, {"SSET", own, v}}[r.IntN(6)])
			continue
		}
		op := groupOp{round: round, action: groupActions[r.IntN(len(groupActions))], group: r.IntN(serialGroups),
			tag: fmt.Sprintf("s%d-r%d-q%d", shell, round, i)}
		op.keys = groupKeys(op.group)
		r.Shuffle(len(op.keys), func(i, j int) { op.keys[i], op.keys[j] = op.keys[j], op.keys[i] })
		if r.IntN(3) == 0 {
			op.keys = append(op.keys, op.keys[r.IntN(len(op.keys))])
		}
		q := []string{op.action}
		for _, k := range op.keys {
			q = append(q, k)
			if op.pairs() {
				q = append(q, op.tag)
			}
		}
		ops, at = append(ops, op), append(at, len(script))
		script = append(script, q)
	}
	return script, ops, at
}

// TestConcurrentBatchesAreSerializable: two shells run random batches at
// the same moment (the second now and then one query at a time; a third
// reads), round after round, on shared groups of keys; their
// answers and the store they leave must come from some serial order of
// their queries (see serialOrderExists), and each one's answers on its own
// keys must be its engine's. A long run takes SKYSH_DIFF_SEQUENCES/10
// rounds, from seed SKYSH_DIFF_FIRST.
func TestConcurrentBatchesAreSerializable(t *testing.T) {
	rounds := max(40, envCount(t, diffSequencesEnv, 0)/10)
	first := envCount(t, diffFirstEnv, 0)
	c := etcdtest.Shared(t)
	url := c.URL(keyspaceFor(t))
	shells := [2]*cluster.Store{openURL(t, url, cluster.Options{}), openURL(t, url, cluster.Options{})}
	own := [2]*engine.Engine{engine.New(), engine.New()} // each shell's own keys
	// A third shell only reads whole groups meanwhile, with a limit of
	// operations below a group's keys: it reads each in two transactions
	// at one revision, and must never see one half written.
	reader := openURL(t, url, cluster.Options{MaxTxnOps: len(groupKeys(0)) - 1})
	var history [2][]groupOp
	for round := range rounds {
		var wg sync.WaitGroup
		var start sync.WaitGroup
		start.Add(1)
		for i, s := range shells {
			r := rand.New(rand.NewPCG(uint64(first+round), uint64(i)))
			script, ops, at := serialScript(r, i, round)
			// Now and then the second shell runs its queries one by one.
			oneByOne := i == 1 && round%4 == 3
			wg.Go(func() {
				start.Wait()
				var got []engine.Response
				if oneByOne {
					for _, query := range script {
						got = append(got, s.Exec(query))
					}
				} else {
					got = s.ExecBatch(script)
				}
				for j, k := range at {
					ops[j].answer = got[k]
				}
				for j, query := range script {
					if slices.Contains(at, j) {
						continue
					}
					if want := own[i].Exec(query); !sameResponse(got[j], want) {
						t.Errorf("round %d, shell %d, query %d %s = %s, its engine %s", round, i, j, fmtQuery(query),
							fmtResponse(got[j]), fmtResponse(want))
					}
				}
				history[i] = append(history[i], ops...)
			})
		}
		wg.Go(func() {
			start.Wait()
			for g := range serialGroups {
				if got := reader.Exec(append([]string{"MGET"}, groupKeys(g)...)); !isGroupValue(got) {
					t.Errorf("round %d: a read of group %d in two transactions = %s", round, g, fmtResponse(got))
				}
			}
		})
		start.Done()
		wg.Wait()
	}
	final := make([]string, serialGroups) // "" for absent
	for g := range serialGroups {
		got := shells[0].Exec(append([]string{"MGET"}, groupKeys(g)...))
		v, ok := groupValue(got)
		if !ok {
			t.Fatalf("group %d ends half written: %s", g, fmtResponse(got))
		}
		final[g] = v
	}
	if err := serialOrderExists(history, final); err != nil {
		t.Fatal(err)
	}
}

func isGroupValue(r engine.Response) bool {
	_, ok := groupValue(r)
	return ok
}

// groupValue reads an MGET of a whole group: its tag, "" when every key
// is missing; ok is false when the keys hold different things.
func groupValue(r engine.Response) (tag string, ok bool) {
	arr, isArr := r.(engine.Array)
	if !isArr || len(arr) == 0 {
		return "", false
	}
	missing := 0
	for _, item := range arr {
		switch v := item.(type) {
		case engine.String:
			if v == "" || tag != "" && string(v) != tag {
				return "", false
			}
			tag = string(v)
		case engine.Status:
			if v.Code != engine.Nil {
				return "", false
			}
			missing++
		default:
			return "", false
		}
	}
	return tag, missing == 0 || missing == len(arr)
}

// serialOrderExists says why no interleaving of the two shells' group
// queries, each shell's in its order and round by round, gives every
// answer they got and ends with final (each group's tag, "" for absent),
// or returns nil.
//
// It walks, round by round, the grid of how far each shell has got,
// keeping the states the store may be in at each point. A group's value at a point is the tag of
// the last write to it, and the last write of a shell there is known: a
// state is, per group, absent or which shell wrote it last (2 bits).
func serialOrderExists(history [2][]groupOp, final []string) error {
	n := [2]int{len(history[0]), len(history[1])}
	// lastTag[s][i][g] is shell s's last tag written to g in its first i ops.
	var lastTag [2][][]string
	// done[s][r] is how many ops shell s has in rounds before r.
	var done [2][]int
	for s := range history {
		lastTag[s] = make([][]string, n[s]+1)
		lastTag[s][0] = make([]string, serialGroups)
		for i, op := range history[s] {
			row := append([]string(nil), lastTag[s][i]...)
			if op.wrote() {
				row[op.group] = op.tag
			}
			lastTag[s][i+1] = row
			for len(done[s]) <= op.round {
				done[s] = append(done[s], i)
			}
		}
	}
	// startOf is where shell s's round r starts, n[s] after its last.
	startOf := func(s, r int) int {
		if r < len(done[s]) {
			return done[s][r]
		}
		return n[s]
	}
	// A state is 2 bits per group. step applies shell s's op at position
	// pos[s] to st; ok is false when its answer cannot come from st.
	type state uint
	step := func(st state, s int, pos [2]int) (state, bool) {
		op := history[s][pos[s]]
		shift := 2 * op.group
		holder := int(st>>shift) & 3 // 0 absent, 1+shell that wrote it last
		tag := ""
		if holder != 0 {
			tag = lastTag[holder-1][pos[holder-1]][op.group]
		}
		want, effect := op.outcome(tag)
		if !sameResponse(op.answer, want) {
			return st, false
		}
		switch effect {
		case writes:
			return st&^(3<<shift) | state(s+1)<<shift, true
		case removes:
			return st &^ (3 << shift), true
		}
		return st, true
	}
	// Round by round, reach[i][j] has bit st set when the store may be in
	// state st once the shells have run i and j queries of the round.
	states := uint64(1) // at the start of the round; every group absent
	for r := range max(len(done[0]), len(done[1])) {
		b := [2]int{startOf(0, r), startOf(1, r)}
		e := [2]int{startOf(0, r+1), startOf(1, r+1)}
		reach := make([][]uint64, e[0]-b[0]+1)
		for i := range reach {
			reach[i] = make([]uint64, e[1]-b[1]+1)
		}
		reach[0][0] = states
		for i := range reach {
			for j := range reach[i] {
				for st := state(0); st < 64; st++ {
					if reach[i][j]&(1<<st) == 0 {
						continue
					}
					pos := [2]int{b[0] + i, b[1] + j}
					if pos[0] < e[0] {
						if next, ok := step(st, 0, pos); ok {
							reach[i+1][j] |= 1 << next
						}
					}
					if pos[1] < e[1] {
						if next, ok := step(st, 1, pos); ok {
							reach[i][j+1] |= 1 << next
						}
					}
				}
			}
		}
		if states = reach[e[0]-b[0]][e[1]-b[1]]; states == 0 {
			return fmt.Errorf("no serial order of the shells' queries gives their answers by the end of round %d; its queries:\n%s\n%s",
				r, fmtOps(history[0][b[0]:e[0]]), fmtOps(history[1][b[1]:e[1]]))
		}
	}
	for st := state(0); st < 64; st++ {
		if states&(1<<st) == 0 {
			continue
		}
		match := true
		for g := range serialGroups {
			holder := int(st>>(2*g)) & 3
			tag := ""
			if holder != 0 {
				tag = lastTag[holder-1][n[holder-1]][g]
			}
			match = match && tag == final[g]
		}
		if match {
			return nil
		}
	}
	return fmt.Errorf("no serial order of the shells' queries leaves the store they left (%q)", final)
}

func okay(r engine.Response) bool {
	return sameResponse(r, engine.Status{Code: engine.Okay})
}

func fmtOps(ops []groupOp) string {
	var out string
	for i, op := range ops {
		out += fmt.Sprintf("%3d r%d %s g%d %s = %s\n", i, op.round, op.action, op.group, op.tag, fmtResponse(op.answer))
	}
	return out
}

// TestSerialOrderExists: the check finds the histories no serial order
// explains, each shell's own order kept, and accepts the others.
func TestSerialOrderExists(t *testing.T) {
	ok, over, nilCode := engine.Status{Code: engine.Okay}, engine.Status{Code: engine.OverwriteError}, engine.Status{Code: engine.Nil}
	// op is a query on every key of group g, once each.
	op := func(round int, action string, g int, tag string, answer engine.Response) groupOp {
		return groupOp{round, action, g, groupKeys(g), tag, answer}
	}
	read := func(tag string) engine.Response {
		out := engine.Array{nilCode, nilCode, nilCode, nilCode}
		for i := range out {
			if tag != "" {
				out[i] = engine.String(tag)
			}
		}
		return out
	}
	popTwice := op(0, "POP", 0, "", engine.Array{engine.String("x"), engine.String("x"), engine.String("x"), engine.String("x"), nilCode})
	popTwice.keys = append(popTwice.keys, popTwice.keys[0])
	for _, tc := range []struct {
		name    string
		history [2][]groupOp
		final   []string
		fine    bool
	}{
		{"one shell", [2][]groupOp{{op(0, "SSET", 0, "x", ok), op(0, "MGET", 0, "", read("x")), op(0, "SUPDATE", 0, "y", ok)}},
			[]string{"y", "", ""}, true},
		{"second SSET loses", [2][]groupOp{{op(0, "SSET", 0, "x", ok)}, {op(0, "SSET", 0, "y", over)}}, []string{"x", "", ""}, true},
		{"both SSETs win", [2][]groupOp{{op(0, "SSET", 0, "x", ok)}, {op(0, "SSET", 0, "y", ok)}}, []string{"y", "", ""}, false},
		{"final from the loser", [2][]groupOp{{op(0, "SSET", 0, "x", ok)}, {op(0, "SSET", 0, "y", over)}}, []string{"y", "", ""}, false},
		{"deleted between", [2][]groupOp{{op(0, "SSET", 0, "x", ok), op(0, "SSET", 0, "z", ok)}, {op(0, "SDEL", 0, "", ok)}},
			[]string{"z", "", ""}, true},
		{"read of a value never written", [2][]groupOp{{op(0, "MGET", 0, "", read("x"))}, nil}, []string{"", "", ""}, false},
		{"half a group", [2][]groupOp{{op(0, "SSET", 0, "x", ok), op(0, "MGET", 0, "", engine.Array{engine.String("x"), nilCode, nilCode, nilCode})}},
			[]string{"x", "", ""}, false},
		{"MSET creates, USET and MUPDATE replace, POP empties", [2][]groupOp{
			{op(0, "MSET", 0, "x", engine.Int(4)), op(0, "MUPDATE", 0, "y", engine.Int(4)), op(0, "POP", 0, "", read("z"))},
			{op(0, "USET", 0, "z", engine.Int(4)), op(0, "MSET", 0, "w", engine.Int(0)), op(0, "DEL", 0, "", engine.Int(0))},
		}, []string{"", "", ""}, true},
		{"MSET on a written group", [2][]groupOp{{op(0, "USET", 0, "x", engine.Int(4)), op(0, "MSET", 0, "y", engine.Int(4))}},
			[]string{"y", "", ""}, false},
		{"POP a key twice", [2][]groupOp{{op(0, "SSET", 0, "x", ok), popTwice}}, []string{"", "", ""}, true},
		{"a read a round later sees the write", [2][]groupOp{{op(0, "SSET", 0, "x", ok)}, {op(1, "MGET", 0, "", read("x"))}},
			[]string{"x", "", ""}, true},
		{"a read a round later misses the write", [2][]groupOp{{op(0, "SSET", 0, "x", ok)}, {op(1, "MGET", 0, "", read(""))}},
			[]string{"x", "", ""}, false},
		// Shell 0 answers its second query as of before shell 1's
		// queries and makes its first after them: each shell alone is
		// fine, together they make a cycle.
		{"answered out of order", [2][]groupOp{
			{op(0, "SSET", 1, "a", ok), op(0, "SSET", 0, "b", over)},
			{op(0, "SSET", 0, "pre", ok), op(0, "SDEL", 0, "", ok), op(0, "MGET", 1, "", read(""))},
		}, []string{"", "a", ""}, false},
	} {
		if err := serialOrderExists(tc.history, tc.final); (err == nil) != tc.fine {
			t.Errorf("%s: serialOrderExists = %v, want fine %v", tc.name, err, tc.fine)
		}
	}
}

// TestExecBatchDecidesARunAtOneRevision: a run of a batch whose guess
// fails reads which keys exist; another shell then writes one of them and
// reads another before the run writes. Every query of the run must be
// decided as of the transaction that writes: SUPDATE k1, after SSET k2 in
// the script, cannot answer that k1 is missing as of a read from before
// the other shell's GET k2 saw k2 missing, while SSET k2 was made after.
func TestExecBatchDecidesARunAtOneRevision(t *testing.T) {
	c := etcdtest.Shared(t)
	url := c.URL(keyspaceFor(t))
	s, other := openURL(t, url, cluster.Options{}), openURL(t, url, cluster.Options{})
	var once sync.Once
	s.AfterCommit(func(succeeded bool) {
		if !succeeded {
			once.Do(func() {
				mustRun(t, other, engine.Int(1), "USET", "k1", "other")
				mustRun(t, other, engine.Status{Code: engine.Nil}, "GET", "k2")
			})
		}
	})
	got := s.ExecBatch([][]string{q("SSET", "k2", "mine"), q("SUPDATE", "k1", "mine")})
	want := []engine.Response{engine.Status{Code: engine.Okay}, engine.Status{Code: engine.Okay}}
	if !slices.EqualFunc(got, want, sameResponse) {
		t.Errorf("SSET k2, SUPDATE k1 = %s, %s; want %s, %s: k1 was there before k2 was set",
			fmtResponse(got[0]), fmtResponse(got[1]), fmtResponse(want[0]), fmtResponse(want[1]))
	}
	if got, want := contents(t, s), [][2]string{{"k1", "mine"}, {"k2", "mine"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("the keyspace holds %q, want %q", got, want)
	}
}
