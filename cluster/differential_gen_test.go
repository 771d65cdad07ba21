package cluster_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// diffKeys is the alphabet the differential scripts draw keys from: keys
// that are prefixes of one another, the empty key (the keyspace's prefix
// itself on a cluster), NUL and the highest bytes, a separator, and keys
// that spell another keyspace's prefix. Each script uses a few of them,
// so that its queries keep meeting the same keys.
var diffKeys = []string{
	"a", "ab", "abc", "a\x00", "a/", "b",
	"", "\x00", "\xff", "\xff\xff", "k\x00\xff\xfe",
	"/", "0", "skysh/", "/x", "../neighbour0/a",
}

// diffValues are the values a script writes besides numbered ones, which
// tell which write left a value: empty, binary, and longer ones.
var diffValues = []string{"", "\x00", "\xff\x00v", "héllo", strings.Repeat("v", 300)}

// lskeysCounts are LSKEYS counts, good and bad.
var lskeysCounts = []string{"0", "1", "2", "3", "5", "10", "100", "01", "2147483647",
	"2147483648", "-1", "+1", "x", "", " 1", "1.0"}

// scriptGen makes random scripts from a seed.
type scriptGen struct {
	r    *rand.Rand
	keys []string // this script's keys
	n    int      // values written so far, to number them
}

// diffScript is the script of a seed: up to max queries of every action,
// over a few keys of diffKeys.
func diffScript(seed uint64, max int) [][]string {
	g := newScriptGen(seed)
	return g.script(1 + g.r.IntN(max))
}

// newScriptGen is the generator of a seed, with a few keys of diffKeys.
func newScriptGen(seed uint64) *scriptGen {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	g := &scriptGen{r: r}
	for _, i := range r.Perm(len(diffKeys))[:2+r.IntN(5)] {
		g.keys = append(g.keys, diffKeys[i])
	}
	return g
}

// script is n random queries.
func (g *scriptGen) script(n int) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = g.query()
	}
	return out
}

func (g *scriptGen) key() string { return g.keys[g.r.IntN(len(g.keys))] }

func (g *scriptGen) value() string {
	if g.r.IntN(5) == 0 {
		return diffValues[g.r.IntN(len(diffValues))]
	}
	g.n++
	return "v" + strconv.Itoa(g.n)
}

// count is how many keys or pairs a multi-key query names: mostly a few,
// sometimes many more than the script has keys, so that repeats and
// queries longer than a transaction of distinct keys holds both come.
func (g *scriptGen) count() int {
	if g.r.IntN(20) == 0 {
		return 60 + g.r.IntN(150)
	}
	return 1 + g.r.IntN(4)
}

func (g *scriptGen) keyArgs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.key()
	}
	return out
}

// readArgs are the keys of a read: sometimes more distinct keys than a
// transaction holds (the script's own among them), which a cluster reads
// in several at one revision.
func (g *scriptGen) readArgs() []string {
	if g.r.IntN(15) > 0 {
		return g.keyArgs(g.count())
	}
	out := g.keyArgs(3)
	for i := range 130 + g.r.IntN(20) {
		out = append(out, "wide"+strconv.Itoa(i))
	}
	g.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func (g *scriptGen) pairArgs(n int) []string {
	out := make([]string, 0, 2*n)
	for range n {
		out = append(out, g.key(), g.value())
	}
	return out
}

// name is an action's name in upper, lower or mixed case.
func (g *scriptGen) name(action string) string {
	switch g.r.IntN(8) {
	case 0:
		return strings.ToLower(action)
	case 1:
		b := []byte(action)
		for i := range b {
			if g.r.IntN(2) == 0 {
				b[i] |= 0x20
			}
		}
		return string(b)
	}
	return action
}

// query is one random query; about one in twelve has a wrong number of
// arguments.
func (g *scriptGen) query() []string {
	bad := g.r.IntN(12) == 0
	var action string
	var args []string
	switch g.r.IntN(23) {
	case 0, 1:
		action, args = "SET", []string{g.key(), g.value()}
	case 2, 3:
		action, args = "GET", []string{g.key()}
	case 4:
		action, args = "UPDATE", []string{g.key(), g.value()}
	case 5:
		action, args = "USET", g.pairArgs(g.count())
		if g.r.IntN(4) == 0 {
			args = append(args, "wide"+strconv.Itoa(g.r.IntN(150)), g.value())
		}
	case 6:
		action, args = "DEL", g.keyArgs(g.count())
	case 7:
		action, args = "EXISTS", g.readArgs()
	case 8:
		action, args = "MGET", g.readArgs()
	case 9:
		action, args = "MSET", g.pairArgs(g.count())
	case 10:
		action, args = "MUPDATE", g.pairArgs(g.count())
	case 11, 12:
		action, args = "SSET", g.pairArgs(g.count())
	case 13:
		action, args = "SUPDATE", g.pairArgs(g.count())
	case 14:
		action, args = "SDEL", g.keyArgs(g.count())
	case 15:
		action, args = "POP", g.keyArgs(g.count())
	case 16:
		action, args = "KEYLEN", []string{g.key()}
	case 17:
		action = "DBSIZE"
	case 18:
		action = "FLUSHDB"
		if g.r.IntN(3) > 0 {
			action = "DBSIZE" // a FLUSHDB in every script would leave little to compare
		}
	case 19:
		action = "LSKEYS"
		if g.r.IntN(4) > 0 {
			args = []string{lskeysCounts[g.r.IntN(len(lskeysCounts))]}
		}
	case 20:
		action, args = "HEYA", g.keyArgs(g.r.IntN(3))
	case 21:
		action = "MKSNAP"
		if g.r.IntN(2) == 0 {
			args = []string{[]string{"snap", "../x", "", "a.b"}[g.r.IntN(4)]}
		}
	default:
		if g.r.IntN(5) == 0 {
			return []string{} // an empty query
		}
		return append([]string{[]string{"NOPE", "GETX", "", "SETT"}[g.r.IntN(4)]}, g.keyArgs(g.r.IntN(3))...)
	}
	if bad {
		args = g.wrongArity(action, args)
	}
	return append([]string{g.name(action)}, args...)
}

// wrongArity turns good arguments into too few or too many.
func (g *scriptGen) wrongArity(action string, args []string) []string {
	switch action {
	case "GET", "KEYLEN":
		return [][]string{nil, {g.key(), g.key()}}[g.r.IntN(2)]
	case "SET", "UPDATE":
		return [][]string{nil, {g.key()}, {g.key(), g.value(), g.value()}}[g.r.IntN(3)]
	case "USET", "MSET", "MUPDATE", "SSET", "SUPDATE":
		if g.r.IntN(2) == 0 {
			return nil
		}
		return append(args, g.key()) // an odd number
	case "DEL", "EXISTS", "MGET", "SDEL", "POP":
		return nil
	case "DBSIZE", "FLUSHDB":
		return []string{g.key()}
	case "LSKEYS", "MKSNAP":
		return []string{"1", "2"}
	}
	return args // HEYA takes anything
}

// chunks cuts a script into consecutive batches of random sizes, from
// single queries to the whole script.
func chunks(r *rand.Rand, script [][]string) [][][]string {
	var out [][][]string
	for len(script) > 0 {
		n := 1 + r.IntN(len(script))
		if r.IntN(3) > 0 {
			n = min(n, 1+r.IntN(8))
		}
		out = append(out, script[:n])
		script = script[n:]
	}
	return out
}
