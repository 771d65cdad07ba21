// Command gen writes the benchmark workload: n keys key:000000000,
// key:000000001, … (13 bytes each) with 32-byte random alphanumeric values
// drawn from a PCG generator with a fixed seed, so every format and every run
// holds exactly the same pairs.
//
// Usage:
//
//	go run ./bench/gen -n 1000000 -seed 42 -format sky|resp|sql -o FILE
//
// Formats:
//
//	sky   one skysh query per line: SET key value
//	resp  Redis protocol (RESP arrays of SET key value) for redis-cli --pipe
//	sql   one sqlite3 transaction: BEGIN; CREATE TABLE kv(k TEXT PRIMARY KEY,
//	      v TEXT); one INSERT per pair; COMMIT;
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

// valueLen is the length of every value in bytes.
const valueLen = 32

// alphabet holds the bytes values are made of; none needs quoting in any of
// the three formats.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func main() {
	n := flag.Int("n", 1000000, "number of keys")
	seed := flag.Uint64("seed", 42, "random seed for the values")
	format := flag.String("format", "sky", "output format: sky, resp or sql")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	if *n < 0 || *n > 1_000_000_000 {
		fatal(fmt.Errorf("-n %d: must be between 0 and 1e9 (keys have 9 digits)", *n))
	}
	var write func(w *bufio.Writer, key, val []byte)
	switch *format {
	case "sky":
		write = writeSky
	case "resp":
		write = writeRESP
	case "sql":
		write = writeSQL
	default:
		fatal(fmt.Errorf("-format %q: want sky, resp or sql", *format))
	}

	f := os.Stdout
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fatal(err)
		}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if *format == "sql" {
		w.WriteString("BEGIN;\nCREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT);\n")
	}
	rng := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	key := []byte("key:000000000")
	val := make([]byte, valueLen)
	for i := 0; i < *n; i++ {
		setKey(key, i)
		for j := range val {
			val[j] = alphabet[rng.IntN(len(alphabet))]
		}
		write(w, key, val)
	}
	if *format == "sql" {
		w.WriteString("COMMIT;\n")
	}
	if err := w.Flush(); err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
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

func writeRESP(w *bufio.Writer, key, val []byte) {
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
