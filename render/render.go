// Package render turns engine responses into the bytes the shell prints: a
// human form for terminals (quoted strings, colour, tables), a raw form for
// pipes (bare bytes, one item a line, never an escape sequence) and JSON
// (exactly one line per query, so outputs stay aligned with inputs).
//
// A Renderer keeps no global state: colour is switched on its own
// *color.Color values, never through color.NoColor, so renderers with
// different settings can run side by side.
package render

import (
	"fmt"
	"io"

	"skysh/engine"
)

// Format selects the form a Renderer writes.
type Format int

// The output forms.
const (
	// Human is for a terminal: quoted strings, labels such as (integer),
	// optional colour, tables for MGET and POP.
	Human Format = iota
	// Raw is for pipes: values as their bytes, one item a line.
	Raw
	// JSON is one line of JSON per query.
	JSON
	// CSV is one RFC 4180 record per query, for spreadsheets.
	CSV
)

// String names the format as a flag or message would.
func (f Format) String() string {
	switch f {
	case Human:
		return "human"
	case Raw:
		return "raw"
	case JSON:
		return "json"
	case CSV:
		return "csv"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// maxScratch bounds the scratch buffer a Renderer keeps between calls, so
// that one huge value does not pin its memory for the rest of the session.
const maxScratch = 64 << 10

// Renderer writes responses in one format to a writer. The writer is
// normally a *bufio.Writer owned by the caller, who decides when to flush it
// (batch mode flushes before it waits for more input); Renderer never
// flushes. A Renderer is not safe for concurrent use.
type Renderer struct {
	w      io.Writer
	format Format
	colour palette // the human form's only
	// buf is reused from call to call so that the common responses cost no
	// allocation: each call builds its whole output here and writes it once.
	buf []byte
	// width, when not 0, is the screen's width that human tables fit in.
	width int
}

// New returns a Renderer that writes f to w. colour matters only for Human;
// the raw and JSON forms never contain escape sequences. New panics on a
// Format that is not one of the constants, a wiring mistake best found at
// start.
func New(w io.Writer, f Format, colour bool) *Renderer {
	if f != Human && f != Raw && f != JSON && f != CSV {
		panic("render: unknown " + f.String())
	}
	r := &Renderer{w: w, format: f, buf: make([]byte, 0, 512)}
	if f == Human {
		r.colour = newPalette(colour)
	}
	return r
}

// Response writes one query's answer. args is the query as tokenized
// (args[0] is the action name, any case); the human form uses it to show
// keys beside values for MGET and POP. A response of a type outside the
// engine's closed set (in practice nil) is an error, and nothing is written.
func (r *Renderer) Response(args []string, resp engine.Response) error {
	switch r.format {
	case Human:
		return r.humanResponse(args, resp)
	case Raw:
		return r.rawResponse(resp)
	case CSV:
		return r.csvResponse(resp)
	default:
		return r.jsonResponse(resp)
	}
}

// Error writes a failure that is not a response, such as a parse error, so
// that every input line still gets exactly one answer: `(error) msg` (red
// when colour is on) or {"error":"msg"}.
func (r *Renderer) Error(msg string) error {
	switch r.format {
	case Human:
		r.buf = append(r.buf[:0], r.humanError(msg)...)
		r.buf = append(r.buf, '\n')
	case Raw:
		r.buf = appendRawError(r.buf[:0], msg)
	case CSV:
		r.buf = appendCSVRecord(r.buf[:0], []string{"error: " + Printable(msg)})
	default:
		r.buf = appendJSONError(r.buf[:0], msg)
		r.buf = append(r.buf, '\n')
	}
	return r.writeScratch()
}

// Table writes rows under a header: a drawn table in the human form,
// tab-separated lines (header first) in the raw form, and in JSON one array
// of objects keyed by header. Used for shell commands such as !snapshots and
// !status. Pass headers as the JSON keys should read (e.g. "name",
// "last_save"): the human form shows them as tablewriter formats headers,
// upper-cased with '_' as a space (NAME, LAST SAVE).
func (r *Renderer) Table(header []string, rows [][]string) error {
	switch r.format {
	case Human:
		return r.humanTable(header, rows)
	case Raw:
		r.buf = appendRawTable(r.buf[:0], header, rows)
	case CSV:
		r.buf = appendCSVTable(r.buf[:0], header, rows)
	default:
		r.buf = appendJSONTable(r.buf[:0], header, rows)
	}
	return r.writeScratch()
}

// writeScratch writes the scratch buffer in one call and drops it if a large
// answer grew it beyond maxScratch.
func (r *Renderer) writeScratch() error {
	_, err := r.w.Write(r.buf)
	if cap(r.buf) > maxScratch {
		r.buf = make([]byte, 0, 512)
	}
	return err
}

// unsupported is the error for a response outside the engine's closed set.
func unsupported(resp engine.Response) error {
	return fmt.Errorf("render: unsupported response type %T", resp)
}
