package cluster

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"skysh/engine"
)

// Multi-key actions that act on each key on its own. Each is one
// transaction (reads of more keys than one holds: several, at one
// revision).

func (s *Store) planDel(keys []string) plan {
	keys = distinct(keys)
	return s.writePlan("DEL", keys, s.deleteEach(keys), false, func(results []*pb.ResponseOp) engine.Response {
		n := int64(0)
		for _, r := range results {
			n += r.GetResponseDeleteRange().Deleted
		}
		return engine.Int(n)
	})
}

func (s *Store) planExists(keys []string) plan {
	return s.getEach(keys, true, func(found map[string]string) engine.Response {
		n := 0
		for _, k := range keys {
			if _, ok := found[k]; ok {
				n++ // a key named twice counts twice, as in the engine
			}
		}
		return engine.Int(n)
	})
}

func (s *Store) planMget(keys []string) plan {
	return s.getEach(keys, false, func(values map[string]string) engine.Response {
		out := make(engine.Array, len(keys))
		for i, k := range keys {
			if v, ok := values[k]; ok {
				out[i] = engine.String(v)
			} else {
				out[i] = nilResp
			}
		}
		return out
	})
}

// getEach reads keys at one revision (presence only, with keysOnly) and
// answers from the values found. More distinct keys than one transaction
// holds are read in several, at the revision of the first.
func (s *Store) getEach(keys []string, keysOnly bool, answer func(found map[string]string) engine.Response) plan {
	once := distinct(keys)
	if len(once) > s.maxOps {
		return alone(func() engine.Response {
			found, refused := s.getMany(once, keysOnly)
			if refused != nil {
				return refused
			}
			return answer(found)
		})
	}
	return s.readPlan(once, func(extra ...clientv3.OpOption) []clientv3.Op {
		return s.gets(once, keysOnly, extra)
	}, func(results []*pb.ResponseOp) engine.Response {
		return answer(found(once, keysOnly, results))
	})
}

// gets reads each key, or only whether it is there with keysOnly.
func (s *Store) gets(keys []string, keysOnly bool, extra []clientv3.OpOption) []clientv3.Op {
	if keysOnly {
		extra = append(extra, clientv3.WithCountOnly())
	}
	out := make([]clientv3.Op, len(keys))
	for i, k := range keys {
		out[i] = clientv3.OpGet(s.ks.key(k), extra...)
	}
	return out
}

// found maps each key that gets found to its value ("" with keysOnly).
func found(keys []string, keysOnly bool, results []*pb.ResponseOp) map[string]string {
	out := make(map[string]string, len(keys))
	for i, r := range results {
		rr := r.GetResponseRange()
		switch {
		case keysOnly && rr.Count > 0:
			out[keys[i]] = ""
		case len(rr.Kvs) > 0:
			out[keys[i]] = string(rr.Kvs[0].Value)
		}
	}
	return out
}

// planMset creates the missing keys. With a key given twice the first
// value is the one created: the engine finds the key there at the second
// pair.
func (s *Store) planMset(args []string) plan {
	keys, values := pairs(args, true)
	return s.condPlan("MSET", keys, false, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		var ops []clientv3.Op
		for _, k := range keys {
			if !exists[k] {
				ops = append(ops, s.put(k, values[k]))
			}
		}
		return ops, engine.Int(len(ops))
	})
}

// planMupdate replaces the values of the keys that exist, counting every
// pair whose key exists: a key given twice is updated twice in the engine,
// the last value staying.
func (s *Store) planMupdate(args []string) plan {
	keys, values := pairs(args, false)
	return s.condPlan("MUPDATE", keys, true, func(exists map[string]bool) ([]clientv3.Op, engine.Response) {
		var ops []clientv3.Op
		for _, k := range keys {
			if exists[k] {
				ops = append(ops, s.put(k, values[k]))
			}
		}
		n := 0
		for i := 0; i < len(args); i += 2 {
			if exists[args[i]] {
				n++
			}
		}
		return ops, engine.Int(n)
	})
}

func (s *Store) planUset(args []string) plan {
	keys, values := pairs(args, false)
	return s.writePlan("USET", keys, s.putEach(keys, values), true, func([]*pb.ResponseOp) engine.Response {
		return engine.Int(len(args) / 2) // pairs written, repeats included, as the engine counts
	})
}

// planPop deletes the keys and returns the values they had, from the same
// transaction: nothing can change a key between the read and the delete.
func (s *Store) planPop(keys []string) plan {
	once := distinct(keys)
	return s.writePlan("POP", once, s.deleteEach(once, clientv3.WithPrevKV()), false, func(results []*pb.ResponseOp) engine.Response {
		popped := make(map[string]string, len(once))
		for i, r := range results {
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
	})
}
