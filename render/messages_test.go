package render_test

import (
	"bytes"
	"fmt"
	"testing"

	"skysh/render"
)

// TestMessages: control bytes in a message are escaped, line breaks kept,
// and text with nothing to escape passes unchanged.
func TestMessages(t *testing.T) {
	var buf bytes.Buffer
	w := render.Messages(&buf)
	fmt.Fprintf(w, "skysh: cannot load %s: no such file\nhint: move it\n", "d\x1b]2;pwned\x07/data.bin")
	fmt.Fprintf(w, "plain line, already escaped \\x1b\n")
	want := "skysh: cannot load d\\x1b]2;pwned\\x07/data.bin: no such file\nhint: move it\nplain line, already escaped \\x1b\n"
	if got := buf.String(); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}
