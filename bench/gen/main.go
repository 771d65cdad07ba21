// Command gen writes the benchmark workload, the same for every format and
// every run: the values (and, for the mixed workload, the choice of query and
// key) are drawn from a PCG generator with a fixed seed.
//
// Usage:
//
//	go run ./bench/gen -n 1000000 [-vsize 32] [-seed 42] -format sky|resp|sql -o FILE
//	go run ./bench/gen -workload mixed -n 1000000 -keys 1000000 -format sky|resp -o FILE
//
// Workloads:
//
//	sets   n SETs of new keys key:000000000, key:000000001, … (13 bytes
//	       each) with random alphanumeric values of -vsize bytes
//	mixed  n queries over the existing keys key:000000000 … of a store
//	       filled by `sets` with -keys keys: half GETs, half overwrites with
//	       a new -vsize-byte value, each of a random key, in random order
//
// Formats:
//
//	sky   one skysh query per line: SET key value; mixed: GET key or
//	      USET key value (USET writes whether or not the key exists, as
//	      Redis's SET does)
//	resp  Redis protocol (RESP arrays) for redis-cli --pipe: SET key value;
//	      mixed: GET key or SET key value
//	sql   sets only: one sqlite3 transaction: BEGIN; CREATE TABLE kv(k TEXT
//	      PRIMARY KEY, v TEXT); one INSERT per pair; COMMIT;
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

// maxKeys is one more than the largest key number: keys have nine digits.
const maxKeys = 1_000_000_000

// maxValueLen bounds -vsize so that a line stays well under any reader's
// line limit.
const maxValueLen = 1 << 20

// alphabet holds the bytes values are made of; none needs quoting in any of
// the three formats.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// writer writes one query of a workload in one format: a SET (or
// overwrite) when val is not nil, a GET when it is.
type writer func(w *bufio.Writer, key, val []byte)

func main() {
	n := flag.Int("n", 1000000, "number of queries (for sets: of keys)")
	keys := flag.Int("keys", 0, "mixed: number of keys in the store queried (default n)")
	vsize := flag.Int("vsize", 32, "length of every value in bytes")
	seed := flag.Uint64("seed", 42, "random seed")
	workload := flag.String("workload", "sets", "workload: sets or mixed")
	format := flag.String("format", "sky", "output format: sky, resp or sql")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	if *keys == 0 {
		*keys = *n
	}
	write, err := check(*n, *keys, *vsize, *workload, *format)
	if err != nil {
		fatal(err)
	}

	f := os.Stdout
	if *out != "-" {
		if f, err = os.Create(*out); err != nil {
			fatal(err)
		}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	val := make([]byte, *vsize)
	if *workload == "mixed" {
		writeMixed(w, write, rng, *n, *keys, val)
	} else {
		writeSets(w, write, rng, *n, val, *format == "sql")
	}
	if err := w.Flush(); err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
}

// check validates the flags and returns the writer of the format.
func check(n, keys, vsize int, workload, format string) (writer, error) {
	switch {
	case n < 0 || n > maxKeys:
		return nil, fmt.Errorf("-n %d: must be between 0 and 1e9 (keys have 9 digits)", n)
	case keys < 1 || keys > maxKeys:
		return nil, fmt.Errorf("-keys %d: must be between 1 and 1e9", keys)
	case vsize < 1 || vsize > maxValueLen:
		return nil, fmt.Errorf("-vsize %d: must be between 1 and %d", vsize, maxValueLen)
	case workload != "sets" && workload != "mixed":
		return nil, fmt.Errorf("-workload %q: want sets or mixed", workload)
	}
	switch format {
	case "sky":
		if workload == "mixed" {
			return writeSkyMixed, nil
		}
		return writeSky, nil
	case "resp":
		return writeRESP, nil
	case "sql":
		if workload == "mixed" {
			return nil, fmt.Errorf("-format sql holds only the sets workload")
		}
		return writeSQL, nil
	}
	return nil, fmt.Errorf("-format %q: want sky, resp or sql", format)
}

// writeSets writes n SETs of new keys, wrapped in one transaction for SQL.
func writeSets(w *bufio.Writer, write writer, rng *rand.Rand, n int, val []byte, sql bool) {
	if sql {
		w.WriteString("BEGIN;\nCREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT);\n")
	}
	key := []byte("key:000000000")
	for i := 0; i < n; i++ {
		setKey(key, i)
		fill(rng, val)
		write(w, key, val)
	}
	if sql {
		w.WriteString("COMMIT;\n")
	}
}

// writeMixed writes n queries, each a GET or an overwrite (even odds) of a
// random one of keys existing keys.
func writeMixed(w *bufio.Writer, write writer, rng *rand.Rand, n, keys int, val []byte) {
	key := []byte("key:000000000")
	for i := 0; i < n; i++ {
		get := rng.IntN(2) == 0
		setKey(key, rng.IntN(keys))
		if get {
			write(w, key, nil)
			continue
		}
		fill(rng, val)
		write(w, key, val)
	}
}

// fill overwrites val with random bytes of the alphabet.
func fill(rng *rand.Rand, val []byte) {
	for j := range val {
		val[j] = alphabet[rng.IntN(len(alphabet))]
	}
}

// setKey writes i as nine zero-padded digits into the tail of key.
func setKey(key []byte, i int) {
	for p := len(key) - 1; p >= len(key)-9; p-- {
		key[p] = byte('0' + i%10)
		i /= 10
	}
}

func writeSky(w *bufio.Writer, key, val []byte) {
	w.WriteString("SET ")
	w.Write(key)
	w.WriteByte(' ')
	w.Write(val)
	w.WriteByte('\n')
}

// writeSkyMixed writes GET, or USET for an overwrite: SET of a key that
// exists fails in skysh, USET writes either way, as Redis's SET does.
func writeSkyMixed(w *bufio.Writer, key, val []byte) {
	if val == nil {
		w.WriteString("GET ")
		w.Write(key)
		w.WriteByte('\n')
		return
	}
	w.WriteString("USET ")
	w.Write(key)
	w.WriteByte(' ')
	w.Write(val)
	w.WriteByte('\n')
}

func writeRESP(w *bufio.Writer, key, val []byte) {
	if val == nil {
		w.WriteString("*2\r\n$3\r\nGET\r\n")
		bulk(w, key)
		return
	}
	w.WriteString("*3\r\n$3\r\nSET\r\n")
	bulk(w, key)
	bulk(w, val)
}

// bulk writes b as a RESP bulk string.
func bulk(w *bufio.Writer, b []byte) {
	w.WriteByte('$')
	w.WriteString(strconv.Itoa(len(b)))
	w.WriteString("\r\n")
	w.Write(b)
	w.WriteString("\r\n")
}

func writeSQL(w *bufio.Writer, key, val []byte) {
	w.WriteString("INSERT INTO kv VALUES('")
	w.Write(key)
	w.WriteString("','")
	w.Write(val)
	w.WriteString("');\n")
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
