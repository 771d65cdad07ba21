package conformance

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"skysh/backend"
	"skysh/engine"
)

// checkAnswer says how got differs from what c wants, or returns nil.
func (c Case) checkAnswer(got engine.Response) error {
	switch {
	case c.Pick > 0:
		return checkPicked(got, c.Want, c.Pick)
	case c.Unordered:
		g, gerr := sortedStrings(got)
		w, werr := sortedStrings(c.Want)
		if err := errors.Join(gerr, werr); err != nil {
			return err
		}
		if !slices.Equal(g, w) {
			return fmt.Errorf("sorted %q, want %q", g, w)
		}
	case !equal(got, c.Want):
		return fmt.Errorf("want %s", FormatResponse(c.Want))
	}
	return nil
}

// checkPicked says why got is not an array of n distinct strings taken from
// the array from, or returns nil.
func checkPicked(got, from engine.Response, n int) error {
	g, err := sortedStrings(got)
	if err != nil {
		return err
	}
	f, err := sortedStrings(from)
	if err != nil {
		return err
	}
	if len(g) != n {
		return fmt.Errorf("%d items, want %d of %q", len(g), n, f)
	}
	for i, s := range g {
		if _, ok := slices.BinarySearch(f, s); !ok {
			return fmt.Errorf("%q is not one of %q", s, f)
		}
		if i > 0 && g[i-1] == s {
			return fmt.Errorf("%q is listed twice", s)
		}
	}
	return nil
}

// sortedStrings returns the items of an array of strings, sorted.
func sortedStrings(r engine.Response) ([]string, error) {
	arr, ok := r.(engine.Array)
	if !ok {
		return nil, fmt.Errorf("%s is not an array", FormatResponse(r))
	}
	out := make([]string, len(arr))
	for i, item := range arr {
		s, ok := item.(engine.String)
		if !ok {
			return nil, fmt.Errorf("item %d is %s, not a string", i, FormatResponse(item))
		}
		out[i] = string(s)
	}
	slices.Sort(out)
	return out, nil
}

// equal says whether two answers are the same to the user: of the same type
// and value, item by item for arrays (an empty array is empty however it was
// made).
func equal(a, b engine.Response) bool {
	aa, ok := a.(engine.Array)
	if !ok {
		return a == b
	}
	ba, ok := b.(engine.Array)
	return ok && slices.EqualFunc(aa, ba, equal)
}

// checkStore says how s differs from want (nil: nothing) as RangeSorted
// shows it, or whether DBSIZE or Len count another number of keys, or
// returns nil.
func checkStore(s backend.Store, want map[string]string) error {
	got, err := contents(s)
	errs := []error{err}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		switch v, ok := got[k]; {
		case !ok:
			errs = append(errs, fmt.Errorf("store lacks %q, want it = %q", k, want[k]))
		case v != want[k]:
			errs = append(errs, fmt.Errorf("store holds %q = %q, want %q", k, v, want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			errs = append(errs, fmt.Errorf("store holds %q = %q, want no such key", k, got[k]))
		}
	}
	if got, want := s.Exec([]string{"DBSIZE"}), engine.Int(len(want)); !equal(got, want) {
		errs = append(errs, fmt.Errorf("DBSIZE = %s, want %s", FormatResponse(got), FormatResponse(want)))
	}
	// Len may not know, but must not be wrong.
	if got := s.Len(); got != -1 && got != len(want) {
		errs = append(errs, fmt.Errorf("Len() = %d, want %d", got, len(want)))
	}
	return errors.Join(append(errs, checkKeysWithPrefix(s, slices.Sorted(maps.Keys(want))))...)
}

// checkKeysWithPrefix says how KeysWithPrefix("") differs from want, the
// store's keys, or returns nil: with room for every key it finds them all
// and says so; with room for one less it finds that many and says it has
// not found them all.
func checkKeysWithPrefix(s backend.Store, want []string) error {
	const budget = 1 << 20 // the whole store
	keys, complete := s.KeysWithPrefix("", len(want)+1, budget)
	slices.Sort(keys)
	if !slices.Equal(keys, want) || !complete {
		return fmt.Errorf("KeysWithPrefix(\"\", %d) = %q, complete %v; want %q, complete", len(want)+1, keys, complete, want)
	}
	if len(want) == 0 {
		return nil
	}
	if keys, complete := s.KeysWithPrefix("", len(want)-1, budget); len(keys) != len(want)-1 || complete {
		return fmt.Errorf("KeysWithPrefix(\"\", %d) = %q, complete %v; want %d of the %d keys, not complete", len(want)-1, keys, complete, len(want)-1, len(want))
	}
	return nil
}

// contents reads the whole store through RangeSorted, checking that it
// gives each key once and in order.
func contents(s backend.Store) (map[string]string, error) {
	m := make(map[string]string)
	var prev string
	err := s.RangeSorted(func(k, v string) error {
		if len(m) > 0 && k <= prev {
			return fmt.Errorf("RangeSorted gave %q after %q: not in key order", k, prev)
		}
		m[k], prev = v, k
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("RangeSorted: %w", err)
	}
	return m, nil
}
