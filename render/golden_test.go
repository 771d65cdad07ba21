package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skysh/engine"
	"skysh/render"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenForm is one output form as the golden files are grouped.
type goldenForm struct {
	dir    string
	format render.Format
	colour bool
}

var goldenForms = []goldenForm{
	{"human", render.Human, false},
	{"human-colour", render.Human, true},
	{"raw", render.Raw, false},
	{"json", render.JSON, false},
	{"csv", render.CSV, false},
}

// goldenCase is one call on a Renderer, rendered in every form.
type goldenCase struct {
	name string
	call func(r *render.Renderer) error
}

// storesESC names the cases whose value itself holds an ESC byte, which the
// raw form passes through unchanged; any other escape sequence in an output
// without colour would be one the renderer added.
var storesESC = map[string]bool{"string-escapes": true}

func response(args string, resp engine.Response) func(*render.Renderer) error {
	return func(r *render.Renderer) error { return r.Response(strings.Fields(args), resp) }
}

var goldenCases = []goldenCase{
	{"string-plain", response("GET k", engine.String("hello"))},
	{"string-spaces", response("GET k", engine.String("hello world"))},
	{"string-empty", response("GET k", engine.String(""))},
	{"string-binary", response("GET k", engine.String("a\nb\x00c\xff"))},
	{"string-escapes", response("GET k", engine.String("say \"hi\"\t\\ \r\x1b[31m é 日本 \u00a0 \ufffd \u2028"))},
	{"string-html", response("GET k", engine.String("<a href='x'>&amp;</a>"))},
	{"string-heya", response("HEYA", engine.String("HEY!"))},
	{"int", response("DBSIZE", engine.Int(5))},
	{"int-zero", response("DEL k", engine.Int(0))},
	{"int-negative", response("DBSIZE", engine.Int(-9223372036854775808))},
	{"status-okay", response("SET k v", engine.Status{Code: engine.Okay})},
	{"status-nil", response("GET k", engine.Status{Code: engine.Nil})},
	{"status-overwrite-error", response("SET k v", engine.Status{Code: engine.OverwriteError})},
	{"status-action-error", response("GET", engine.Status{Code: engine.ActionError})},
	{"status-packet-error", response("GET k", engine.Status{Code: engine.PacketError})},
	{"status-server-error", response("SET k v", engine.Status{Code: engine.ServerError})},
	{"status-other-error", response("GET k", engine.Status{Code: engine.OtherError})},
	{"status-wrongtype-error", response("LSKEYS x", engine.Status{Code: engine.WrongtypeError})},
	{"status-unknown-code", response("GET k", engine.Status{Code: 42})},
	{"status-detail", response("SET k v", engine.Status{Code: engine.ServerError, Detail: "store is poisoned: disk full"})},
	{"status-detail-newline", response("SET k v", engine.Status{Code: engine.ServerError, Detail: "line one\nline two"})},
	{"status-detail-escapes", response("SET k v", engine.Status{Code: engine.ServerError,
		Detail: "cannot save /data/\x1b]2;pwned\x07\u009b31m"})},
	{"error-unknown-action", response("FOO", engine.ErrUnknownAction)},
	{"error-snapshot-busy", response("MKSNAP", engine.ErrSnapshotBusy)},
	{"error-snapshot-disabled", response("MKSNAP", engine.ErrSnapshotDisabled)},
	{"error-invalid-snapshot-name", response("MKSNAP ../x", engine.ErrInvalidSnapshotName)},
	{"error-duplicate-snapshot", response("MKSNAP a", engine.ErrDuplicateSnapshot)},
	{"array-mget", response("MGET a b c", engine.Array{
		engine.String("1"), engine.Status{Code: engine.Nil}, engine.String("x y")})},
	{"array-mget-lowercase", response("mget a\tb", engine.Array{
		engine.String("value\none"), engine.String("")})},
	{"array-mget-mismatch", response("MGET a", engine.Array{
		engine.String("1"), engine.Status{Code: engine.Nil}})},
	{"array-pop", response("Pop k1 k2", engine.Array{
		engine.String("gone"), engine.Status{Code: engine.Nil}})},
	{"array-lskeys", response("LSKEYS", engine.Array{
		engine.String("a"), engine.String("b"), engine.String("c d")})},
	{"array-lskeys-eleven", response("LSKEYS 11", engine.Array{
		engine.String("k1"), engine.String("k2"), engine.String("k3"), engine.String("k4"),
		engine.String("k5"), engine.String("k6"), engine.String("k7"), engine.String("k8"),
		engine.String("k9"), engine.String("k10"), engine.String("k11")})},
	{"array-empty", response("LSKEYS", engine.Array{})},
	{"array-nested", response("X", engine.Array{
		engine.Int(1), engine.Array{engine.String("a"), engine.ErrUnknownAction}, engine.Array{}})},
	{"parse-error", func(r *render.Renderer) error {
		return r.Error(`unterminated quote at column 5`)
	}},
	{"parse-error-escapes", func(r *render.Renderer) error {
		return r.Error("unknown shell command !\x1b]2;pwned\x07 \u009b31m\x7f")
	}},
	{"table", func(r *render.Renderer) error {
		return r.Table([]string{"name", "size", "modified"}, [][]string{
			{"20240101-000000.snapshot", "1024", "2024-01-01 00:00:00"},
			{"remote/nightly.snapshot", "98765", "2024-01-02 03:04:05"},
		})
	}},
	{"table-ragged", func(r *render.Renderer) error {
		return r.Table([]string{"key", "value"}, [][]string{
			{"poisoned", "yes", "extra"},
			{"reason"},
			{"path", "tab\there"},
		})
	}},
	{"table-escapes", func(r *render.Renderer) error {
		return r.Table([]string{"name", "value"}, [][]string{
			{"data directory", "/tmp/\x1b[2J\u009b2J"},
		})
	}},
	{"table-empty", func(r *render.Renderer) error {
		return r.Table([]string{"name", "size"}, nil)
	}},
}

// TestGolden renders every case in every form and compares the bytes with
// testdata/golden/<form>/<case>.txt; `go test ./render -update` rewrites
// them after a deliberate change.
func TestGolden(t *testing.T) {
	for _, form := range goldenForms {
		for _, tc := range goldenCases {
			t.Run(form.dir+"/"+tc.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := tc.call(render.New(&buf, form.format, form.colour)); err != nil {
					t.Fatalf("render: %v", err)
				}
				got := buf.Bytes()
				checkForm(t, form, got, storesESC[tc.name])
				path := filepath.Join("testdata", "golden", form.dir, tc.name+".txt")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run `go test ./render -update` to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output differs from %s\ngot:\n%q\nwant:\n%q", path, got, want)
				}
			})
		}
	}
}

// checkForm checks what holds for every output of a form whatever the case:
// escape sequences only with colour, no C1 control (which some terminals
// obey like ESC) at all, and JSON exactly one parseable line.
func checkForm(t *testing.T, form goldenForm, out []byte, storedESC bool) {
	t.Helper()
	passesESC := (form.format == render.Raw || form.format == render.CSV) && storedESC
	if !form.colour && !passesESC && bytes.IndexByte(out, 0x1b) >= 0 {
		t.Errorf("escape sequence in %s output without colour: %q", form.dir, out)
	}
	if !passesESC && bytes.ContainsFunc(out, func(r rune) bool { return r >= 0x80 && r < 0xa0 }) {
		t.Errorf("C1 control in %s output: %q", form.dir, out)
	}
	if len(out) == 0 || out[len(out)-1] != '\n' {
		if form.format != render.Raw { // an empty array is no lines in raw form
			t.Errorf("output does not end in a newline: %q", out)
		}
	}
	if form.format == render.CSV {
		rd := csv.NewReader(bytes.NewReader(out))
		rd.FieldsPerRecord = -1 // a table's rows may be ragged
		if _, err := rd.ReadAll(); err != nil || !bytes.HasSuffix(out, []byte("\r\n")) {
			t.Errorf("CSV output does not parse as RFC 4180 records (%v): %q", err, out)
		}
	}
	if form.format == render.JSON {
		if n := bytes.Count(out, []byte("\n")); n != 1 {
			t.Errorf("JSON output is %d lines, want 1: %q", n, out)
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Errorf("JSON output does not parse: %v: %q", err, out)
		}
	}
}
