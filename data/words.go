package data

import "strconv"

// KeyCount is a number of keys as a person writes it: "1 key", "3 keys".
// Every message of skysh that counts keys says it through here.
func KeyCount[N int | int64 | uint64](n N) string {
	if n == 1 {
		return "1 key"
	}
	return strconv.FormatInt(int64(n), 10) + " keys"
}
