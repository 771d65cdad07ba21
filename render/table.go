package render

import (
	"io"

	"github.com/olekukonko/tablewriter"

	"skysh/engine"
)

// keyValueTable draws the answer of MGET or POP as a KEY/VALUE table. Keys
// and values are quoted like any human string, so a table cell never holds a
// raw newline or control byte that would break the box.
func (r *Renderer) keyValueTable(keys []string, items engine.Array) error {
	rows := make([][]string, len(items))
	for i, item := range items {
		value, err := r.appendHuman(nil, item, 0)
		if err != nil {
			return err
		}
		// A new slice for every row: Append keeps the slice it is given.
		rows[i] = []string{string(appendQuoted(nil, keys[i])), string(value)}
	}
	return r.drawTable([]string{"KEY", "VALUE"}, rows)
}

// drawTable draws rows under header with tablewriter, cut to the screen's
// width when one is set, with a note when anything was cut.
func (r *Renderer) drawTable(header []string, rows [][]string) error {
	cut := fitRows(r.width, headerCells(header), rows)
	t := tablewriter.NewTable(r.w)
	t.Header(header)
	for _, row := range rows {
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if cut {
		_, err := io.WriteString(r.w, cutNote)
		return err
	}
	return nil
}

// humanTable draws rows under a header with tablewriter. Cells are shown
// unquoted (they are names and numbers, not stored values) but with
// non-printable bytes escaped.
func (r *Renderer) humanTable(header []string, rows [][]string) error {
	escaped := make([][]string, len(rows))
	for i, row := range rows {
		escaped[i] = escapeCells(row)
	}
	return r.drawTable(escapeCells(header), escaped)
}

// escapeCells returns a fresh slice, never the caller's, because Append
// keeps the slice it is given.
func escapeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Printable(c)
	}
	return out
}
