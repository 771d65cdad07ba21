// Command etcdload is the best a client can do loading keys into etcd: the
// yardstick of skysh's etcd row in bench/. Over one connection it puts
// -n keys key:000000000… with -vsize-byte values, -batch puts per
// transaction (etcd's --max-txn-ops, 128 by default), one transaction at a
// time, and prints one line:
//
//	keys=N batch=B seconds=S keys_per_sec=R
//
// The keys go under -prefix, so a run does not mix with skysh's keyspaces.
// With -ifnew, each transaction puts on condition that none of its keys
// exists yet, as skysh's SET must (code 2 for a key that exists): the same
// compares, without the reads skysh adds for when one fails.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func main() {
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma-separated etcd client endpoints")
	n := flag.Int("n", 100_000, "keys to put")
	batch := flag.Int("batch", 128, "puts per transaction")
	vsize := flag.Int("vsize", 32, "value size in bytes")
	prefix := flag.String("prefix", "etcdload/", "prefix of every key")
	ifNew := flag.Bool("ifnew", false, "put only if none of the transaction's keys exists")
	flag.Parse()
	if *n < 0 || *batch < 1 || *vsize < 0 {
		fmt.Fprintln(os.Stderr, "etcdload: -n must be 0 or more, -batch 1 or more, -vsize 0 or more")
		os.Exit(2)
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   strings.Split(*endpoints, ","),
		DialTimeout: 5 * time.Second,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcdload:", err)
		os.Exit(1)
	}
	defer cli.Close()

	value := strings.Repeat("v", *vsize)
	ops := make([]clientv3.Op, 0, *batch)
	cmps := make([]clientv3.Cmp, 0, *batch)
	start := time.Now()
	for i := 0; i < *n; {
		ops, cmps = ops[:0], cmps[:0]
		for ; i < *n && len(ops) < *batch; i++ {
			key := fmt.Sprintf("%skey:%09d", *prefix, i)
			ops = append(ops, clientv3.OpPut(key, value))
			if *ifNew {
				cmps = append(cmps, clientv3.Compare(clientv3.Version(key), "=", 0))
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		resp, err := cli.Txn(ctx).If(cmps...).Then(ops...).Commit()
		if err == nil && !resp.Succeeded {
			err = fmt.Errorf("a key of the transaction before key %d exists: use a new -prefix", i)
		}
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "etcdload:", err)
			os.Exit(1)
		}
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("keys=%d batch=%d seconds=%.3f keys_per_sec=%.0f\n", *n, *batch, secs, float64(*n)/secs)
}
