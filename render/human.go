package render

import (
	"strconv"
	"strings"

	"skysh/engine"
)

// humanResponse writes the form meant for a person at a terminal, modelled
// on redis-cli: strings quoted so that spaces, empty values and binary bytes
// are visible, labels such as (integer) and (Okay), numbered lists for
// arrays, and a KEY/VALUE table for MGET and POP, whose answers make sense
// only beside the keys they belong to.
func (r *Renderer) humanResponse(args []string, resp engine.Response) error {
	if arr, ok := resp.(engine.Array); ok && pairsWithKeys(args, arr) {
		return r.keyValueTable(args[1:], arr)
	}
	buf, err := r.appendHuman(r.buf[:0], resp, 0)
	r.buf = buf
	if err != nil {
		return err
	}
	r.buf = append(r.buf, '\n')
	return r.writeScratch()
}

// pairsWithKeys reports whether arr is the answer of MGET or POP with one
// item per key in args, each a value or a code. Anything else, such as a
// length that does not match, falls back to the numbered list rather than
// pairing values with the wrong keys.
func pairsWithKeys(args []string, arr engine.Array) bool {
	if len(args) < 2 || len(arr) != len(args)-1 {
		return false
	}
	if !strings.EqualFold(args[0], "MGET") && !strings.EqualFold(args[0], "POP") {
		return false
	}
	for _, item := range arr {
		switch item.(type) {
		case engine.String, engine.Status:
		default:
			return false
		}
	}
	return true
}

// appendHuman appends one response without a final newline. indent is the
// column where the response starts, so that the later lines of a nested
// array line up under its first item, as in redis-cli.
func (r *Renderer) appendHuman(dst []byte, resp engine.Response, indent int) ([]byte, error) {
	switch v := resp.(type) {
	case engine.String:
		return appendQuoted(dst, string(v)), nil
	case engine.Int:
		dst = append(dst, "(integer) "...)
		return strconv.AppendInt(dst, int64(v), 10), nil
	case engine.Status:
		return append(dst, r.humanStatus(v)...), nil
	case engine.ErrorString:
		return append(dst, r.humanError(string(v))...), nil
	case engine.Array:
		return r.appendHumanList(dst, v, indent)
	}
	return dst, unsupported(resp)
}

// humanStatus is a code's label in its colour, followed by the detail if
// there is one: `(Server Error) store is poisoned: disk full`.
func (r *Renderer) humanStatus(s engine.Status) string {
	if s.Detail == "" && int(s.Code) < len(r.colour.status) {
		return r.colour.status[s.Code]
	}
	text := statusLabel(s.Code)
	if s.Detail != "" {
		text += " " + Printable(s.Detail)
	}
	return r.colour.forCode(s.Code).Sprint(text)
}

func (r *Renderer) humanError(msg string) string {
	return r.colour.fail.Sprint("(error) " + Printable(msg))
}

// appendHumanList numbers the items from 1, padding the numbers to one width
// so that the items line up when there are ten or more.
func (r *Renderer) appendHumanList(dst []byte, items engine.Array, indent int) ([]byte, error) {
	if len(items) == 0 {
		return append(dst, "(empty array)"...), nil
	}
	width := len(strconv.Itoa(len(items)))
	for i, item := range items {
		if i > 0 {
			dst = append(dst, '\n')
			dst = appendSpaces(dst, indent)
		}
		n := i + 1
		dst = appendSpaces(dst, width-len(strconv.Itoa(n)))
		dst = strconv.AppendInt(dst, int64(n), 10)
		dst = append(dst, ')', ' ')
		var err error
		if dst, err = r.appendHuman(dst, item, indent+width+2); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func appendSpaces(dst []byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, ' ')
	}
	return dst
}
