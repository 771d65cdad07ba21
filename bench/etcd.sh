#!/usr/bin/env bash
# etcd.sh — skysh's etcd row: a piped script of SETs into skysh against a
# three-member etcd cluster on loopback, beside the best a client can do in
# the same run (bench/etcdload: batched puts of the cluster's largest
# transaction, one transaction at a time, over one connection), and the
# round trip of one query at a time. It prints a markdown report on stdout
# (progress goes to stderr):
#
#   bench/etcd.sh                       # 100k keys, 3 rounds
#   N=20000 ROUNDS=1 bench/etcd.sh      # a check of the script
#
# Environment:
#   N          SETs per run (default 100000)
#   VSIZE      value size in bytes (default 32)
#   ROUNDS     rounds; each figure is the median over them, each ratio the
#              median of the per-round ratios (default 3)
#   RT_DUR     how long each one-at-a-time run sends queries (default 5s)
#   RT_FLOOR_N puts the loader sends one at a time, for the floor of a
#              round trip (default 1000)
#   ETCD_PORT  first client port of the cluster (default 25791; it uses
#              three client ports from there and three peer ports 100 up)
#   WORK       work directory (default: a new mktemp -d, removed at exit)
#
# The cluster is scripts/etcd-cluster.sh's, its data on the work
# directory's disk, so every write is fsynced by a quorum as in use. Each
# run writes new keys (key:000000000… as bench/gen makes them) into a
# keyspace of its own; skysh and the two loader runs take turns going first.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
VSIZE=${VSIZE:-32}
ROUNDS=${ROUNDS:-3}
RT_DUR=${RT_DUR:-5s}
ETCD_PORT=${ETCD_PORT:-25791}
RT_FLOOR_N=${RT_FLOOR_N:-1000}

command -v etcd >/dev/null 2>&1 || {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq etcd-server >/dev/null
}

work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/skysh-bench-etcd-XXXXXX")}
mkdir -p "$work/bin"
cluster_pid=""
cleanup() {
	if [ -n "$cluster_pid" ]; then
		kill -TERM "$cluster_pid" 2>/dev/null || true
		wait "$cluster_pid" 2>/dev/null || true
	fi
	[ -n "${WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

say() { echo "etcd.sh: $*" >&2; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

say "building skysh, skysh-etcd and the bench helpers"
go build -o "$work/bin/skysh" ./cmd/skysh
go build -tags etcd -o "$work/bin/skysh-etcd" ./cmd/skysh
go build -o "$work/bin/" ./bench/etcdload ./bench/gen ./bench/roundtrip

say "generating $N SETs of $VSIZE-byte values"
"$work/bin/gen" -n "$N" -vsize "$VSIZE" -format sky -o "$work/sets.sky"

endpoints="127.0.0.1:$ETCD_PORT,127.0.0.1:$((ETCD_PORT + 1)),127.0.0.1:$((ETCD_PORT + 2))"
say "starting the cluster on $endpoints"
TMPDIR="$work" ETCD_PORT="$ETCD_PORT" scripts/etcd-cluster.sh >"$work/cluster.log" 2>&1 &
cluster_pid=$!
for _ in $(seq 300); do
	grep -q "is up" "$work/cluster.log" && break
	kill -0 "$cluster_pid" 2>/dev/null || { cat "$work/cluster.log" >&2; exit 1; }
	sleep 0.1
done
grep -q "is up" "$work/cluster.log" || { say "the cluster did not come up"; cat "$work/cluster.log" >&2; exit 1; }

skysh_secs=() load_secs=() ifnew_secs=() ratios_ifnew=() ratios=() rt_p50=() rt_p99=() rt_mean=() floor_ms=()
# One run each, into keys of round $r's own.
run_skysh() {
	local ks="skysh-r$r" t0 t1 keys
	t0=$(now)
	"$work/bin/skysh" --endpoint "etcd://$endpoints/$ks" -q <"$work/sets.sky"
	t1=$(now)
	keys=$("$work/bin/skysh" --endpoint "etcd://$endpoints/$ks" -e DBSIZE)
	[ "$keys" = "$N" ] || { say "round $r: skysh's keyspace holds $keys keys, not $N"; exit 1; }
	calc "$t1 - $t0"
}
# loader_secs runs etcdload with the given flags and prints its seconds.
loader_secs() {
	"$work/bin/etcdload" -endpoints "$endpoints" "$@" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'
}
run_loader() { loader_secs -n "$N" -vsize "$VSIZE" -batch 128 -prefix "etcdload-r$r/"; }
# The loader again, with the compares skysh's SET needs.
run_ifnew() { loader_secs -n "$N" -vsize "$VSIZE" -batch 128 -ifnew -prefix "ifnew-r$r/"; }
for r in $(seq "$ROUNDS"); do
	# Each goes first, second and third in turn: the cluster slows a little
	# as its database grows.
	case $((r % 3)) in
	1) s=$(run_skysh); l=$(run_loader); i=$(run_ifnew) ;;
	2) l=$(run_loader); i=$(run_ifnew); s=$(run_skysh) ;;
	0) i=$(run_ifnew); s=$(run_skysh); l=$(run_loader) ;;
	esac
	ifnew_secs+=("$i")
	skysh_secs+=("$s")
	load_secs+=("$l")
	ratios+=("$(calc "$l / $s")")
	ratios_ifnew+=("$(calc "$i / $s")")
	say "round $r: skysh $s s, loader $l s, loader with compares $i s"

	rt=$("$work/bin/roundtrip" -bin "$work/bin/skysh" -d "$work/rt-$r" -dur "$RT_DUR" -- --endpoint "etcd://$endpoints/rt-r$r")
	rt_p50+=("$(sed -n 's/.*p50_us=\([0-9.]*\).*/\1/p' <<<"$rt")")
	rt_p99+=("$(sed -n 's/.*p99_us=\([0-9.]*\).*/\1/p' <<<"$rt")")
	rt_mean+=("$(sed -n 's/.*mean_us=\([0-9.]*\).*/\1/p' <<<"$rt")")
	say "round $r: one at a time: $rt"
	# The floor of that round trip: the loader's puts one transaction at a
	# time, each waiting for the cluster's commit.
	one=$(loader_secs -n "$RT_FLOOR_N" -vsize 1 -batch 1 -prefix "floor-r$r/")
	floor_ms+=("$(calc "$one * 1000 / $RT_FLOOR_N")")
	say "round $r: etcdload one put at a time: ${floor_ms[-1]} ms mean"
done

fmt() { printf '%.2f' "$1"; }
range() { printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | tr '\n' ' ' | awk '{printf "%.2f–%.2f", $1, $2}'; }
sm=$(printf '%s\n' "${skysh_secs[@]}" | median)
im=$(printf '%s\n' "${ifnew_secs[@]}" | median)
lm=$(printf '%s\n' "${load_secs[@]}" | median)
rm_=$(printf '%s\n' "${ratios[@]}" | median)
ri=$(printf '%s\n' "${ratios_ifnew[@]}" | median)
p50=$(printf '%s\n' "${rt_p50[@]}" | median)
p99=$(printf '%s\n' "${rt_p99[@]}" | median)
mean=$(printf '%s\n' "${rt_mean[@]}" | median)
floor=$(printf '%s\n' "${floor_ms[@]}" | median)

cat <<EOF
# etcd row: $N SETs of $VSIZE B, 3-member cluster on loopback, $ROUNDS rounds

etcd $(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p'), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)

| measure | median | range |
| --- | --- | --- |
| skysh, script piped (s) | $(fmt "$sm") | $(range "${skysh_secs[@]}") |
| etcdload, 128 puts a transaction (s) | $(fmt "$lm") | $(range "${load_secs[@]}") |
| etcdload with skysh's compares (-ifnew) (s) | $(fmt "$im") | $(range "${ifnew_secs[@]}") |
| skysh throughput / loader's | $(fmt "$rm_")× | $(range "${ratios[@]}")× |
| skysh throughput / loader's with compares | $(fmt "$ri")× | $(range "${ratios_ifnew[@]}")× |
| one SET at a time, p50 (ms) | $(fmt "$(calc "$p50 / 1000")") | |
| one SET at a time, p99 (ms) | $(fmt "$(calc "$p99 / 1000")") | |
| one SET at a time, mean (ms) | $(fmt "$(calc "$mean / 1000")") | |
| etcdload, one put a transaction, mean (ms) | $(fmt "$floor") | $(range "${floor_ms[@]}") |
EOF
