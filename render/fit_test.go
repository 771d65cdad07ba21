package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"skysh/engine"
	"skysh/render"
)

// TestTablesFitTheWidth: with a width set, no line of an MGET table or a
// shell command's table is wider than the screen, wide characters counted
// as two cells; cut cells end in "…" and a note says how to see them
// whole. Without a width nothing is cut.
func TestTablesFitTheWidth(t *testing.T) {
	long := strings.Repeat("0123456789", 20)
	wide := strings.Repeat("日本語🙂", 15)
	args := []string{"MGET", "short", "long", "wide"}
	resp := engine.Array{engine.String("v"), engine.String(long), engine.String(wide)}
	for _, width := range []int{40, 60, 80} {
		var out bytes.Buffer
		r := render.New(&out, render.Human, false)
		r.SetWidth(width)
		if err := r.Response(args, resp); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		for _, line := range lines[:len(lines)-1] {
			if w := runewidth.StringWidth(line); w > width {
				t.Errorf("width %d: a line of %d cells: %q", width, w, line)
			}
		}
		if !strings.Contains(out.String(), "…") || !strings.HasPrefix(lines[len(lines)-1], "(cut to fit the screen") {
			t.Errorf("width %d: no cut shown or no note:\n%s", width, out.String())
		}
		if !strings.Contains(out.String(), `"short"`) {
			t.Errorf("width %d: the short key was cut:\n%s", width, out.String())
		}
	}
	var out bytes.Buffer
	if err := render.New(&out, render.Human, false).Response(args, resp); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), long) || strings.Contains(out.String(), "cut to fit") {
		t.Errorf("without a width the value was cut:\n%s", out.String())
	}
}
