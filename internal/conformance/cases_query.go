package conformance

import "skysh/engine"

// Queries no action takes: they answer an error and change nothing.

func unknownActionCases() []Case {
	var cases []Case
	for _, tc := range []struct {
		name  string
		query []string
	}{
		{"FOO", q("FOO")},
		{"FOO with args", q("FOO", "a", "b")},
		{"empty name", q("")},
		{"longer than GET", q("GETX", "a")},
		{"shorter than GET", q("GE", "a")},
		{"GET and a NUL", q("GET\x00", "a")},
		{"leading space", q(" GET", "a")},
		{"longer than FLUSHDB", q("FLUSHDBX")},
		{"MUPDATE twice", q("MUPDATEMUPDATE", "a", "1")},
		{"small capitals", q("ɢᴇᴛ", "a")},
		{"not UTF-8", q("\xff")},
		{"a shell word", q("exit")},
	} {
		cases = append(cases, Case{Name: tc.name, Setup: setAB, Query: tc.query, Want: engine.ErrUnknownAction, After: ab})
	}
	return cases
}

func emptyQueryCases() []Case {
	emptyQuery := engine.Status{Code: engine.PacketError, Detail: "empty query"}
	return []Case{
		{Name: "nil", Setup: setAB, Query: nil, Want: emptyQuery, After: ab},
		{Name: "no args", Setup: setAB, Query: []string{}, Want: emptyQuery, After: ab},
	}
}
