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

// How key completion stays bounded on any store: keys are hashed, so there
// is no order in which to find a prefix; each keystroke looks at no more
// than completionBudget keys (about a millisecond) and offers the first
// completionLimit that match, sorted.
const (
	completionBudget = 50_000
	completionLimit  = 20
)

// complete offers the first word (actions, shell commands, ?ACTION) while
// it is typed, and existing keys by prefix where an action finds a key in
// the store.
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
	arg := len(words) - 1 // the argument being typed, from 0
	if typing != "" {
		arg--
	}
	// Keys are offered where the action finds a key in the store (the
	// action table says where), once some of it is typed.
	action, _ := engine.LookupAction(words[0])
	if !action.KeyArgument(arg) || typing == "" || strings.ContainsAny(typing, `"'`) {
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
