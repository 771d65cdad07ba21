package render

import (
	"strconv"

	"skysh/engine"
)

// Describe is the one-line text of a response for messages on stderr such as
// `line 3: Overwrite Error (code 2)`. It names both the message and the code
// because scripts are written against codes and people read messages;
// a detail follows after a colon: `Server Error (code 5): store is poisoned:
// disk full`. Error strings are themselves: `Unknown action`. Non-failing
// responses get a short summary, so that any response can be described.
func Describe(resp engine.Response) string {
	switch v := resp.(type) {
	case engine.Status:
		s := v.Code.Message() + " (code " + strconv.Itoa(int(v.Code)) + ")"
		if v.Detail != "" {
			s += ": " + Printable(v.Detail)
		}
		return s
	case engine.ErrorString:
		return Printable(string(v))
	case engine.String:
		return "string " + string(appendQuoted(nil, string(v)))
	case engine.Int:
		return "integer " + strconv.FormatInt(int64(v), 10)
	case engine.Array:
		return "array of " + strconv.Itoa(len(v)) + " items"
	}
	return "no response"
}
