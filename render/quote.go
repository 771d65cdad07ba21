package render

import (
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendQuoted appends s in the human form of a string: double-quoted, with
// \" \\ \n \t and \xHH for every byte that would not show as itself
// (controls, invalid UTF-8, non-printable runes such as U+00A0). Printable
// UTF-8 is kept as is so that text stays readable. These are exactly the
// escapes the tokenizer accepts inside double quotes, so a value shown can
// be pasted back into a query and means the same bytes; it also never lets a
// stored value send escape sequences to the terminal.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s, true)
	return append(dst, '"')
}

// appendEscaped appends s with non-printable bytes escaped. quoting adds
// escapes for '"' and '\\', which only the quoted form needs to stay
// unambiguous; table cells keep them as they are.
func appendEscaped(dst []byte, s string, quoting bool) []byte {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case quoting && (b == '"' || b == '\\'):
				dst = append(dst, '\\', b)
			case b == '\n':
				dst = append(dst, '\\', 'n')
			case b == '\t':
				dst = append(dst, '\\', 't')
			case b >= 0x20 && b < 0x7f:
				dst = append(dst, b)
			default:
				dst = appendHexByte(dst, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !strconv.IsPrint(r) {
			for j := i; j < i+size; j++ {
				dst = appendHexByte(dst, s[j])
			}
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// Printable returns s with every byte that would not show as itself
// escaped (\n, \t, \xHH; quotes and backslashes stay as they are), so that
// text from the user or the file system echoed in a message or a table cell
// cannot move the cursor, retitle or recolour the terminal. It is the one
// escaping function for such echoes, in every output form and on stderr.
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	return string(appendEscaped(nil, s, false))
}

func appendHexByte(dst []byte, b byte) []byte {
	return append(dst, '\\', 'x', hexDigits[b>>4], hexDigits[b&0xf])
}

// needsEscape reports whether appendEscaped would change s, so that the
// common clean cell costs no copy.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b < 0x20 || b == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !strconv.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}
