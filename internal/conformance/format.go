package conformance

import (
	"fmt"
	"strings"

	"skysh/engine"
)

// FormatQuery shows a query for a failure message, every argument quoted,
// so that binary and empty arguments can be told apart.
func FormatQuery(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprintf("%q", a)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// FormatResponse shows an answer for a failure message with its Go type, so
// that String("1") and Int(1) never look alike.
func FormatResponse(r engine.Response) string {
	switch r := r.(type) {
	case nil:
		return "<nil>"
	case engine.String:
		return fmt.Sprintf("String(%q)", string(r))
	case engine.Int:
		return fmt.Sprintf("Int(%d)", int64(r))
	case engine.ErrorString:
		return fmt.Sprintf("ErrorString(%q)", string(r))
	case engine.Status:
		if r.Detail == "" {
			return fmt.Sprintf("Status{%d %s}", r.Code, r.Code.Message())
		}
		return fmt.Sprintf("Status{%d %s, %q}", r.Code, r.Code.Message(), r.Detail)
	case engine.Array:
		parts := make([]string, len(r))
		for i, item := range r {
			parts[i] = FormatResponse(item)
		}
		return "Array[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("%T(%#v)", r, r)
}
