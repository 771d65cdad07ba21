#!/usr/bin/env bash
# Starts a 3-member etcd cluster on this machine for trying skysh against:
# the same cluster the tests start (internal/etcdtest), on fixed loopback
# ports, with its data in a temporary directory that is removed when it
# stops. Ctrl-C stops it.
#
#   scripts/etcd-cluster.sh            # clients on 127.0.0.1:23791-23793
#   ETCD_PORT=33791 scripts/etcd-cluster.sh
#
# Then, in another terminal, with skysh and skysh-etcd (skysh built with
# the etcd client, to which skysh hands --endpoint over) built side by side:
#   go build -o bin/skysh ./cmd/skysh
#   go build -tags etcd -o bin/skysh-etcd ./cmd/skysh
#   bin/skysh --endpoint etcd://127.0.0.1:23791,127.0.0.1:23792,127.0.0.1:23793/default
#
# Needs Debian's etcd-server (apt-get install etcd-server), or any etcd 3.4+
# on PATH as `etcd`.
set -euo pipefail

etcd=$(command -v etcd || true)
if [ -z "$etcd" ]; then
	echo "etcd-cluster.sh: no etcd on PATH; install it with: apt-get install etcd-server" >&2
	exit 1
fi

base=${ETCD_PORT:-23791}
members=3
data=$(mktemp -d "${TMPDIR:-/tmp}/skysh-etcd-XXXXXX")
pids=()

stop() {
	# Ctrl-C reaches every process of the terminal's group: the members stop
	# on their own, and a second one must not cut the clean-up short.
	trap "" INT TERM
	trap - EXIT
	echo
	echo "stopping the cluster"
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	# A member left without peers may wait to hand over its leadership.
	for _ in $(seq 50); do
		alive=0
		for pid in "${pids[@]}"; do
			if kill -0 "$pid" 2>/dev/null; then alive=1; fi
		done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$data"
}
trap stop INT TERM EXIT

cluster=""
endpoints=""
for i in $(seq 0 $((members - 1))); do
	cluster+="${cluster:+,}m$i=http://127.0.0.1:$((base + 100 + i))"
	endpoints+="${endpoints:+,}127.0.0.1:$((base + i))"
done

for i in $(seq 0 $((members - 1))); do
	client="http://127.0.0.1:$((base + i))"
	peer="http://127.0.0.1:$((base + 100 + i))"
	"$etcd" --name "m$i" --data-dir "$data/m$i" \
		--listen-client-urls "$client" --advertise-client-urls "$client" \
		--listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
		--initial-cluster "$cluster" --initial-cluster-state new \
		--initial-cluster-token "skysh-$$" \
		--heartbeat-interval 50 --election-timeout 500 \
		--logger zap --log-outputs "$data/m$i.log" --log-level warn \
		>>"$data/m$i.log" 2>&1 &
	pids+=($!)
done

# Wait until every member answers, or one of them has ended.
for _ in $(seq 300); do
	ready=1
	for i in $(seq 0 $((members - 1))); do
		if ! kill -0 "${pids[$i]}" 2>/dev/null; then
			echo "etcd-cluster.sh: member m$i ended; its log ($data/m$i.log):" >&2
			tail -20 "$data/m$i.log" >&2
			exit 1
		fi
		if command -v etcdctl >/dev/null 2>&1; then
			ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$((base + i))" --command-timeout=1s endpoint health >/dev/null 2>&1 || ready=0
		else
			(exec 3<>"/dev/tcp/127.0.0.1/$((base + i))") 2>/dev/null || ready=0
		fi
	done
	[ "$ready" = 1 ] && break
	sleep 0.1
done

echo "etcd cluster of $members members is up; data in $data (removed when it stops)"
echo "connect with:"
echo "  skysh --endpoint etcd://$endpoints/default"
echo "Ctrl-C stops it."
wait
