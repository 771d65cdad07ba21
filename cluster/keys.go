package cluster

// Keys of a keyspace live in etcd under "skysh/KEYSPACE/" followed by the
// key's bytes as they are. A keyspace name holds no '/', so no keyspace's
// prefix is a prefix of another's keys; every key, the empty key included
// (it is the prefix itself), maps to exactly one etcd key and back; and
// etcd's byte order of the full keys is the byte order of the user's keys,
// so ranges come back sorted as skysh sorts.
const rootPrefix = "skysh/"

// keyspace maps the user's keys to etcd keys and back.
type keyspace struct {
	prefix string // "skysh/NAME/"
	end    string // the first etcd key after every key of the keyspace
}

func newKeyspace(name string) keyspace {
	p := rootPrefix + name + "/"
	// The prefix ends in '/'; the next byte value, '0', ends the range.
	return keyspace{prefix: p, end: p[:len(p)-1] + "0"}
}

// key is the etcd key of a user's key.
func (ks keyspace) key(k string) string { return ks.prefix + k }

// user is the user's key of an etcd key of the keyspace.
func (ks keyspace) user(etcdKey []byte) string { return string(etcdKey[len(ks.prefix):]) }
