package render_test

import (
	"bufio"
	"os"

	"skysh/engine"
	"skysh/render"
)

func Example() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush() // the caller owns the buffer and decides when to flush

	for _, f := range []render.Format{render.Human, render.Raw, render.JSON} {
		r := render.New(w, f, false)
		r.Response([]string{"GET", "greeting"}, engine.String("hello world"))
		r.Response([]string{"SET", "greeting", "hi"}, engine.Status{Code: engine.OverwriteError})
	}
	// Output:
	// "hello world"
	// (Overwrite Error)
	// hello world
	// (Overwrite Error)
	// "hello world"
	// {"code":2,"message":"Overwrite Error"}
}
