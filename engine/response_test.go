package engine_test

import (
	"testing"

	"skysh/engine"
)

func TestCodeMessage(t *testing.T) {
	for _, tc := range []struct {
		code engine.Code
		want string
	}{
		{0, "Okay"},
		{1, "Nil"},
		{2, "Overwrite Error"},
		{3, "Action Error"},
		{4, "Packet Error"},
		{5, "Server Error"},
		{6, "Other Error"},
		{7, "Wrongtype Error"},
		{8, "Unknown Code"},
		{255, "Unknown Code"},
	} {
		if got := tc.code.Message(); got != tc.want {
			t.Errorf("Code(%d).Message() = %q, want %q", tc.code, got, tc.want)
		}
	}
	// The constants are the wire numbers of Skytable 0.6.
	for got, want := range map[engine.Code]int{
		engine.Okay: 0, engine.Nil: 1, engine.OverwriteError: 2, engine.ActionError: 3,
		engine.PacketError: 4, engine.ServerError: 5, engine.OtherError: 6, engine.WrongtypeError: 7,
	} {
		if int(got) != want {
			t.Errorf("%s = %d, want %d", got.Message(), got, want)
		}
	}
}

func TestFailed(t *testing.T) {
	for _, tc := range []struct {
		r    engine.Response
		want bool
	}{
		{okay, false},
		{nilCode, false},
		{overwrite, true},
		{actionError, true},
		{engine.Status{Code: engine.PacketError}, true},
		{engine.Status{Code: engine.ServerError, Detail: "poisoned"}, true},
		{engine.Status{Code: engine.OtherError}, true},
		{wrongtype, true},
		{engine.ErrUnknownAction, true},
		{engine.ErrSnapshotBusy, true},
		{engine.ErrSnapshotDisabled, true},
		{engine.ErrInvalidSnapshotName, true},
		{engine.ErrDuplicateSnapshot, true},
		{engine.String("HEY!"), false},
		{engine.String(""), false},
		{engine.Int(0), false},
		// An item of an array never fails the query.
		{engine.Array{nilCode, engine.Status{Code: engine.ServerError}}, false},
		{engine.Array{}, false},
	} {
		if got := engine.Failed(tc.r); got != tc.want {
			t.Errorf("Failed(%s) = %v, want %v", fmtResponse(tc.r), got, tc.want)
		}
	}
}

func TestErrorStrings(t *testing.T) {
	for got, want := range map[engine.ErrorString]string{
		engine.ErrUnknownAction:       "Unknown action",
		engine.ErrSnapshotBusy:        "err-snapshot-busy",
		engine.ErrSnapshotDisabled:    "err-snapshot-disabled",
		engine.ErrInvalidSnapshotName: "err-invalid-snapshot-name",
		engine.ErrDuplicateSnapshot:   "err-duplicate-snapshot",
	} {
		if string(got) != want {
			t.Errorf("error string %q, want %q", got, want)
		}
	}
}
