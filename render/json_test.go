package render_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"skysh/engine"
	"skysh/render"
)

// FuzzJSONString checks the hand-written string encoder against
// encoding/json with HTML escaping off: same bytes for every input,
// including invalid UTF-8 (U+FFFD), controls, U+2028 and '<'.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "hello world", "a\nb\x00c\xff", "<&>", "\u2028\u2029", "\x7f\b\f\r\t\"\\", "\xed\xa0\x80", "日本\xe6\x97"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got, want bytes.Buffer
		if err := render.New(&got, render.JSON, false).Response([]string{"GET", "k"}, engine.String(s)); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("JSON of %q = %q, encoding/json gives %q", s, got.Bytes(), want.Bytes())
		}
	})
}

// TestJSONDecodes checks that what the JSON form writes means what was
// rendered, not only that it parses: codes, details and nesting survive.
func TestJSONDecodes(t *testing.T) {
	resp := engine.Array{
		engine.String("v"),
		engine.Status{Code: engine.ServerError, Detail: "store is poisoned: <disk> full"},
		engine.Int(-3),
		engine.ErrSnapshotBusy,
	}
	var buf bytes.Buffer
	if err := render.New(&buf, render.JSON, false).Response([]string{"X"}, resp); err != nil {
		t.Fatal(err)
	}
	var got []any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v: %q", err, buf.Bytes())
	}
	want := []any{
		"v",
		map[string]any{"code": 5.0, "message": "Server Error", "detail": "store is poisoned: <disk> full"},
		-3.0,
		map[string]any{"error": "err-snapshot-busy"},
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("decoded %s, want %s", g, w)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
