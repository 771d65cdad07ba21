#!/usr/bin/env bash
# compare.sh — skysh against redis-server 7 + redis-cli and sqlite3, side by
# side in one run (issues 5 and 8). It prints a markdown report on stdout
# (progress goes to stderr):
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
#   AOF_PORT   loopback port for its redis-server with appendfsync always
#              (default PORT+1)
#   RT_DUR     how long each one-at-a-time round-trip run sends SETs (default 3s)
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
#   1. batch insert   skysh -d NEWDIR < sets.sky (journal on, --fsync always,
#                     the default; final save included)
#                     | the same with --nojournal (what the journal costs)
#                     | redis-cli --pipe < sets.resp into a new redis-server
#                       without persistence
#                     | the same into a redis-server with appendonly yes,
#                       appendfsync always (pure AOF, no rewrite)
#                     | sqlite3 NEW.db < sets.sql
#   2. save           bench/savetime (!save of the loaded store, timed from
#                     the line sent to its answer) | redis-cli SAVE
#                     | dd of the same number of MiB with conv=fsync
#   3. load           skysh -d DIR -e DBSIZE (process start to exit)
#                     | redis-server restarted on its dump.rdb: the
#                     "DB loaded from disk: X seconds" figure from its log
#      journal load   bench/replay on a fresh copy of a directory whose
#                     data.bin is empty and whose journal holds the N SETs
#                     (made once: script piped in, then kill -9): start →
#                     DBSIZE answered; and skysh -e DBSIZE on another copy
#                     (whole process, its final save of N keys included)
#                     | the AOF redis-server restarted on the AOF of its
#                     insert: "DB loaded from append only file: X seconds"
#   4. memory         bench/rss (VmRSS once DBSIZE has answered)
#                     | redis INFO memory used_memory_rss after the load
#   5. stall          bench/stall: one-at-a-time query round trips with a
#                     BGSAVE every second (-S 1) against --nosave
#   6. start-up       skysh -d NEW_EMPTY_DIR -e HEYA
#   7. round trip     bench/roundtrip: SET of a new key, wait for the answer,
#                     next, for RT_DUR: skysh through its pipes (fsync always;
#                     and --nojournal) | redis with appendfsync always over
#                     one TCP connection
# Everything runs on 127.0.0.1; every process started is stopped at exit.
set -euo pipefail

N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
SEED=${SEED:-42}
PORT=${PORT:-6399}
AOF_PORT=${AOF_PORT:-$((PORT + 1))}
RT_DUR=${RT_DUR:-3s}
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
declare -A REDIS_PIDS=() # port → pid of the redis-server started on it

stop_redis() { # stop_redis PORT
	local port=$1 pid=${REDIS_PIDS[$1]:-}
	[[ -n $pid ]] || return 0
	redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset "REDIS_PIDS[$port]"
}
stop_all_redis() {
	local port
	for port in "${!REDIS_PIDS[@]}"; do stop_redis "$port"; done
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_all_redis
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

for p in "$PORT" "$AOF_PORT"; do
	if redis-cli -p "$p" ping >/dev/null 2>&1; then
		die "something already answers on 127.0.0.1:$p; choose another PORT= or AOF_PORT="
	fi
done

# --- build and generate -----------------------------------------------------

log "building skysh and the bench helpers in $WORK"
(cd "$REPO" && go build -o "$SKYSH" ./cmd/skysh &&
	go build -o "$BIN/" ./bench/gen ./bench/timeit ./bench/savetime ./bench/rss ./bench/stall \
		./bench/roundtrip ./bench/replay)

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

# start_redis LOGFILE [aof]: a redis-server, wait for PING. Without "aof":
# no persistence, on $WORK/redis and $PORT. With "aof": on $WORK/redis-aof and
# $AOF_PORT, every write appended to the AOF and fsynced before its reply
# (appendfsync always), a pure AOF (no RDB preamble), never rewritten during
# the run (a rewrite would add a second writer to the figure).
start_redis() {
	local port=$PORT dir=$WORK/redis persist=(--appendonly no)
	if [[ ${2:-} == aof ]]; then
		port=$AOF_PORT dir=$WORK/redis-aof
		persist=(--appendonly yes --appendfsync always --aof-use-rdb-preamble no
			--auto-aof-rewrite-percentage 0)
	fi
	mkdir -p "$dir"
	redis-server --port "$port" --bind 127.0.0.1 --save '' "${persist[@]}" \
		--dir "$dir" --dbfilename dump.rdb --logfile "$1" --daemonize no &
	REDIS_PIDS[$port]=$!
	local i
	for ((i = 0; i < 60000; i++)); do
		[[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return 0
		kill -0 "${REDIS_PIDS[$port]}" 2>/dev/null || die "redis-server exited; see $1"
		sleep 0.001
	done
	die "redis-server did not answer PING within a minute"
}
rcli() { redis-cli -p "$PORT" "$@"; }
acli() { redis-cli -p "$AOF_PORT" "$@"; }
# aof_bytes: the bytes of the AOF redis-server's incremental AOF files.
aof_bytes() {
	local f total=0
	for f in "$WORK"/redis-aof/appendonlydir/*.incr.aof; do
		[[ -e $f ]] && total=$((total + $(stat -c %s "$f")))
	done
	echo "$total"
}

# --- the systems, one function per system and figure ------------------------

insert_skysh() {
	timed insert_skysh "$SKYSH" -d "$R/sky" <"$WORK/sets.sky" >/dev/null
	[[ -z $(compgen -G "$R/sky/journal-*.log") ]] || die "skysh left a journal after a clean exit"
}
insert_skysh_nojournal() {
	timed insert_skysh_nojournal "$SKYSH" --nojournal -d "$R/sky-nojournal" <"$WORK/sets.sky" >/dev/null
	rm -rf "$R/sky-nojournal"
}
insert_redis() {
	stop_redis "$PORT"
	rm -f "$WORK/redis/dump.rdb"
	start_redis "$R/redis-insert.log"
	[[ $(rcli FLUSHALL) == OK ]] || die "FLUSHALL failed"
	timed insert_redis redis-cli -p "$PORT" --pipe <"$WORK/sets.resp" >"$R/pipe.out"
	grep -q "errors: 0, replies: $N\$" "$R/pipe.out" || die "redis-cli --pipe: $(tail -1 "$R/pipe.out")"
	[[ $(rcli DBSIZE) == "$N" ]] || die "redis DBSIZE is not $N after the insert"
}
# insert_redis_aof leaves the AOF of the N SETs in $WORK/redis-aof for
# load_redis_aof, and its server stopped.
insert_redis_aof() {
	stop_redis "$AOF_PORT"
	rm -rf "$WORK/redis-aof"
	start_redis "$R/redis-aof-insert.log" aof
	[[ $(acli CONFIG GET appendonly | tail -1) == yes ]] || die "the AOF redis-server has appendonly off"
	[[ $(acli CONFIG GET appendfsync | tail -1) == always ]] || die "the AOF redis-server's appendfsync is not always"
	timed insert_redis_aof redis-cli -p "$AOF_PORT" --pipe <"$WORK/sets.resp" >"$R/pipe-aof.out"
	grep -q "errors: 0, replies: $N\$" "$R/pipe-aof.out" || die "redis-cli --pipe (AOF): $(tail -1 "$R/pipe-aof.out")"
	[[ $(acli DBSIZE) == "$N" ]] || die "AOF redis DBSIZE is not $N after the insert"
	# Every SET must be in the AOF: it holds at least the protocol piped in.
	local bytes
	bytes=$(aof_bytes)
	((bytes >= $(stat -c %s "$WORK/sets.resp"))) || die "the AOF holds $bytes bytes, less than the SETs sent"
	rec aof_mib "$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1048576}')"
	stop_redis "$AOF_PORT"
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
	stop_redis "$PORT"
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

# fill_journal: $WORK/journal holds the N SETs in its journal only (data.bin
# as empty as a new directory's): the state a kill -9 before the first save
# leaves. Made once; every load sample starts on a fresh copy of it.
fill_journal() {
	rm -rf "$WORK/journal" "$WORK/emptyref"
	"$BIN/replay" -fill "$WORK/sets.sky" -bin "$SKYSH" -d "$WORK/journal" -n "$N" ||
		die "bench/replay -fill failed"
	"$SKYSH" -d "$WORK/emptyref" -e HEYA >/dev/null
	local got want
	got=$(stat -c %s "$WORK/journal/data.bin")
	want=$(stat -c %s "$WORK/emptyref/data.bin")
	((got == want)) || die "data.bin is $got bytes after the kill, not the $want bytes of an empty store"
	[[ -n $(compgen -G "$WORK/journal/journal-*.log") ]] || die "no journal-*.log after the kill"
	rec journal_mib "$(du -cb "$WORK"/journal/journal-*.log | awk 'END {printf "%.1f", $1/1048576}')"
	rm -rf "$WORK/emptyref"
}
# journal_copy DIR: a fresh copy of $WORK/journal at DIR. Like Redis's AOF,
# which its server has just written, it is read from the page cache.
journal_copy() {
	rm -rf "$1"
	cp -a "$WORK/journal" "$1"
}
load_skysh_journal() {
	journal_copy "$R/jcopy"
	rec load_skysh_journal "$("$BIN/replay" -bin "$SKYSH" -d "$R/jcopy" -n "$N" 2>"$R/replay.err")" ||
		die "bench/replay: $(cat "$R/replay.err")"
	journal_copy "$R/jcopy"
	timed load_skysh_journal_exit "$SKYSH" -d "$R/jcopy" -e DBSIZE >"$R/dbsize.out" 2>"$R/replay.err"
	[[ $(cat "$R/dbsize.out") == "$N" ]] || die "skysh DBSIZE after replay answered $(cat "$R/dbsize.out"), want $N"
	[[ -z $(compgen -G "$R/jcopy/journal-*.log") ]] || die "skysh left the journal after its final save"
	rm -rf "$R/jcopy"
}
load_redis_aof() {
	[[ $(aof_bytes) -gt 0 ]] || die "no AOF to load"
	stop_redis "$AOF_PORT"
	start_redis "$R/redis-aof-load.log" aof
	local secs
	secs=$(sed -n 's/.*DB loaded from append only file: \([0-9.]*\) seconds.*/\1/p' "$R/redis-aof-load.log")
	[[ -n $secs ]] || die "no 'DB loaded from append only file' line in $R/redis-aof-load.log"
	[[ $(acli DBSIZE) == "$N" ]] || die "AOF redis DBSIZE is not $N after the load"
	rec load_redis_aof "$secs"
	stop_redis "$AOF_PORT"
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

# rt_record MEASURE LINE: keep a roundtrip result (p50 and p99 in ms).
rt_record() {
	[[ $(field queries "$2") -gt 0 ]] || die "roundtrip: $2"
	rec "$1_p50" "$(awk -v u="$(field p50_us "$2")" 'BEGIN {printf "%.4f", u/1000}')"
	rec "$1_p99" "$(awk -v u="$(field p99_us "$2")" 'BEGIN {printf "%.4f", u/1000}')"
	rec "$1_mean" "$(awk -v u="$(field mean_us "$2")" 'BEGIN {printf "%.4f", u/1000}')"
	rec "$1_queries" "$(field queries "$2")"
}
rt_skysh() {
	rm -rf "$R/rt"
	rt_record rt_skysh "$("$BIN/roundtrip" -bin "$SKYSH" -d "$R/rt" -dur "$RT_DUR")"
	rm -rf "$R/rt"
}
rt_skysh_nojournal() {
	rm -rf "$R/rt"
	rt_record rt_skysh_nojournal "$("$BIN/roundtrip" -bin "$SKYSH" -d "$R/rt" -dur "$RT_DUR" -- --nojournal)"
	rm -rf "$R/rt"
}
rt_redis_aof() { # on a new, empty AOF server (the insert's AOF was loaded already)
	stop_redis "$AOF_PORT"
	rm -rf "$WORK/redis-aof"
	start_redis "$R/redis-aof-rt.log" aof
	[[ $(acli CONFIG GET appendfsync | tail -1) == always ]] || die "the AOF redis-server's appendfsync is not always"
	rt_record rt_redis_aof "$("$BIN/roundtrip" -redis "127.0.0.1:$AOF_PORT" -dur "$RT_DUR")"
	[[ $(aof_bytes) -gt 0 ]] || die "the round trips left no AOF"
	stop_redis "$AOF_PORT"
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

log "making a directory whose $N writes are all in the journal (kill -9 before any save)"
fill_journal

for ((round = 0; round < ROUNDS; round++)); do
	R=$WORK/round$round
	rm -rf "$WORK/round$((round - 1))"
	mkdir -p "$R"
	log "round $((round + 1))/$ROUNDS"
	for s in $(rotate "$round" skysh skysh_nojournal redis redis_aof sqlite); do log "  insert $s"; "insert_$s"; done
	for s in $(rotate "$round" skysh redis dd); do log "  save $s"; "save_$s"; done
	for s in $(rotate "$round" skysh redis); do log "  load $s"; "load_$s"; done
	for s in $(rotate "$round" skysh_journal redis_aof); do log "  load $s"; "load_$s"; done
	for s in $(rotate "$round" skysh redis); do log "  memory $s"; "mem_$s"; done
	if ((round == 0)); then same_value; fi
	log "  stall (BGSAVE every 1 s against --nosave, $STALL_DUR each)"
	stall_skysh "$( ((round % 2)) && echo nosave || echo bgsave)"
	log "  start-up"
	startup_skysh
	for s in $(rotate "$round" skysh skysh_nojournal redis_aof); do log "  round trip $s ($RT_DUR)"; "rt_$s"; done
done
stop_all_redis

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
row "batch insert $NL SET (skysh: journal, fsync always; final save incl.)" insert_skysh "redis-cli --pipe, no persistence" insert_redis s "≤ 0.5×" "ratio<=0.5"
row "batch insert $NL SET, against Redis with AOF" insert_skysh "redis-cli --pipe, appendfsync always" insert_redis_aof s "≤ 0.25×" "ratio<=0.25"
row "batch insert $NL SET, skysh \`--nojournal\`" insert_skysh_nojournal "redis-cli --pipe, no persistence" insert_redis s "" ""
row "batch insert $NL rows" insert_skysh "sqlite3, one transaction" insert_sqlite s "" ""
row "save $NL keys" save_skysh "redis SAVE" save_redis s "≤ 0.5×" "ratio<=0.5"
row "save $NL keys against the disk" save_skysh "dd ${mib} MiB conv=fsync" save_dd s "≤ 3×" "ratio<=3"
row "load $NL keys (skysh: start → DBSIZE answered → exit)" load_skysh "redis RDB load (log)" load_redis s "≤ 0.5×" "ratio<=0.5"
row "load a journal of $NL writes (skysh: start → DBSIZE answered)" load_skysh_journal "redis AOF load (log)" load_redis_aof s "≤ 0.5×" "ratio<=0.5"
row "load a journal of $NL writes, whole \`-e DBSIZE\` (final save incl.)" load_skysh_journal_exit "redis AOF load (log)" load_redis_aof s "" ""
row "resident memory, $NL keys loaded" mem_skysh "redis used_memory_rss" mem_redis mib "≤ 1×" "ratio<=1"
row "longest query during BGSAVE (-S 1)" stall_max_bgsave "--nosave" stall_max_nosave ms "≤ 1 ms" "value<=1"
row "p99.9 query during BGSAVE (-S 1)" stall_p999_bgsave "--nosave" stall_p999_nosave ms "" ""
row "start-up \`-e HEYA\`, new empty dir" startup_new "" "" s "≤ 20 ms" "value<=0.020"
row "start-up \`-e HEYA\`, empty data.bin" startup_existing "" "" s "≤ 20 ms" "value<=0.020"
row "one SET round trip, p50 (skysh: fsync always)" rt_skysh_p50 "redis appendfsync always" rt_redis_aof_p50 ms "" ""
row "one SET round trip, p50, skysh \`--nojournal\`" rt_skysh_nojournal_p50 "" "" ms "" ""

cat <<EOF

Ratios are skysh / peer; "met" compares the skysh median with the target
(absolute targets: stall ≤ 1 ms, start-up ≤ 20 ms).

Notes:
- skysh's load figure is a whole process (start, lock, read and check
  data.bin, answer DBSIZE, exit); Redis's is only the RDB load from its log.
  Redis from process start to PING answered: $(median load_redis_ping | awk '{printf "%.3f", $1}') s (median).
- Redis's insert and save are timed through redis-cli (connect included).
  The AOF server runs with appendonly yes, appendfsync always,
  aof-use-rdb-preamble no and auto-aof-rewrite-percentage 0; its AOF after
  the insert: $(median aof_mib) MiB (checked to hold at least the protocol piped in).
- The journal costs the piped insert $(awk -v a="$(median insert_skysh)" -v b="$(median insert_skysh_nojournal)" 'BEGIN {printf "%.0f ms (%.2f s with it, %.2f s without)", (a-b)*1000, a, b}').
- journal load: a directory made once by piping the $NL SETs into
  \`skysh --nosave\` and killing it (SIGKILL) once DBSIZE answered: data.bin
  as empty as a new directory's, journal $(median journal_mib) MiB. Each sample
  starts on a fresh copy. "start → DBSIZE answered" is bench/replay, from
  the process start to the answer (open, replay, answer; it is then killed,
  so the final save is not in it); the whole-process figure also holds the
  exit's final save of $NL keys and the journal's removal. Redis's figure
  is its log's AOF load only.
- round trip: one SET of a new key at a time, the next sent when the answer
  is read, $RT_DUR per run; skysh through its pipes (--json), Redis over
  one TCP connection. p99 (ms): skysh $(median rt_skysh_p99), redis AOF
  $(median rt_redis_aof_p99), skysh --nojournal $(median rt_skysh_nojournal_p99);
  mean (ms): skysh $(median rt_skysh_mean), redis AOF $(median rt_redis_aof_mean),
  skysh --nojournal $(median rt_skysh_nojournal_mean); SETs per run: skysh
  $(samples rt_skysh_queries), redis AOF $(samples rt_redis_aof_queries).
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
for m in insert_skysh insert_skysh_nojournal insert_redis insert_redis_aof insert_sqlite \
	save_skysh save_redis save_dd load_skysh load_redis load_redis_ping \
	load_skysh_journal load_skysh_journal_exit load_redis_aof \
	mem_skysh mem_skysh_peak mem_redis mem_redis_used \
	stall_max_bgsave stall_max_nosave stall_p999_bgsave stall_p999_nosave \
	stall_over1ms_bgsave stall_over1ms_nosave \
	startup_new startup_existing \
	rt_skysh_p50 rt_redis_aof_p50 rt_skysh_nojournal_p50 rt_skysh_p99 rt_redis_aof_p99; do
	printf '| %s | %s |\n' "$m" "$(samples "$m")"
done
