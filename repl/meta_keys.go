package repl

import (
	"bytes"
	"container/heap"
	"fmt"
	"slices"
	"strconv"

	"skysh/data"
	"skysh/engine"
	"skysh/render"
)

// keysDefaultLimit is how many keys !keys shows when no LIMIT is given.
const keysDefaultLimit = 100

// metaKeys is `!keys [PATTERN] [LIMIT]`: the first LIMIT keys in byte order
// that match the glob PATTERN (default *), and how many match in all, from
// one point-in-time view of the store. LSKEYS keeps Skytable's contract; this
// is the command for finding keys.
//
// Memory stays bounded by LIMIT, not by the store: the keys are kept in a
// heap of the LIMIT smallest while the store is read once.
func (s *Shell) metaKeys(args []string, at where, interactive bool) outcome {
	pattern, limit := "*", keysDefaultLimit
	switch len(args) {
	case 1:
	case 3:
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 0 {
			s.reportError(at, fmt.Sprintf("!keys LIMIT must be a number, 0 or more, not %s", Quote(args[2])), interactive)
			return lineFailed
		}
		limit = n
		fallthrough
	case 2:
		pattern = args[1]
	default:
		s.reportError(at, "!keys takes a pattern and a limit: !keys [PATTERN [LIMIT]], e.g. !keys 'user:*' 20", interactive)
		return lineFailed
	}
	total, all := 0, 0
	smallest := &keyHeap{}
	err := s.cfg.Store.RangeKeys(func(k string) error {
		all++
		if !globMatch(pattern, k) {
			return nil
		}
		total++
		switch {
		case smallest.Len() < limit:
			heap.Push(smallest, k)
		case limit > 0 && k < (*smallest)[0]:
			(*smallest)[0] = k
			heap.Fix(smallest, 0)
		}
		return nil
	})
	if err != nil {
		s.reportError(at, "cannot list keys: "+err.Error(), interactive)
		return lineFailed
	}
	keys := []string(*smallest)
	slices.Sort(keys)
	s.showKeys(args, keys, total, all)
	return lineOK
}

// showKeys writes the keys !keys found and the count line: a list at the
// prompt, one key per line in the raw form (then the count as a # comment,
// so the list reads back as a script that does nothing), and one JSON
// object.
func (s *Shell) showKeys(args []string, keys []string, total, all int) {
	items := make(engine.Array, len(keys))
	for i, k := range keys {
		items[i] = engine.String(k)
	}
	if s.cfg.Format == render.JSON {
		var arr bytes.Buffer
		render.New(&arr, render.JSON, false).Response(args, items)
		fmt.Fprintf(s.out, "{\"keys\":%s,\"total\":%d}\n", bytes.TrimSuffix(arr.Bytes(), []byte("\n")), total)
		return
	}
	if len(keys) > 0 {
		s.r.Response(args, items)
	}
	count := fmt.Sprintf("%d of %s match", total, data.KeyCount(all))
	if len(keys) < total {
		count += fmt.Sprintf("; the first %d are shown (!keys PATTERN LIMIT shows more)", len(keys))
	}
	if s.cfg.Format == render.Raw {
		count = "# " + count
	}
	s.out.WriteString(count + "\n")
}

// keyCount is a store's Len for the greeting; a store that cannot count
// its keys now (a cluster without a quorum) says -1.
func keyCount(n int) string {
	if n < 0 {
		return "an unknown number of keys"
	}
	return data.KeyCount(n)
}

// plural is "1 write", "2 writes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// keyHeap is a max-heap of keys: its root is the largest of the smallest
// keys seen so far, the one a smaller key replaces.
type keyHeap []string

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(string)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
