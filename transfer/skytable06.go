package transfer

// The skytable06: side waits for the Skytable 0.6 codec in package data.

func openSkytable06Source(s side) (Source, error) {
	return nil, usagef("%s: Skytable 0.6 files are not supported yet", s)
}

func openSkytable06Sink(s side) (Sink, error) {
	return nil, usagef("%s: Skytable 0.6 files are not supported yet", s)
}
