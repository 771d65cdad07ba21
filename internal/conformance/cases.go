package conformance

import "skysh/engine"

// Cases returns the whole table, grouped by action in the order of the
// query language's help, then the queries no action takes. Each call
// returns a new slice; the setups and stores in it are shared, to be read.
func Cases() []Case {
	var all []Case
	for _, group := range []struct {
		name  string
		cases []Case
	}{
		{"HEYA", heyaCases()},
		{"GET", getCases()},
		{"SET", setCases()},
		{"UPDATE", updateCases()},
		{"DEL", delCases()},
		{"EXISTS", existsCases()},
		{"MGET", mgetCases()},
		{"MSET", msetCases()},
		{"MUPDATE", mupdateCases()},
		{"SSET", ssetCases()},
		{"SUPDATE", supdateCases()},
		{"SDEL", sdelCases()},
		{"USET", usetCases()},
		{"DBSIZE", dbsizeCases()},
		{"FLUSHDB", flushdbCases()},
		{"KEYLEN", keylenCases()},
		{"LSKEYS", lskeysCases()},
		{"POP", popCases()},
		{"unknown action", unknownActionCases()},
		{"empty query", emptyQueryCases()},
	} {
		for _, c := range group.cases {
			c.Name = group.name + "/" + c.Name
			all = append(all, c)
		}
	}
	return all
}

// q builds a query, so that tables read like what a user types.
func q(args ...string) []string { return args }

// Binary-safe keys and values: a NUL, a byte that is not UTF-8, and the
// empty string, which Skytable 0.6 crashed on.
const (
	nul   = "\x00"
	ff    = "\xff"
	bin   = "k\x00\xff\xfe"
	empty = ""
)

// The stores most cases start from, each made by one query.
var (
	setAB = [][]string{q("MSET", "a", "1", "b", "2")}
	ab    = map[string]string{"a": "1", "b": "2"}
	// setBinary holds binary keys, the empty key and an empty value.
	setBinary = [][]string{q("MSET", nul, ff, empty, empty, bin, "v\x00")}
	binary    = map[string]string{nul: ff, empty: empty, bin: "v\x00"}
)

// The answers that are a bare code.
var (
	okay      = engine.Status{Code: engine.Okay}
	nilCode   = engine.Status{Code: engine.Nil}
	overwrite = engine.Status{Code: engine.OverwriteError}
	wrongtype = engine.Status{Code: engine.WrongtypeError}
)

// arity is the answer to a query with the wrong number of arguments: code 3
// with a detail that says what the action takes.
func arity(detail string) engine.Status {
	return engine.Status{Code: engine.ActionError, Detail: detail}
}
