package transfer

// dialKeyspace connects to the keyspace that url names.
func dialKeyspace(url string, o ClusterOptions) (keyspace, error) {
	return nil, usagef("%s: etcd clusters are not supported yet", url)
}
