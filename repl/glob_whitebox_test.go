package repl

import "testing"

// TestGlobMatch: the KEYS patterns Redis users type, on keys with slashes,
// binary bytes and the empty key.
func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, key string
		want         bool
	}{
		{"*", "", true},
		{"*", "user/1", true},
		{"user:*", "user:42", true},
		{"user:*", "users:42", false},
		{"*:1", "user:1", true},
		{"*:1", "user:12", false},
		{"u?er", "user", true},
		{"u?er", "uer", false},
		{"h[ae]llo", "hello", true},
		{"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true},
		{"h[^e]llo", "hello", false},
		{"k[0-9]", "k7", true},
		{"k[0-9]", "kx", false},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
		{"a[b", "a[b", true},
		{"*a*b*c*", "xxaxxbxxcxx", true},
		{"*a*b*c*", "xxaxxcxxbxx", false},
		{"\xff*", "\xff\x00", true},
		{"", "", true},
		{"", "a", false},
		{"a*", "a", true},
		{"[]]", "]", true},
	} {
		if got := globMatch(tc.pattern, tc.key); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.key, got, tc.want)
		}
	}
}
