package render

import (
	"github.com/olekukonko/tablewriter"

	"skysh/engine"
)

// keyValueTable draws the answer of MGET or POP as a KEY/VALUE table. Keys
// and values are quoted like any human string, so a table cell never holds a
// raw newline or control byte that would break the box.
func (r *Renderer) keyValueTable(keys []string, items engine.Array) error {
	t := tablewriter.NewTable(r.w)
	t.Header("KEY", "VALUE")
	for i, item := range items {
		value, err := r.appendHuman(nil, item, 0)
		if err != nil {
			return err
		}
		// A new slice for every row: Append keeps the slice it is given.
		if err := t.Append([]string{string(appendQuoted(nil, keys[i])), string(value)}); err != nil {
			return err
		}
	}
	return t.Render()
}

// humanTable draws rows under a header with tablewriter. Cells are shown
// unquoted (they are names and numbers, not stored values) but with
// non-printable bytes escaped.
func (r *Renderer) humanTable(header []string, rows [][]string) error {
	t := tablewriter.NewTable(r.w)
	t.Header(escapeCells(header))
	for _, row := range rows {
		if err := t.Append(escapeCells(row)); err != nil {
			return err
		}
	}
	return t.Render()
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
