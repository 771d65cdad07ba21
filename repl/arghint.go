package repl

import (
	"slices"
	"strings"

	"skysh/engine"
)

// Argument hints, as redis-cli shows them: once an action is typed, the
// rest of its syntax follows the cursor, dimmed, and shrinks as arguments
// are typed: "SET" shows " key value", "SET a " shows "value", "SET a b"
// nothing. An optional or repeated part ("[count]", "[key value ...]")
// stays while more arguments may follow.

// argumentHint returns what to show after line, as the parts of the
// action's syntax still to come, or nil: when the first word is no action,
// the line is complete, a quote is open, or the line continues on the
// next. The first part starts with a space when the line does not end in
// one.
func argumentHint(line string) []string {
	if _, more := Continues(line); more {
		return nil
	}
	words, typing, ok := argumentsTyped(line)
	if !ok || len(words) == 0 {
		return nil
	}
	info, found := engine.LookupAction(words[0])
	if !found {
		return nil
	}
	rest := syntaxAfter(info.Syntax, len(words)-1)
	if len(rest) > 0 && typing {
		rest[0] = " " + rest[0]
	}
	return rest
}

// argumentsTyped splits line into its words as far as it goes, and says
// whether the last one is still being typed (the line does not end in a
// space); ok is false while a quote is open, when the words are not yet
// known.
func argumentsTyped(line string) (words []string, typing, ok bool) {
	var quote byte
	in := false
	start := 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			if !in {
				in, start = true, i
			}
		case c == ' ' || c == '\t':
			if in {
				words = append(words, line[start:i])
				in = false
			}
		case !in:
			in, start = true, i
		}
	}
	if quote != 0 {
		return nil, false, false
	}
	if in {
		words = append(words, line[start:])
	}
	return words, in, true
}

// syntaxAfter is the part of an action's syntax ("MSET key value [key
// value ...]") left once n arguments are typed, as its elements: the
// required arguments still missing, then the optional part while more
// arguments may follow; nil when none may.
func syntaxAfter(syntax string, n int) []string {
	fields := strings.Fields(syntax)[1:]
	var required []string
	optional := ""
	for i, f := range fields {
		if strings.HasPrefix(f, "[") {
			optional = strings.Join(fields[i:], " ")
			break
		}
		required = append(required, f)
	}
	if n < len(required) {
		return append(required[n:], nonEmpty(optional)...)
	}
	if optional == "" {
		return nil
	}
	inside := strings.Fields(strings.Trim(optional, "[]"))
	if inside[len(inside)-1] != "..." {
		// "[count]": once typed, nothing more may follow.
		if n > len(required) {
			return nil
		}
		return []string{optional}
	}
	// "[key value ...]": the rest of the repetition under way, then more.
	group := inside[:len(inside)-1]
	done := (n - len(required)) % len(group)
	if done == 0 {
		return []string{optional}
	}
	return append(slices.Clone(group[done:]), optional)
}

// nonEmpty is s as a list of one, or none when s is "".
func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
