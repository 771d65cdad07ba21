package repl

// globMatch reports whether key matches pattern, as Redis's KEYS does:
// * any run of bytes (a / included), ? any one byte, [abc] [a-z] [^a] one of
// a set, and \ makes the next byte literal. Bytes, not runes, so that binary
// keys match too. A malformed set ([ without ]) matches a literal [.
func globMatch(pattern, key string) bool {
	// Iterative with one backtrack point: the last star, where a failed
	// match resumes one byte further into key.
	p, k := 0, 0
	starP, starK := -1, 0
	for k < len(key) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				starP, starK = p, k
				p++
				continue
			case '?':
				p++
				k++
				continue
			case '[':
				if ok, next, valid := matchSet(pattern, p, key[k]); valid {
					if ok {
						p, k = next, k+1
						continue
					}
					break
				}
				if key[k] == '[' {
					p, k = p+1, k+1
					continue
				}
			case '\\':
				if p+1 < len(pattern) && pattern[p+1] == key[k] {
					p, k = p+2, k+1
					continue
				}
			default:
				if pattern[p] == key[k] {
					p, k = p+1, k+1
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starK++
		p, k = starP+1, starK
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchSet matches c against the set that opens at pattern[open] and
// returns whether it matched, where the pattern goes on after the set, and
// whether the set is well formed (closed by ]).
func matchSet(pattern string, open int, c byte) (matched bool, next int, valid bool) {
	i := open + 1
	negate := i < len(pattern) && pattern[i] == '^'
	if negate {
		i++
	}
	for first := true; i < len(pattern); first = false {
		lo := pattern[i]
		if lo == ']' && !first {
			return matched != negate, i + 1, true
		}
		if lo == '\\' && i+1 < len(pattern) {
			i++
			lo = pattern[i]
		}
		hi := lo
		if i+2 < len(pattern) && pattern[i+1] == '-' && pattern[i+2] != ']' {
			hi = pattern[i+2]
			i += 2
		}
		if min(lo, hi) <= c && c <= max(lo, hi) {
			matched = true
		}
		i++
	}
	return false, 0, false
}
