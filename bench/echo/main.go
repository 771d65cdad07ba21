// Command echo is the floor of a coprocess round trip: it answers every
// line on stdin with skysh's JSON answer to a SET at once, doing nothing
// else, so bench/roundtrip -bin echo measures only the pipes and the
// scheduler. Its arguments (roundtrip passes -d DIR and skysh's flags) are
// ignored.
//
//	go build -o /tmp/echo ./bench/echo
//	roundtrip -bin /tmp/echo -d /tmp/unused -dur 3s
package main

import (
	"bufio"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	answer := []byte(`{"code":0,"message":"Okay"}` + "\n")
	for {
		if _, err := in.ReadSlice('\n'); err != nil {
			return
		}
		if _, err := os.Stdout.Write(answer); err != nil {
			return
		}
	}
}
