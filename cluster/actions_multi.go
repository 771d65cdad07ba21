package cluster

import (
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// Multi-key actions that act on each key on its own. Each is one
// transaction (reads of many keys: several, at one revision).

func (s *Store) actDel(keys []string) engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	keys = distinct(keys)
	then := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		then[i] = clientv3.OpDelete(s.ks.key(k))
	}
	resp, refused := s.write(ctx, "DEL", txn{then: then})
	if refused != nil {
		return refused
	}
	n := int64(0)
	for _, r := range resp.Responses {
		n += r.GetResponseDeleteRange().Deleted
	}
	return engine.Int(n)
}

func (s *Store) actExists(keys []string) engine.Response {
	found, refused := s.getMany(distinct(keys), true)
	if refused != nil {
		return refused
	}
	n := 0
	for _, k := range keys {
		if _, ok := found[k]; ok {
			n++ // a key named twice counts twice, as in the engine
		}
	}
	return engine.Int(n)
}

func (s *Store) actMget(keys []string) engine.Response {
	values, refused := s.getMany(distinct(keys), false)
	if refused != nil {
		return refused
	}
	out := make(engine.Array, len(keys))
	for i, k := range keys {
		if v, ok := values[k]; ok {
			out[i] = engine.String(v)
		} else {
			out[i] = nilResp
		}
	}
	return out
}

// actMset creates the missing keys. With a key given twice the first value
// is the one created: the engine finds the key there at the second pair.
func (s *Store) actMset(args []string) engine.Response {
	keys, values := pairs(args, true)
	exists, refused := s.writeWhere("MSET", keys, make(map[string]bool), func(k string, exists bool) (clientv3.Op, bool) {
		return s.put(k, values[k]), !exists
	})
	if refused != nil {
		return refused
	}
	n := 0
	for _, k := range keys {
		if !exists[k] {
			n++
		}
	}
	return engine.Int(n)
}

// actMupdate replaces the values of the keys that exist, counting every
// pair whose key exists: a key given twice is updated twice in the engine,
// the last value staying.
func (s *Store) actMupdate(args []string) engine.Response {
	keys, values := pairs(args, false)
	guess := make(map[string]bool, len(keys))
	for _, k := range keys {
		guess[k] = true // most MUPDATEs update keys that are there
	}
	exists, refused := s.writeWhere("MUPDATE", keys, guess, func(k string, exists bool) (clientv3.Op, bool) {
		return s.put(k, values[k]), exists
	})
	if refused != nil {
		return refused
	}
	n := 0
	for i := 0; i < len(args); i += 2 {
		if exists[args[i]] {
			n++
		}
	}
	return engine.Int(n)
}

// writeWhere writes, in one transaction, the keys that write picks given
// whether each exists, on condition that each exists as guessed. When a
// guess was wrong the same transaction reads which keys exist, and it is
// tried again with that knowledge, until it holds or the query's time is
// up. It returns which keys existed when the writes were made.
func (s *Store) writeWhere(action string, keys []string, guess map[string]bool,
	write func(k string, exists bool) (clientv3.Op, bool)) (map[string]bool, engine.Response) {
	ctx, cancel := s.queryContext()
	defer cancel()
	for {
		var t txn
		for _, k := range keys {
			if guess[k] {
				t.ifs = append(t.ifs, s.present(k))
			} else {
				t.ifs = append(t.ifs, s.absent(k))
			}
			if op, ok := write(k, guess[k]); ok {
				t.then = append(t.then, op)
				t.puts = true
			}
			t.els = append(t.els, clientv3.OpGet(s.ks.key(k), clientv3.WithCountOnly()))
		}
		resp, refused := s.write(ctx, action, t)
		if refused != nil {
			return nil, refused
		}
		if resp.Succeeded {
			return guess, nil
		}
		for i, r := range resp.Responses {
			guess[keys[i]] = r.GetResponseRange().Count > 0
		}
		if ctx.Err() != nil {
			return nil, timedOut(action)
		}
	}
}

// timedOut is the answer to a query whose keys kept changing under it
// until its time was up.
func timedOut(action string) engine.Response {
	return engine.Status{Code: engine.ServerError,
		Detail: action + ": other clients kept changing the keys until the timeout; nothing was written"}
}

func (s *Store) actUset(args []string) engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	keys, values := pairs(args, false)
	then := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		then[i] = s.put(k, values[k])
	}
	if _, refused := s.write(ctx, "USET", txn{then: then, puts: true}); refused != nil {
		return refused
	}
	return engine.Int(len(args) / 2) // pairs written, repeats included, as the engine counts
}

// actPop deletes the keys and returns the values they had, from the same
// transaction: nothing can change a key between the read and the delete.
func (s *Store) actPop(keys []string) engine.Response {
	ctx, cancel := s.queryContext()
	defer cancel()
	once := distinct(keys)
	then := make([]clientv3.Op, len(once))
	for i, k := range once {
		then[i] = clientv3.OpDelete(s.ks.key(k), clientv3.WithPrevKV())
	}
	resp, refused := s.write(ctx, "POP", txn{then: then})
	if refused != nil {
		return refused
	}
	popped := make(map[string]string, len(once))
	for i, r := range resp.Responses {
		if prev := r.GetResponseDeleteRange().PrevKvs; len(prev) > 0 {
			popped[once[i]] = string(prev[0].Value)
		}
	}
	out := make(engine.Array, len(keys))
	for i, k := range keys {
		if v, ok := popped[k]; ok {
			out[i] = engine.String(v)
			delete(popped, k) // a key named again was already popped
		} else {
			out[i] = nilResp
		}
	}
	return out
}
