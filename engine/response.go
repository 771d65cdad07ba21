package engine

// Response is the answer to one query. It is one of String, Int, Status,
// ErrorString or Array; the set is closed so that renderers can switch on it
// exhaustively.
type Response interface {
	isResponse()
}

// String is a binary-safe value: a Go string holds any bytes, not only UTF-8.
type String string

// Int is an integer answer such as a count of keys.
type Int int64

// ErrorString is a named error that is not a response code, such as
// "Unknown action" or "err-snapshot-busy".
type ErrorString string

// Array is the answer of actions that return one item per key (MGET, POP) or a
// list (LSKEYS). Its items are String or Status values.
type Array []Response

// Status is a response code, optionally with a detail that says why, such as
// the reason a poisoned store refuses writes.
type Status struct {
	Code   Code
	Detail string
}

func (String) isResponse()      {}
func (Int) isResponse()         {}
func (ErrorString) isResponse() {}
func (Array) isResponse()       {}
func (Status) isResponse()      {}

// Code is one of Skytable's response codes.
type Code uint8

// The response codes, numbered as on the wire in Skytable 0.6.
const (
	Okay           Code = 0
	Nil            Code = 1
	OverwriteError Code = 2
	ActionError    Code = 3
	PacketError    Code = 4
	ServerError    Code = 5
	OtherError     Code = 6
	WrongtypeError Code = 7
)

var codeMessages = [...]string{
	Okay:           "Okay",
	Nil:            "Nil",
	OverwriteError: "Overwrite Error",
	ActionError:    "Action Error",
	PacketError:    "Packet Error",
	ServerError:    "Server Error",
	OtherError:     "Other Error",
	WrongtypeError: "Wrongtype Error",
}

// Message is the code's name as Skytable prints it, e.g. "Overwrite Error".
func (c Code) Message() string {
	if int(c) < len(codeMessages) {
		return codeMessages[c]
	}
	return "Unknown Code"
}

// The error strings of the query language.
const (
	ErrUnknownAction       ErrorString = "Unknown action"
	ErrSnapshotBusy        ErrorString = "err-snapshot-busy"
	ErrSnapshotDisabled    ErrorString = "err-snapshot-disabled"
	ErrInvalidSnapshotName ErrorString = "err-invalid-snapshot-name"
	ErrDuplicateSnapshot   ErrorString = "err-duplicate-snapshot"
)

// Failed reports whether r counts as a failed query for the shell's exit
// status: a response code of 2 or more, or an error string. Items inside an
// Array never fail the query: a missing key in MGET is code 1, not an error.
func Failed(r Response) bool {
	switch r := r.(type) {
	case Status:
		return r.Code >= OverwriteError
	case ErrorString:
		return true
	}
	return false
}

// Code-only responses are shared values; they carry no detail.
var (
	okay      Response = Status{Code: Okay}
	nilResp   Response = Status{Code: Nil}
	overwrite Response = Status{Code: OverwriteError}
	wrongtype Response = Status{Code: WrongtypeError}
)
