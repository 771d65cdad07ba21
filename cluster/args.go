package cluster

// etcd refuses a key twice among one transaction's writes, so the actions
// write each key once, with the value the engine would leave, and work out
// the engine's answer for the repeats themselves.

// distinct is keys without repeats, in the order of their first mention.
func distinct(keys []string) []string {
	seen := make(map[string]struct{}, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if _, dup := seen[k]; !dup {
			seen[k] = struct{}{}
			out = append(out, k)
		}
	}
	return out
}

// pairs are the keys of key-value arguments without repeats, in the order
// of their first mention, and the value of each: the first one given when
// first is set (what MSET keeps: later pairs find the key there), else the
// last one (what every other action leaves).
func pairs(args []string, first bool) (keys []string, values map[string]string) {
	values = make(map[string]string, len(args)/2)
	for i := 0; i < len(args); i += 2 {
		k, v := args[i], args[i+1]
		if _, seen := values[k]; !seen {
			keys = append(keys, k)
		} else if first {
			continue
		}
		values[k] = v
	}
	return keys, values
}
