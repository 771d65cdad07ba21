package repl

import (
	"strings"

	"skysh/engine"
)

// withHint adds advice to the description of an answer: after a colon, or
// after a semicolon when the description has a detail of its own.
func withHint(desc string, resp engine.Response, advice string) string {
	if advice == "" {
		return desc
	}
	if st, ok := resp.(engine.Status); ok && st.Detail != "" {
		return desc + "; " + advice
	}
	return desc + ": " + advice
}

// hint returns a line of advice for a failed query's answer, where the
// answer alone is a riddle, or "". Hints are for people: they follow the
// answer at the prompt and the description on a script's stderr, and never
// change an answer itself (JSON and raw answers stay as Skytable's).
func hint(args []string, resp engine.Response) string {
	switch resp {
	case engine.ErrUnknownAction:
		return unknownActionHint(args[0])
	case engine.ErrSnapshotDisabled:
		return "automatic snapshots are off: start skysh with --snapevery SECS (or set snapshot.every in the config file) to turn them on; MKSNAP NAME writes a named snapshot without them"
	}
	st, ok := resp.(engine.Status)
	if !ok {
		return ""
	}
	switch st.Code {
	case engine.OverwriteError:
		if strings.EqualFold(args[0], "SSET") {
			return "a key exists, so none was set; SUPDATE or USET replace them"
		}
		return "the key exists; UPDATE or USET replace it"
	case engine.ActionError:
		for _, arg := range args[1:] {
			if strings.HasPrefix(arg, "#") {
				return "# starts a comment only at the start of a line; quote it (\"#…\") to store it"
			}
		}
	}
	return ""
}

// unknownActionHint names what was typed and the actions nearest to it.
func unknownActionHint(typed string) string {
	if typed == "" {
		return "the first argument is empty, and a query starts with an action's name (!help lists them all)"
	}
	near := nearestActions(typed)
	msg := "no action is called " + Quote(typed)
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return msg + " (!help lists them all)"
}

// nearestActions returns the actions within two edits of name, in any
// case, the nearest first: the typos people make (SETT, GTE, MSTE).
func nearestActions(name string) []string {
	if len(name) > 16 {
		return nil // no typo of an action: do not spend time on it
	}
	upper := strings.ToUpper(name)
	var near []string
	for dist := 1; dist <= 2 && len(near) == 0; dist++ {
		for _, a := range engine.Actions() {
			if editDistance(upper, a.Name) == dist {
				near = append(near, a.Name)
			}
		}
	}
	return near
}

// editDistance counts the insertions, deletions, substitutions and swaps of
// two neighbours that turn a into b (optimal string alignment distance).
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
