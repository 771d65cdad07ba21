package render

import (
	"strings"

	"github.com/mattn/go-runewidth"
)

// SetWidth makes the human form's tables fit in width display cells: long
// cells are cut with "…" and a note follows the table saying how to see
// them whole. 0 draws tables as wide as their cells.
func (r *Renderer) SetWidth(width int) { r.width = width }

// cutNote follows a table whose cells were cut to fit the screen.
const cutNote = "(cut to fit the screen: GET key or --raw shows a value whole; !width off stops cutting)\n"

// fitRows cuts the cells of header and rows so that a table of them fits
// in width cells, and reports whether it cut any. Each column gets its
// widest cell's width, and while the table is too wide the widest column
// gives up a cell: narrow columns (keys, names) keep their width and the
// long values are cut. Widths are display widths: a wide character or an
// emoji counts two.
func fitRows(width int, header []string, rows [][]string) bool {
	if width <= 0 {
		return false
	}
	cols := make([]int, len(header))
	measure := func(row []string) {
		for i, c := range row {
			if i < len(cols) {
				cols[i] = max(cols[i], runewidth.StringWidth(c))
			}
		}
	}
	measure(header)
	for _, row := range rows {
		measure(row)
	}
	// A table draws "│ " before each cell, " " after it and "│" at the end.
	total := 1
	for _, w := range cols {
		total += w + 3
	}
	if total <= width {
		return false
	}
	for total > width {
		widest := 0
		for i, w := range cols {
			if w > cols[widest] {
				widest = i
			}
		}
		if cols[widest] <= 4 {
			break // nothing left worth cutting: let the terminal wrap
		}
		cols[widest]--
		total--
	}
	cut := false
	for _, row := range rows {
		for i, c := range row {
			if i < len(cols) && runewidth.StringWidth(c) > cols[i] {
				row[i] = runewidth.Truncate(c, cols[i], "…")
				cut = true
			}
		}
	}
	return cut
}

// headerCells are the headers as tablewriter draws them (upper case, _ as
// a space), so that their width is measured as shown.
func headerCells(header []string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = strings.ToUpper(strings.ReplaceAll(h, "_", " "))
	}
	return out
}
