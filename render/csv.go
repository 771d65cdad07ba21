package render

import (
	"strconv"

	"skysh/engine"
)

// The CSV form is RFC 4180: one record per query, fields separated by
// commas, a field quoted when it holds a comma, a quote, CR or LF (a quote
// doubled inside), records ending in CRLF. A string or a number is one
// field; an array is one field per item; a status is its label (Okay, Nil,
// Overwrite Error, and a detail after a colon); an error is `error: …`.
// Values are written as their bytes, as in the raw form: a spreadsheet gets
// the value; messages are escaped, as everywhere.

func (r *Renderer) csvResponse(resp engine.Response) error {
	buf, err := appendCSVFields(r.buf[:0], resp, true)
	r.buf = buf
	if err != nil {
		return err
	}
	r.buf = append(r.buf, '\r', '\n')
	return r.writeScratch()
}

// appendCSVFields appends resp as fields; first says whether no field of
// the record came before.
func appendCSVFields(dst []byte, resp engine.Response, first bool) ([]byte, error) {
	switch v := resp.(type) {
	case engine.String:
		return appendCSVField(dst, string(v), first), nil
	case engine.Int:
		return appendCSVField(dst, strconv.FormatInt(int64(v), 10), first), nil
	case engine.Status:
		label := statusLabel(v.Code)
		if v.Detail != "" {
			label += ": " + Printable(v.Detail)
		}
		return appendCSVField(dst, label, first), nil
	case engine.ErrorString:
		return appendCSVField(dst, "error: "+Printable(string(v)), first), nil
	case engine.Array:
		for i, item := range v {
			var err error
			if dst, err = appendCSVFields(dst, item, first && i == 0); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	return dst, unsupported(resp)
}

// appendCSVRecord appends one record of fields.
func appendCSVRecord(dst []byte, fields []string) []byte {
	for i, f := range fields {
		dst = appendCSVField(dst, f, i == 0)
	}
	return append(dst, '\r', '\n')
}

// appendCSVField appends one field, after a comma unless it is the first.
func appendCSVField(dst []byte, field string, first bool) []byte {
	if !first {
		dst = append(dst, ',')
	}
	if !needsCSVQuotes(field) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(field); i++ {
		if field[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, field[i])
	}
	return append(dst, '"')
}

func needsCSVQuotes(field string) bool {
	for i := 0; i < len(field); i++ {
		switch field[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// appendCSVTable writes the header and each row as records. Cells hold
// names, numbers and paths, not stored values: they are escaped like any
// message.
func appendCSVTable(dst []byte, header []string, rows [][]string) []byte {
	dst = appendCSVRecord(dst, header)
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = Printable(c)
		}
		dst = appendCSVRecord(dst, cells)
	}
	return dst
}
