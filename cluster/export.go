package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// pageSize is how many keys one request of a whole-keyspace read returns:
// a few megabytes of typical values, never the whole keyspace at once.
const pageSize = 1000

// completionTimeout bounds the read behind a completion, which runs at each
// keystroke: a slow cluster must not freeze the prompt.
const completionTimeout = time.Second

// Pair is one key and its value.
type Pair struct{ Key, Value string }

// Len is the number of keys in the keyspace, or -1 if the cluster cannot
// say within the timeout.
func (s *Store) Len() int {
	n, refused := s.count()
	if refused != nil {
		return -1
	}
	return int(n)
}

// Empty reports whether the keyspace holds no key.
func (s *Store) Empty() (bool, error) {
	ctx, cancel := s.queryContext()
	defer cancel()
	rd := reader{s: s}
	resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		return []clientv3.Op{clientv3.OpGet(s.ks.prefix, s.all(append(extra, clientv3.WithKeysOnly(), clientv3.WithLimit(1))...)...)}
	})
	if refused != nil {
		return false, asError(refused)
	}
	return len(resp.Responses[0].GetResponseRange().Kvs) == 0, nil
}

// RangeSorted calls fn with every key and value of the keyspace as of one
// revision, in byte order of the keys, reading a page at a time, until fn
// returns an error, which it returns.
func (s *Store) RangeSorted(fn func(key, value string) error) error {
	return s.pagesFrom(reader{s: s}, false, fn)
}

// RangeKeys calls fn with every key of the keyspace as of one revision,
// in byte order, until fn returns an error, which it returns.
func (s *Store) RangeKeys(fn func(key string) error) error {
	return s.pagesFrom(reader{s: s}, true, func(k, _ string) error { return fn(k) })
}

// pagesFrom reads the keyspace at one revision (rd's, if it has read
// already), a page at a time, each page bounded by the timeout.
func (s *Store) pagesFrom(rd reader, keysOnly bool, fn func(key, value string) error) error {
	from := s.ks.prefix
	for {
		ctx, cancel := s.queryContext()
		resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
			extra = append(extra, clientv3.WithLimit(pageSize))
			if keysOnly {
				extra = append(extra, clientv3.WithKeysOnly())
			}
			return []clientv3.Op{clientv3.OpGet(from, append(extra, clientv3.WithRange(s.ks.end))...)}
		})
		cancel()
		if refused != nil {
			return asError(refused)
		}
		rr := resp.Responses[0].GetResponseRange()
		for _, kv := range rr.Kvs {
			if err := fn(s.ks.user(kv.Key), string(kv.Value)); err != nil {
				return err
			}
		}
		if !rr.More || len(rr.Kvs) == 0 {
			return nil
		}
		// The next page starts just after the last key of this one.
		from = string(rr.Kvs[len(rr.Kvs)-1].Key) + "\x00"
	}
}

// KeysWithPrefix returns up to limit keys of the keyspace that start with
// prefix, in key order, within a second; complete says whether there are
// no more. The cluster filters the keys, so budget is not needed.
func (s *Store) KeysWithPrefix(prefix string, limit, budget int) (keys []string, complete bool) {
	if limit <= 0 {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(s.ctx, min(s.opts.Timeout, completionTimeout))
	defer cancel()
	from := s.ks.key(prefix)
	end := s.ks.end
	if prefix != "" {
		end = clientv3.GetPrefixRangeEnd(from)
	}
	rd := reader{s: s}
	resp, refused := rd.read(ctx, func(extra ...clientv3.OpOption) []clientv3.Op {
		extra = append(extra, clientv3.WithRange(end), clientv3.WithKeysOnly(), clientv3.WithLimit(int64(limit)))
		return []clientv3.Op{clientv3.OpGet(from, extra...)}
	})
	if refused != nil {
		return nil, false
	}
	rr := resp.Responses[0].GetResponseRange()
	keys = make([]string, len(rr.Kvs))
	for i, kv := range rr.Kvs {
		keys[i] = s.ks.user(kv.Key)
	}
	return keys, !rr.More
}

// PutBatch writes pairs, with distinct keys, in one transaction: all or
// none. The caller keeps batches within MaxOps pairs and the cluster's
// request size; a batch over them is refused whole.
func (s *Store) PutBatch(pairs []Pair) error {
	ctx, cancel := s.queryContext()
	defer cancel()
	then := make([]clientv3.Op, len(pairs))
	seen := make(map[string]struct{}, len(pairs))
	for i, p := range pairs {
		if _, dup := seen[p.Key]; dup {
			return fmt.Errorf("cannot write a batch with key %q twice", p.Key)
		}
		seen[p.Key] = struct{}{}
		then[i] = s.put(p.Key, p.Value)
	}
	_, refused := s.write(ctx, "the batch", txn{then: then, puts: true})
	return asError(refused)
}

// asError is a refusal as an error, for callers outside the query language.
func asError(r engine.Response) error {
	switch r := r.(type) {
	case nil:
		return nil
	case engine.Status:
		return errors.New(r.Detail)
	}
	return fmt.Errorf("%v", r)
}

// DeleteAll deletes every key of the keyspace, a page of keys per
// transaction, each bounded by the timeout. FLUSHDB deletes them in one
// transaction, which a keyspace of some hundred thousand keys makes
// outlast the timeout; this empties a keyspace of any size. It is not
// atomic: cut short, it leaves the keys after those it deleted.
func (s *Store) DeleteAll() error {
	from := s.ks.prefix
	deleteTo := func(end string) error {
		ctx, cancel := s.queryContext()
		defer cancel()
		_, refused := s.write(ctx, "deleting the keyspace", txn{then: []clientv3.Op{clientv3.OpDelete(from, clientv3.WithRange(end))}})
		from = end
		return asError(refused)
	}
	n := 0
	// The keys are read as of one revision, which the deletes behind the
	// read do not change.
	err := s.RangeKeys(func(k string) error {
		if n++; n%pageSize != 0 {
			return nil
		}
		return deleteTo(s.ks.key(k) + "\x00")
	})
	if err != nil {
		return err
	}
	return deleteTo(s.ks.end) // and whatever came after the read began
}
