package render_test

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"skysh/engine"
	"skysh/render"
)

// BenchmarkResponse measures the answers a batch prints a million of, in the
// two forms a batch uses, through a bufio.Writer as the shell wires it.
func BenchmarkResponse(b *testing.B) {
	cases := []struct {
		name string
		args []string
		resp engine.Response
	}{
		{"Okay", []string{"SET", "k", "v"}, engine.Status{Code: engine.Okay}},
		{"String32", []string{"GET", "k"}, engine.String(strings.Repeat("v", 32))},
		{"Int", []string{"DBSIZE"}, engine.Int(1000000)},
	}
	for _, f := range []render.Format{render.Raw, render.JSON} {
		for _, c := range cases {
			b.Run(f.String()+"/"+c.name, func(b *testing.B) {
				r := render.New(bufio.NewWriter(io.Discard), f, false)
				b.ReportAllocs()
				for b.Loop() {
					if err := r.Response(c.args, c.resp); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
