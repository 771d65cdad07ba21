package repl

import (
	"slices"
	"strings"
	"sync"

	prompt "github.com/c-bata/go-prompt"

	"skysh/engine"
)

// firstWords are what the first word of a line completes to: actions,
// shell commands, and ?ACTION for each action. Made when first needed (the
// shell commands are listed in an init function, and only the prompt
// completes).
var firstWords = sync.OnceValue(func() []prompt.Suggest {
	var out []prompt.Suggest
	for _, a := range engine.Actions() {
		out = append(out, prompt.Suggest{Text: a.Name, Description: a.Summary})
	}
	for _, m := range metaCommands {
		name, _, _ := strings.Cut(m.name, " ")
		if name != "?ACTION" {
			out = append(out, prompt.Suggest{Text: name, Description: m.summary})
		}
	}
	out = append(out, prompt.Suggest{Text: "quit", Description: "leave the shell"})
	for _, a := range engine.Actions() {
		out = append(out, prompt.Suggest{Text: "?" + a.Name, Description: "syntax and an example of " + a.Name})
	}
	return out
})

// Which arguments of an action are existing keys worth offering: all of
// them, or every other one from the first (key value pairs). Actions that
// create keys (SET, MSET, SSET) are left out: an existing key there only
// earns code 2.
const (
	allKeys = iota + 1
	pairKeys
)

var keyArguments = map[string]int{
	"GET": allKeys, "DEL": allKeys, "EXISTS": allKeys, "MGET": allKeys, "KEYLEN": allKeys,
	"POP": allKeys, "SDEL": allKeys,
	"UPDATE": pairKeys, "MUPDATE": pairKeys, "SUPDATE": pairKeys, "USET": pairKeys,
}

// How key completion stays bounded on any store: keys are hashed, so there
// is no order in which to find a prefix; each keystroke looks at no more
// than completionBudget keys (about a millisecond) and offers the first
// completionLimit that match, sorted.
const (
	completionBudget = 50_000
	completionLimit  = 20
)

// complete offers the first word (actions, shell commands, ?ACTION) while
// it is typed, and existing keys by prefix where an action takes a key.
func (s *Shell) complete(d prompt.Document) []prompt.Suggest {
	before := strings.TrimLeft(d.TextBeforeCursor(), " \t")
	if before == "" {
		return nil
	}
	words := strings.Fields(before)
	typing := d.GetWordBeforeCursor() // "" right after a space
	if len(words) == 1 && typing != "" {
		return prompt.FilterHasPrefix(firstWords(), typing, true)
	}
	kind := keyArguments[strings.ToUpper(words[0])]
	arg := len(words) - 1 // the argument being typed, from 0
	if typing != "" {
		arg--
	}
	if kind == 0 || (kind == pairKeys && arg%2 == 1) || typing == "" || strings.ContainsAny(typing, `"'`) {
		return nil
	}
	keys, _ := s.cfg.Store.KeysWithPrefix(typing, completionLimit, completionBudget)
	slices.Sort(keys)
	out := make([]prompt.Suggest, len(keys))
	for i, k := range keys {
		out[i] = prompt.Suggest{Text: Quote(k)}
	}
	return out
}
