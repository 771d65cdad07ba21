package repl

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"skysh/engine"
	"skysh/render"
)

// TestHelpAtThePromptTellsTheKeys: !help at the prompt ends with what the
// keys do (hints, Up with text typed, Ctrl-R); in a script, where no key
// is pressed, it is as it was.
func TestHelpAtThePromptTellsTheKeys(t *testing.T) {
	help := func(interactive bool) string {
		var out bytes.Buffer
		sh := New(Config{Store: engine.New(), Out: &out, Err: io.Discard, Format: render.Raw})
		sh.runLine("!help", where{"line", 1}, interactive)
		sh.flush()
		return out.String()
	}
	prompt, script := help(true), help(false)
	for _, want := range []string{"Keys at the prompt", "grey", "Up", "start with", "Ctrl-R"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("!help at the prompt does not say %q:\n%s", want, prompt)
		}
	}
	if !strings.HasPrefix(prompt, script) || strings.Contains(script, "Keys at the prompt") {
		t.Errorf("!help in a script changed:\n%s", script)
	}
}
