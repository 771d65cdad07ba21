#!/usr/bin/env bash
# compare.sh — skysh against redis-server 7 + redis-cli and sqlite3, side by
# side in one run (issue 5). It prints a markdown report on stdout (progress
# goes to stderr):
#
#   bench/compare.sh                          # 1M keys, 3 rounds
#   N=100000 ROUNDS=1 bench/compare.sh        # a quick check
#   bench/compare.sh > bench/last-run.txt
#
# Environment:
#   N          number of keys (default 1000000)
#   ROUNDS     rounds; each figure is the median over them (default 3)
#   SEED       seed of the random values (default 42, fixed)
#   PORT       loopback port for the benchmark's own redis-server (default 6399)
#   STALL_DUR  how long the stall test sends queries, per run (default 5s)
#   STARTUPS   `skysh -e HEYA` runs per round (default 5)
#   WORK       work directory (default: a new mktemp -d, removed at exit)
#   KEEP=1     keep the work directory
#
# What it does: installs redis-server, redis-tools and sqlite3 with apt-get
# when missing; builds skysh and the helpers under bench/; generates the
# workload once (bench/gen: keys key:000000000… of 13 bytes, 32-byte random
# alphanumeric values from a fixed seed) as skysh SET lines, Redis protocol
# and one SQL transaction; then runs ROUNDS rounds, each measuring every
# figure for every system, alternating the systems (their order rotates from
# round to round):
#   1. batch insert   skysh -d NEWDIR < sets.sky (final save included)
#                     | redis-cli --pipe < sets.resp into a new redis-server
#                     | sqlite3 NEW.db < sets.sql
#   2. save           bench/savetime (!save of the loaded store, timed from
#                     the line sent to its answer) | redis-cli SAVE
#                     | dd of the same number of MiB with conv=fsync
#   3. load           skysh -d DIR -e DBSIZE (process start to exit)
#                     | redis-server restarted on its dump.rdb: the
#                     "DB loaded from disk: X seconds" figure from its log
#   4. memory         bench/rss (VmRSS once DBSIZE has answered)
#                     | redis INFO memory used_memory_rss after the load
#   5. stall          bench/stall: one-at-a-time query round trips with a
#                     BGSAVE every second (-S 1) against --nosave
#   6. start-up       skysh -d NEW_EMPTY_DIR -e HEYA
# Everything runs on 127.0.0.1; every process started is stopped at exit.
set -euo pipefail

N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
SEED=${SEED:-42}
PORT=${PORT:-6399}
STALL_DUR=${STALL_DUR:-5s}
STARTUPS=${STARTUPS:-5}
KEEP=${KEEP:-0}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '# %s\n' "$*" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 1; }

[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || die "N=$N: want a positive integer"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -gt 0 ]] || die "ROUNDS=$ROUNDS: want a positive integer"

# --- tools ------------------------------------------------------------------

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if ((${#need[@]})); then
	sudo=()
	[[ $(id -u) -eq 0 ]] || sudo=(sudo)
	log "installing ${need[*]} with apt-get"
	"${sudo[@]}" apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >&2
fi
command -v go >/dev/null || die "go is not on PATH"

# --- work directory and clean-up --------------------------------------------

made_work=0
if [[ -z ${WORK:-} ]]; then
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/skysh-bench.XXXXXX")
	made_work=1
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
BIN=$WORK/bin
RES=$WORK/results
SKYSH=$WORK/skysh
REDIS_PID=

stop_redis() {
	[[ -n $REDIS_PID ]] || return 0
	redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || kill "$REDIS_PID" 2>/dev/null || true
	wait "$REDIS_PID" 2>/dev/null || true
	REDIS_PID=
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_redis
	local j
	for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
	if [[ $made_work == 1 && $KEEP != 1 ]]; then
		rm -rf "$WORK"
	else
		log "work directory kept: $WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if redis-cli -p "$PORT" ping >/dev/null 2>&1; then
	die "something already answers on 127.0.0.1:$PORT; choose another PORT="
fi

# --- build and generate -----------------------------------------------------

log "building skysh and the bench helpers in $WORK"
(cd "$REPO" && go build -o "$SKYSH" ./cmd/skysh &&
	go build -o "$BIN/" ./bench/gen ./bench/timeit ./bench/savetime ./bench/rss ./bench/stall)

log "generating $N keys (seed $SEED)"
t0=$(date +%s%N)
pids=()
for f in sky resp sql; do
	"$BIN/gen" -n "$N" -seed "$SEED" -format "$f" -o "$WORK/sets.$f" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "bench/gen failed"; done
log "generated in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(du -sh "$WORK"/sets.* | awk '{printf "%s %s  ", $2, $1}')"

mkdir -p "$RES" "$WORK/redis"

# rec MEASURE VALUE: keep one sample.
rec() { printf '%s\n' "$2" >>"$RES/$1"; }
# timed MEASURE CMD...: run CMD under timeit (stdin/stdout as redirected by
# the caller) and keep its wall time in seconds.
timed() {
	local m=$1
	shift
	"$BIN/timeit" -t "$WORK/t" -- "$@" || die "failed ($?): $*"
	rec "$m" "$(cat "$WORK/t")"
}
# median MEASURE: the median of its samples ("nan" if none).
median() {
	[[ -s $RES/$1 ]] || { echo nan; return; }
	sort -g "$RES/$1" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
# field KEY LINE: the value of KEY=value in a line of key=value words.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

start_redis() { # start_redis LOGFILE: a redis-server on $WORK/redis, wait for PING
	redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$WORK/redis" --dbfilename dump.rdb --logfile "$1" --daemonize no &
	REDIS_PID=$!
	local i
	for ((i = 0; i < 60000; i++)); do
		[[ $(redis-cli -p "$PORT" ping 2>/dev/null) == PONG ]] && return 0
		kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server exited; see $1"
		sleep 0.001
	done
	die "redis-server did not answer PING within a minute"
}
rcli() { redis-cli -p "$PORT" "$@"; }

# --- the systems, one function per system and figure ------------------------

insert_skysh() {
	timed insert_skysh "$SKYSH" -d "$R/sky" <"$WORK/sets.sky" >/dev/null
}
insert_redis() {
	stop_redis
	rm -f "$WORK/redis/dump.rdb"
	start_redis "$R/redis-insert.log"
	[[ $(rcli FLUSHALL) == OK ]] || die "FLUSHALL failed"
	timed insert_redis redis-cli -p "$PORT" --pipe <"$WORK/sets.resp" >"$R/pipe.out"
	grep -q "errors: 0, replies: $N\$" "$R/pipe.out" || die "redis-cli --pipe: $(tail -1 "$R/pipe.out")"
	[[ $(rcli DBSIZE) == "$N" ]] || die "redis DBSIZE is not $N after the insert"
}
insert_sqlite() {
	timed insert_sqlite sqlite3 "$R/kv.db" <"$WORK/sets.sql" >/dev/null
	[[ $(sqlite3 "$R/kv.db" 'SELECT count(*) FROM kv') == "$N" ]] || die "sqlite3 count is not $N"
}

save_skysh() {
	rec save_skysh "$("$BIN/savetime" -bin "$SKYSH" -d "$R/sky" -n "$N")"
}
save_redis() {
	"$BIN/timeit" -t "$WORK/t" -- redis-cli -p "$PORT" SAVE >"$R/save.out"
	[[ $(cat "$R/save.out") == OK ]] || die "redis SAVE answered $(cat "$R/save.out")"
	rec save_redis "$(cat "$WORK/t")"
}
save_dd() {
	local bytes mib
	bytes=$(stat -c %s "$R/sky/data.bin")
	mib=$(( (bytes + 1048575) / 1048576 ))
	rec dd_mib "$mib"
	rm -f "$R/dd.out"
	timed save_dd dd if=/dev/zero of="$R/dd.out" bs=1M count="$mib" conv=fsync status=none
	rm -f "$R/dd.out"
}

load_skysh() {
	timed load_skysh "$SKYSH" -d "$R/sky" -e DBSIZE >"$R/dbsize.out"
	[[ $(cat "$R/dbsize.out") == "$N" ]] || die "skysh DBSIZE answered $(cat "$R/dbsize.out"), want $N"
}
load_redis() {
	[[ -s $WORK/redis/dump.rdb ]] || die "no dump.rdb to load"
	stop_redis
	local t0 t1 secs
	t0=$(date +%s%N)
	start_redis "$R/redis-load.log"
	t1=$(date +%s%N)
	secs=$(sed -n 's/.*DB loaded from disk: \([0-9.]*\) seconds.*/\1/p' "$R/redis-load.log")
	[[ -n $secs ]] || die "no 'DB loaded from disk' line in $R/redis-load.log"
	[[ $(rcli DBSIZE) == "$N" ]] || die "redis DBSIZE is not $N after the load"
	rec load_redis "$secs"
	rec load_redis_ping "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", (b-a)/1e9}')"
}

mem_skysh() {
	local line
	line=$("$BIN/rss" -bin "$SKYSH" -d "$R/sky")
	[[ $(field keys "$line") == "$N" ]] || die "rss: $line"
	rec mem_skysh "$(awk -v k="$(field rss_kib "$line")" 'BEGIN {printf "%.2f", k/1024}')"
	rec mem_skysh_peak "$(awk -v k="$(field hwm_kib "$line")" 'BEGIN {printf "%.2f", k/1024}')"
}
mem_redis() { # after load_redis: the server holds the N keys it loaded
	local info
	info=$(rcli INFO memory | tr -d '\r')
	rec mem_redis "$(sed -n 's/^used_memory_rss://p' <<<"$info" | awk '{printf "%.2f", $1/1048576}')"
	rec mem_redis_used "$(sed -n 's/^used_memory://p' <<<"$info" | awk '{printf "%.2f", $1/1048576}')"
}

stall_skysh() { # $1: which run goes first, bgsave or nosave
	rm -rf "$R/stall"
	mkdir "$R/stall"
	cp "$R/sky/data.bin" "$R/stall/"
	"$BIN/stall" -bin "$SKYSH" -d "$R/stall" -n "$N" -dur "$STALL_DUR" -every 1 -first "$1" >"$R/stall.out"
	local mode line
	for mode in bgsave nosave; do
		line=$(grep "^$mode " "$R/stall.out") || die "stall printed no $mode line"
		rec "stall_max_$mode" "$(field max_ms "$line")"
		rec "stall_p999_$mode" "$(field p999_ms "$line")"
		rec "stall_p99_$mode" "$(awk -v u="$(field p99_us "$line")" 'BEGIN {printf "%.4f", u/1000}')"
		rec "stall_saves_$mode" "$(field saves "$line")"
		rec "stall_over1ms_$mode" "$(field over1ms "$line")"
		rec "stall_queries_$mode" "$(field queries "$line")"
	done
	cat "$R/stall.out" >>"$WORK/stall.log"
	rm -rf "$R/stall"
}

startup_skysh() {
	local i
	for ((i = 0; i < STARTUPS; i++)); do
		rm -rf "$R/empty"
		mkdir "$R/empty"
		timed startup_new "$SKYSH" -d "$R/empty" -e HEYA >"$R/heya.out"
		[[ $(cat "$R/heya.out") == "HEY!" ]] || die "HEYA answered $(cat "$R/heya.out")"
		# the same directory again: now it holds an empty data.bin
		timed startup_existing "$SKYSH" -d "$R/empty" -e HEYA >/dev/null
	done
}

# rotate K WORD...: the words rotated left by K (the order of round K).
rotate() {
	local k=$1
	shift
	local w=("$@") n=$#
	local i
	for ((i = 0; i < n; i++)); do printf '%s ' "${w[(i + k) % n]}"; done
}

# same_value: one random key holds the same value in all three systems.
same_value() {
	local i key a b c
	i=$(( (N * 7919 / 10007) % N ))
	key=$(printf 'key:%09d' "$i")
	a=$("$SKYSH" -d "$R/sky" -e "GET $key")
	b=$(rcli GET "$key")
	c=$(sqlite3 "$R/kv.db" "SELECT v FROM kv WHERE k='$key'")
	[[ -n $a && $a == "$b" && $a == "$c" ]] || die "$key differs: skysh '$a' redis '$b' sqlite '$c'"
}

# --- the rounds ---------------------------------------------------------------

for ((round = 0; round < ROUNDS; round++)); do
	R=$WORK/round$round
	rm -rf "$WORK/round$((round - 1))"
	mkdir -p "$R"
	log "round $((round + 1))/$ROUNDS"
	for s in $(rotate "$round" skysh redis sqlite); do log "  insert $s"; "insert_$s"; done
	for s in $(rotate "$round" skysh redis dd); do log "  save $s"; "save_$s"; done
	for s in $(rotate "$round" skysh redis); do log "  load $s"; "load_$s"; done
	for s in $(rotate "$round" skysh redis); do log "  memory $s"; "mem_$s"; done
	if ((round == 0)); then same_value; fi
	log "  stall (BGSAVE every 1 s against --nosave, $STALL_DUR each)"
	stall_skysh "$( ((round % 2)) && echo nosave || echo bgsave)"
	log "  start-up"
	startup_skysh
done
stop_redis

# --- report -----------------------------------------------------------------

if ((N % 1000000 == 0)); then NL="$((N / 1000000))M"
elif ((N % 1000 == 0)); then NL="$((N / 1000))k"
else NL=$N; fi

# row LABEL SKY PEER_LABEL PEER UNIT TARGET CHECK
#   SKY, PEER: measure names (PEER may be "" for none); UNIT: s, ms or mib;
#   CHECK: ratio<=X or value<=X (X in UNIT) or "" for no target.
row() {
	local label=$1 sky peer="" peer_label=$3 unit=$5 target=$6 check=$7
	sky=$(median "$2")
	[[ -z $4 ]] || peer=$(median "$4")
	awk -v label="$label" -v sky="$sky" -v peer="$peer" -v pl="$peer_label" \
		-v unit="$unit" -v target="$target" -v check="$check" '
	function show(v) {
		if (v == "nan") return "n/a"
		if (unit == "s") return (v >= 0.1) ? sprintf("%.2f s", v) : sprintf("%.1f ms", v * 1000)
		if (unit == "ms") return sprintf("%.3f ms", v)
		return sprintf("%.1f MiB", v)
	}
	BEGIN {
		ratio = ""; met = ""
		if (peer != "" && peer != "nan" && peer + 0 > 0) ratio = sky / peer
		split(check, c, "<=")
		if (c[1] == "ratio" && ratio != "") met = (ratio <= c[2] + 0) ? "yes" : "**NO**"
		if (c[1] == "value" && sky != "nan") met = (sky + 0 <= c[2] + 0) ? "yes" : "**NO**"
		printf "| %s | %s | %s | %s | %s | %s |\n", label, show(sky),
			(peer == "") ? "—" : pl " " show(peer),
			(ratio == "") ? "—" : sprintf("%.2f×", ratio),
			(target == "") ? "—" : target, met
	}'
}

samples() { # samples MEASURE: all samples on one line, in the order taken
	[[ -s $RES/$1 ]] && paste -sd' ' "$RES/$1" || echo "—"
}

model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || echo unknown)
fs=$(findmnt -n -o FSTYPE,SOURCE --target "$WORK" 2>/dev/null | awk '{print $1 " (" $2 ")"}' || true)
[[ -n $fs ]] || fs=$(stat -f -c %T "$WORK")
mib=$(median dd_mib)

cat <<EOF
# skysh vs redis-server and sqlite3: $NL keys, $ROUNDS round(s), medians

- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)
- machine: $(nproc) CPU(s), ${model:-unknown CPU}, $(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}'), $(uname -sr), $os
- work directory: $WORK on $fs
- $("$SKYSH" --version), $(go version | cut -d' ' -f3-)
- $(redis-server --version | cut -d' ' -f1-3), redis-cli $(redis-cli --version | cut -d' ' -f2)
- sqlite3 $(sqlite3 --version | cut -d' ' -f1-2)
- workload: keys key:000000000… (13 B), values 32 B random alphanumeric, seed $SEED

| measure | skysh | peer | ratio | target | met |
| --- | --- | --- | --- | --- | --- |
EOF
row "batch insert $NL SET (skysh: final save incl.)" insert_skysh "redis-cli --pipe" insert_redis s "≤ 0.5×" "ratio<=0.5"
row "batch insert $NL rows" insert_skysh "sqlite3, one transaction" insert_sqlite s "" ""
row "save $NL keys" save_skysh "redis SAVE" save_redis s "≤ 0.5×" "ratio<=0.5"
row "save $NL keys against the disk" save_skysh "dd ${mib} MiB conv=fsync" save_dd s "≤ 3×" "ratio<=3"
row "load $NL keys (skysh: start → DBSIZE answered → exit)" load_skysh "redis RDB load (log)" load_redis s "≤ 0.5×" "ratio<=0.5"
row "resident memory, $NL keys loaded" mem_skysh "redis used_memory_rss" mem_redis mib "≤ 1×" "ratio<=1"
row "longest query during BGSAVE (-S 1)" stall_max_bgsave "--nosave" stall_max_nosave ms "≤ 1 ms" "value<=1"
row "p99.9 query during BGSAVE (-S 1)" stall_p999_bgsave "--nosave" stall_p999_nosave ms "" ""
row "start-up \`-e HEYA\`, new empty dir" startup_new "" "" s "≤ 20 ms" "value<=0.020"
row "start-up \`-e HEYA\`, empty data.bin" startup_existing "" "" s "≤ 20 ms" "value<=0.020"

cat <<EOF

Ratios are skysh / peer; "met" compares the skysh median with the target
(absolute targets: stall ≤ 1 ms, start-up ≤ 20 ms).

Notes:
- skysh's load figure is a whole process (start, lock, read and check
  data.bin, answer DBSIZE, exit); Redis's is only the RDB load from its log.
  Redis from process start to PING answered: $(median load_redis_ping | awk '{printf "%.3f", $1}') s (median).
- Redis's insert and save are timed through redis-cli (connect included).
- skysh peak resident (VmHWM) after loading: $(median mem_skysh_peak) MiB;
  Redis used_memory (allocator's view): $(median mem_redis_used) MiB.
- stall: one query at a time through skysh's pipes (GETs of random keys, a
  USET every 10th), $STALL_DUR per run; saves seen during the BGSAVE runs:
  $(samples stall_saves_bgsave) (per round; --nosave runs: $(samples stall_saves_nosave));
  queries per run: $(samples stall_queries_bgsave) (BGSAVE), $(samples stall_queries_nosave) (--nosave);
  p99 with BGSAVE $(median stall_p99_bgsave) ms, without $(median stall_p99_nosave) ms;
  queries over 1 ms per run: $(samples stall_over1ms_bgsave) (BGSAVE), $(samples stall_over1ms_nosave) (--nosave).
  The --nosave maximum is the noise floor of this machine: a BGSAVE
  maximum near it says little; one well above it is a real stall.

Samples (seconds, MiB or ms, in the order taken):

| measure | samples |
| --- | --- |
EOF
for m in insert_skysh insert_redis insert_sqlite save_skysh save_redis save_dd \
	load_skysh load_redis load_redis_ping mem_skysh mem_skysh_peak mem_redis mem_redis_used \
	stall_max_bgsave stall_max_nosave stall_p999_bgsave stall_p999_nosave \
	stall_over1ms_bgsave stall_over1ms_nosave \
	startup_new startup_existing; do
	printf '| %s | %s |\n' "$m" "$(samples "$m")"
done
