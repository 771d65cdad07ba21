package transfer

import (
	"encoding/hex"
	"strings"
	"testing"
)

// TestDigestVectors pins the digest's encoding: changing it would make
// every digest printed so far meaningless. The expected sums were computed
// outside Go, e.g. for the second case:
//
//	python3 -c "import hashlib,struct; h=hashlib.sha256()
//	for k,v in [(b'',b'empty'),(b'\x00\xff',b'bin'),(b'a',b'1')]:
//	    h.update(struct.pack('<Q',len(k))+k+struct.pack('<Q',len(v))+v)
//	print(h.hexdigest())"
func TestDigestVectors(t *testing.T) {
	for _, c := range []struct {
		pairs [][2]string
		want  string
	}{
		{nil, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{[][2]string{{"", "empty"}, {"\x00\xff", "bin"}, {"a", "1"}}, "c61be16c985830a33607e525e7be83bdb7978b35b016f5455a6481f7aa4d539b"},
	} {
		d := newDigester()
		for _, p := range c.pairs {
			if err := d.add(p[0], p[1]); err != nil {
				t.Fatal(err)
			}
		}
		got := d.digest()
		if hex.EncodeToString(got.Sum[:]) != c.want || got.Keys != int64(len(c.pairs)) {
			t.Errorf("digest of %q = %v, want %d keys, sha256 %s", c.pairs, got, len(c.pairs), c.want)
		}
	}
}

// TestDigestRefusesDisorder: pairs out of key order, or a key twice, are
// not a store's sorted pairs, and a digest of them would mean nothing.
func TestDigestRefusesDisorder(t *testing.T) {
	for _, keys := range [][]string{{"b", "a"}, {"a", "a"}, {"a", ""}} {
		d := newDigester()
		d.add(keys[0], "")
		if err := d.add(keys[1], ""); err == nil || !strings.Contains(err.Error(), "out of order") {
			t.Errorf("keys %q: %v, want out of order", keys, err)
		}
	}
}
