package repl

import (
	"testing"

	"skysh/engine"
)

// placedStore is a store that names its place and may refuse writes.
type placedStore struct {
	*engine.Engine
	label  string
	reason string
}

func (p placedStore) Label() string { return p.label }
func (p placedStore) Poisoned() (string, bool) {
	return p.reason, p.reason != ""
}

// TestReadyPrompt: the local store's prompt is unchanged; a store with a
// label names it, and while it refuses writes says poisoned with the gist
// of why, made printable.
func TestReadyPrompt(t *testing.T) {
	for _, tc := range []struct {
		s    *Shell
		want string
	}{
		{s: New(Config{Store: engine.New()}), want: "skysh> "},
		{s: New(Config{Store: placedStore{engine.New(), "etcd:default", ""}}), want: "skysh etcd:default> "},
		{s: New(Config{Store: placedStore{engine.New(), "etcd:default", "the cluster has no leader: it lost its quorum"}}),
			want: "skysh etcd:default (poisoned: the cluster has no leader)> "},
		{s: New(Config{Store: placedStore{engine.New(), "etcd:x", "the cluster is out of space (NOSPACE alarm); free it"}}),
			want: "skysh etcd:x (poisoned: the cluster is out of space)> "},
		{s: New(Config{Store: placedStore{engine.New(), "etcd:x", "a reason far longer than a prompt should ever hold, without any stop"}}),
			want: "skysh etcd:x (poisoned: a reason far longer than a prompt shoul…)> "},
		{s: New(Config{Store: placedStore{engine.New(), "etcd:\x1b[2J", "\x1b[31mred"}}),
			want: "skysh etcd:\\x1b[2J (poisoned: \\x1b[31mred)> "},
	} {
		if got := tc.s.readyPrompt(); got != tc.want {
			t.Errorf("readyPrompt() = %q, want %q", got, tc.want)
		}
	}
	e := engine.New()
	e.Poison(engine.SourceBGSave, "disk full")
	if got := New(Config{Store: e}).readyPrompt(); got != promptPoisoned {
		t.Errorf("poisoned local prompt = %q, want %q", got, promptPoisoned)
	}
}

// TestContinuedPrompt: the "...>" of a continued line ends where the ready
// prompt ends, so a cluster's longer prompt keeps a query's lines in one
// column; the local prompt keeps its own.
func TestContinuedPrompt(t *testing.T) {
	for ready, want := range map[string]string{
		"skysh> ":              "   ...> ",
		"skysh (poisoned)> ":   "             ...> ",
		"skysh etcd:default> ": "               ...> ",
		"skysh etcd:日本> ":      "            ...> ",
		"":                     "   ...> ",
	} {
		if got := continuedPrompt(ready); got != want {
			t.Errorf("continuedPrompt(%q) = %q, want %q", ready, got, want)
		}
	}
}
