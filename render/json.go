package render

import (
	"strconv"
	"unicode/utf8"

	"skysh/engine"
)

// jsonStatus holds each known code's JSON line without detail, ready to
// write as is.
var jsonStatus = func() (lines [len(statusLabels)][]byte) {
	for code := range statusLabels {
		lines[code] = append(appendJSONStatus(nil, engine.Status{Code: engine.Code(code)}), '\n')
	}
	return lines
}()

// jsonResponse writes the response as exactly one line of JSON. The encoder
// is written by hand rather than with encoding/json because a batch prints a
// million answers and reflection would allocate on each; it follows
// encoding/json's rules with HTML escaping off, so bytes that are not valid
// UTF-8 become U+FFFD: JSON strings are Unicode, and a binary value can only
// be carried exactly by the raw form.
func (r *Renderer) jsonResponse(resp engine.Response) error {
	if s, ok := resp.(engine.Status); ok && s.Detail == "" && int(s.Code) < len(jsonStatus) {
		_, err := r.w.Write(jsonStatus[s.Code])
		return err
	}
	buf, err := appendJSON(r.buf[:0], resp)
	r.buf = buf
	if err != nil {
		return err
	}
	r.buf = append(r.buf, '\n')
	return r.writeScratch()
}

func appendJSON(dst []byte, resp engine.Response) ([]byte, error) {
	switch v := resp.(type) {
	case engine.String:
		return appendJSONString(dst, string(v)), nil
	case engine.Int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case engine.Status:
		return appendJSONStatus(dst, v), nil
	case engine.ErrorString:
		return appendJSONError(dst, string(v)), nil
	case engine.Array:
		dst = append(dst, '[')
		for i, item := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendJSON(dst, item); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	return dst, unsupported(resp)
}

// appendJSONStatus writes {"code":N,"message":"…"}, with "detail" only when
// there is one, so that scripts can test the code and still show the reason.
func appendJSONStatus(dst []byte, s engine.Status) []byte {
	dst = append(dst, `{"code":`...)
	dst = strconv.AppendUint(dst, uint64(s.Code), 10)
	dst = append(dst, `,"message":`...)
	dst = appendJSONString(dst, s.Code.Message())
	if s.Detail != "" {
		dst = append(dst, `,"detail":`...)
		dst = appendJSONString(dst, s.Detail)
	}
	return append(dst, '}')
}

func appendJSONError(dst []byte, msg string) []byte {
	dst = append(dst, `{"error":`...)
	dst = appendJSONString(dst, msg)
	return append(dst, '}')
}

// appendJSONTable writes rows as an array of objects keyed by header, in
// header order. A row shorter than the header gives "" for the missing
// cells; cells beyond the header have no key and are left out.
func appendJSONTable(dst []byte, header []string, rows [][]string) []byte {
	dst = append(dst, '[')
	for i, row := range rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		for j, key := range header {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, key)
			dst = append(dst, ':')
			cell := ""
			if j < len(row) {
				cell = row[j]
			}
			dst = appendJSONString(dst, cell)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']', '\n')
}

// jsonSafe marks the ASCII bytes a JSON string holds as themselves; one
// table load per byte keeps the common all-ASCII value fast.
var jsonSafe = func() (safe [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		safe[b] = b != '"' && b != '\\'
	}
	return safe
}()

// appendJSONString appends s as a JSON string the way encoding/json does
// with SetEscapeHTML(false): '<', '>' and '&' stay as they are, controls
// are escaped, U+2028 and U+2029 are escaped (JavaScript treats them as line
// ends), and each byte of invalid UTF-8 becomes \ufffd. Unlike encoding/json
// it also escapes the C1 controls U+0080–U+009F, which some terminals obey as
// escape sequences: JSON output read at a terminal can never drive it.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if jsonSafe[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		case r >= 0x80 && r < 0xa0:
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
