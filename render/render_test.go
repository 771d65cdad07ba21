package render_test

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"

	"skysh/engine"
	"skysh/render"
)

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		resp engine.Response
		want string
	}{
		{engine.Status{Code: engine.OverwriteError}, "Overwrite Error (code 2)"},
		{engine.Status{Code: engine.ServerError, Detail: "store is poisoned: disk full"}, "Server Error (code 5): store is poisoned: disk full"},
		{engine.Status{Code: engine.ServerError, Detail: "a\nb"}, `Server Error (code 5): a\nb`},
		{engine.Status{Code: 9}, "Unknown Code (code 9)"},
		{engine.ErrUnknownAction, "Unknown action"},
		{engine.ErrDuplicateSnapshot, "err-duplicate-snapshot"},
		{engine.String("a b\n"), `string "a b\n"`},
		{engine.Int(7), "integer 7"},
		{engine.Array{engine.String("x")}, "array of 1 items"},
		{nil, "no response"},
	} {
		if got := render.Describe(tc.resp); got != tc.want {
			t.Errorf("Describe(%#v)=%q, want %q", tc.resp, got, tc.want)
		}
	}
}

// TestUnsupportedWritesNothing checks that a response outside the closed
// set is an error and leaves no partial output behind.
func TestUnsupportedWritesNothing(t *testing.T) {
	for _, f := range []render.Format{render.Human, render.Raw, render.JSON} {
		for _, resp := range []engine.Response{nil, engine.Array{engine.String("a"), nil}} {
			var buf bytes.Buffer
			if err := render.New(&buf, f, true).Response([]string{"LSKEYS"}, resp); err == nil {
				t.Errorf("%v: Response(%#v) gave no error", f, resp)
			}
			if buf.Len() != 0 {
				t.Errorf("%v: Response(%#v) wrote %q", f, resp, buf.Bytes())
			}
		}
	}
}

// TestNeverFlushes checks that output stays in the caller's buffer: the
// caller decides when to flush, which is what keeps batch output fast.
func TestNeverFlushes(t *testing.T) {
	for _, f := range []render.Format{render.Human, render.Raw, render.JSON} {
		var sink bytes.Buffer
		w := bufio.NewWriter(&sink)
		r := render.New(w, f, false)
		if err := r.Response([]string{"SET", "k", "v"}, engine.Status{Code: engine.Okay}); err != nil {
			t.Fatal(err)
		}
		if err := r.Error("bad"); err != nil {
			t.Fatal(err)
		}
		if sink.Len() != 0 || w.Buffered() == 0 {
			t.Errorf("%v: %d bytes reached the writer before Flush, %d buffered", f, sink.Len(), w.Buffered())
		}
	}
}

// TestColourIsPerRenderer runs renderers with colour on and off side by side
// (under -race this also shows that no global such as color.NoColor is
// written): each must keep its own setting.
func TestColourIsPerRenderer(t *testing.T) {
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 8)
	for i := range outs {
		wg.Go(func() {
			r := render.New(&outs[i], render.Human, i%2 == 0)
			for range 100 {
				if err := r.Response([]string{"GET", "k"}, engine.Status{Code: engine.Nil}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i := range outs {
		want := strings.Repeat("(Nil)\n", 100)
		if i%2 == 0 {
			want = strings.Repeat("\x1b[33m(Nil)\x1b[0m\n", 100)
		}
		if got := outs[i].String(); got != want {
			t.Errorf("renderer %d (colour %v) wrote %q…", i, i%2 == 0, got[:min(len(got), 40)])
		}
	}
}

// TestKeysNeedArgs checks that MGET and POP answers fall back to the
// numbered list when the keys are not known, rather than guessing.
func TestKeysNeedArgs(t *testing.T) {
	arr := engine.Array{engine.String("v")}
	for _, args := range [][]string{nil, {"MGET"}, {"GET", "k"}} {
		var buf bytes.Buffer
		if err := render.New(&buf, render.Human, false).Response(args, arr); err != nil {
			t.Fatal(err)
		}
		if got, want := buf.String(), "1) \"v\"\n"; got != want {
			t.Errorf("args %q: got %q, want %q", args, got, want)
		}
	}
}

func TestNewRejectsUnknownFormat(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(Format(7)) did not panic")
		}
	}()
	render.New(&bytes.Buffer{}, render.Format(7), false)
}

// TestLargeValue checks that a value bigger than the scratch buffer's limit
// is written whole, and that the next small answer is still right.
func TestLargeValue(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	var buf bytes.Buffer
	r := render.New(&buf, render.Raw, false)
	if err := r.Response([]string{"GET", "k"}, engine.String(big)); err != nil {
		t.Fatal(err)
	}
	if err := r.Response([]string{"GET", "k"}, engine.String("small")); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), big+"\nsmall\n"; got != want {
		t.Errorf("got %d bytes, want %d", len(got), len(want))
	}
}

// TestPipeFormsMakeNoColours: the raw and JSON forms never colour, so a
// renderer for them builds no palette (it is for the human form only): a
// script's start pays for nothing it does not print. New then allocates
// the Renderer and its scratch buffer, nothing more.
func TestPipeFormsMakeNoColours(t *testing.T) {
	for _, f := range []render.Format{render.Raw, render.JSON} {
		if n := testing.AllocsPerRun(20, func() { render.New(io.Discard, f, true) }); n > 2 {
			t.Errorf("New(%s) made %v allocations, want at most 2", f, n)
		}
	}
}
