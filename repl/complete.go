package repl

import (
	"strings"

	prompt "github.com/c-bata/go-prompt"

	"skysh/engine"
)

// suggestions are what the first word of a line completes to.
var suggestions = func() []prompt.Suggest {
	var out []prompt.Suggest
	for _, a := range engine.Actions() {
		out = append(out, prompt.Suggest{Text: a.Name, Description: a.Summary})
	}
	return append(out,
		prompt.Suggest{Text: "!help", Description: "list actions and shell commands"},
		prompt.Suggest{Text: "clear", Description: "clear the screen"},
		prompt.Suggest{Text: "exit", Description: "leave the shell"},
		prompt.Suggest{Text: "quit", Description: "leave the shell"},
	)
}()

// complete offers action names while the first word is typed, and nothing on
// an empty line or after the first word: keys are the user's own.
func complete(d prompt.Document) []prompt.Suggest {
	before := d.TextBeforeCursor()
	if strings.TrimSpace(before) == "" || strings.ContainsAny(strings.TrimLeft(before, " \t"), " \t") {
		return nil
	}
	return prompt.FilterHasPrefix(suggestions, d.GetWordBeforeCursor(), true)
}
