package render

import (
	"github.com/fatih/color"

	"skysh/engine"
)

// palette holds the colours of the human form. Each Renderer has its own
// *color.Color values, switched on or off with EnableColor/DisableColor,
// because color.NoColor is an unsynchronised global decided from stdout
// alone, while skysh decides colour from its flags and NO_COLOR.
type palette struct {
	ok   *color.Color // (Okay)
	null *color.Color // (Nil)
	fail *color.Color // error codes and error strings

	// status is each known code's label, painted once here because the
	// labels are the most frequent human output.
	status [len(statusLabels)]string
}

// statusLabels are the human and raw labels of the known response codes.
var statusLabels = [...]string{
	engine.Okay:           "(Okay)",
	engine.Nil:            "(Nil)",
	engine.OverwriteError: "(Overwrite Error)",
	engine.ActionError:    "(Action Error)",
	engine.PacketError:    "(Packet Error)",
	engine.ServerError:    "(Server Error)",
	engine.OtherError:     "(Other Error)",
	engine.WrongtypeError: "(Wrongtype Error)",
}

func newPalette(on bool) palette {
	p := palette{
		ok:   color.New(color.FgGreen),
		null: color.New(color.FgYellow),
		fail: color.New(color.FgRed),
	}
	for _, c := range []*color.Color{p.ok, p.null, p.fail} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	for code, label := range statusLabels {
		p.status[code] = p.forCode(engine.Code(code)).Sprint(label)
	}
	return p
}

// forCode is the colour of a response code: green for Okay, yellow for Nil
// (a normal answer, not a failure), red for everything else.
func (p palette) forCode(c engine.Code) *color.Color {
	switch c {
	case engine.Okay:
		return p.ok
	case engine.Nil:
		return p.null
	}
	return p.fail
}

// statusLabel is the label of a code, including codes the engine may add
// later, which show as (Unknown Code).
func statusLabel(c engine.Code) string {
	if int(c) < len(statusLabels) {
		return statusLabels[c]
	}
	return "(" + c.Message() + ")"
}
