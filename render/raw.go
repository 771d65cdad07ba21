package render

import (
	"strconv"

	"skysh/engine"
)

// rawStatus holds each known code's raw line, ready to write as is: status
// answers are the most common output of a batch of writes.
var rawStatus = func() (lines [len(statusLabels)][]byte) {
	for code, label := range statusLabels {
		lines[code] = []byte(label + "\n")
	}
	return lines
}()

// rawResponse writes the raw form: the bytes of a string unchanged, an
// integer in decimal, a status as its label, one line each; an array as one
// line per item (an empty array writes nothing). A value that contains a
// newline spans lines: the raw form is for values a pipe consumes whole, and
// JSON is there for exact framing.
func (r *Renderer) rawResponse(resp engine.Response) error {
	if s, ok := resp.(engine.Status); ok && s.Detail == "" && int(s.Code) < len(rawStatus) {
		_, err := r.w.Write(rawStatus[s.Code])
		return err
	}
	buf, err := appendRaw(r.buf[:0], resp)
	r.buf = buf
	if err != nil {
		return err
	}
	return r.writeScratch()
}

func appendRaw(dst []byte, resp engine.Response) ([]byte, error) {
	switch v := resp.(type) {
	case engine.String:
		dst = append(dst, v...)
	case engine.Int:
		dst = strconv.AppendInt(dst, int64(v), 10)
	case engine.Status:
		dst = append(dst, statusLabel(v.Code)...)
		if v.Detail != "" {
			dst = append(dst, ' ')
			dst = append(dst, Printable(v.Detail)...)
		}
	case engine.ErrorString:
		return appendRawError(dst, string(v)), nil
	case engine.Array:
		for _, item := range v {
			var err error
			if dst, err = appendRaw(dst, item); err != nil {
				return dst, err
			}
		}
		return dst, nil
	default:
		return dst, unsupported(resp)
	}
	return append(dst, '\n'), nil
}

func appendRawError(dst []byte, msg string) []byte {
	dst = append(dst, "(error) "...)
	dst = append(dst, Printable(msg)...)
	return append(dst, '\n')
}

// appendRawTable writes the header and each row as tab-separated lines, for
// cut and awk. Cells hold names, numbers and paths, not stored values: they
// are escaped like any message, which also keeps a tab or newline in a path
// from breaking the columns.
func appendRawTable(dst []byte, header []string, rows [][]string) []byte {
	dst = appendTabbed(dst, header)
	for _, row := range rows {
		dst = appendTabbed(dst, row)
	}
	return dst
}

func appendTabbed(dst []byte, cells []string) []byte {
	for i, c := range cells {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = append(dst, Printable(c)...)
	}
	return append(dst, '\n')
}
