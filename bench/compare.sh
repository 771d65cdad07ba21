#!/usr/bin/env bash
# compare.sh — skysh against redis-server 7 + redis-cli and sqlite3, side by
# side in one run (issues 5, 8 and 9). It prints a markdown report on stdout
# (progress goes to stderr):
#
#   bench/compare.sh                          # every shape, 3 rounds
#   SHAPES=1m32 ROUNDS=1 bench/compare.sh     # a quick run: 1M x 32 B only
#   N=20000 N10=100000 ROUNDS=1 bench/compare.sh   # a check of the script
#   bench/compare.sh > bench/last-run.txt
#
# Environment:
#   SHAPES        workload shapes to run, from: 1m32 (N keys, 32-byte values),
#                 10m32 (N10 keys, 32 B), 1m1k (N keys, BIG_VSIZE bytes)
#                 (default: all three)
#   EXTRA_SHAPES  shapes that also get the Redis AOF peer, sqlite3, the
#                 journal load, the mixed script and the BGSAVE stall
#                 (default 1m32)
#   N             keys of the 1m shapes (default 1000000)
#   N10           keys of the 10m shape (default 10*N)
#   BIG_VSIZE     value size of the 1m1k shape in bytes (default 1024)
#   ROUNDS        rounds; each figure is the median over them and each ratio
#                 the median of the per-round ratios (default 3)
#   SEED          seed of the random values and of the mixed script
#                 (default 42, fixed)
#   PORT          loopback port of the benchmark's redis-server without
#                 persistence (default 6399)
#   AOF_PORT      loopback port of its redis-server with appendfsync always
#                 (default PORT+1)
#   RT_DUR        how long each one-at-a-time round-trip run sends SETs
#                 (default 3s)
#   RT_CLI_N      SETs redis-cli sends one at a time, as a cross-check of the
#                 round-trip client (default 20000)
#   STALL_DUR     how long each stall run sends queries (default 5s)
#   STARTUPS      start-ups of each kind per round (default 5)
#   WORK          work directory (default: a new mktemp -d, removed at exit)
#   KEEP=1        keep the work directory
#
# What it does: installs redis-server, redis-tools and sqlite3 with apt-get
# when missing; builds skysh, the helpers under bench/ and a Go hello-world;
# generates each shape's workload once (bench/gen: keys key:000000000… of
# 13 bytes, random alphanumeric values from the fixed seed) as skysh lines and
# Redis protocol (and SQL and a mixed script for the extra shapes); then runs
# ROUNDS rounds. In each round, for each shape, every system does every
# measure in turn, their order rotating from round to round; then come the
# start-ups and the one-at-a-time round trips. Every sample also records how
# much CPU other processes (not this script's process tree) used during it.
# The report's notes say what each row measures and what limits it.
# It prints an estimate of its duration at the start (about 12 minutes with
# the defaults on a quiet 2-vCPU machine, 3.5 with SHAPES=1m32) and the time
# it took in the report.
# Everything runs on 127.0.0.1; every process started is stopped at exit
# (Ctrl-C stops the run at once; a TERM sent to the script alone takes
# effect when the step under way ends).
set -euo pipefail

SHAPES=${SHAPES:-1m32 10m32 1m1k}
EXTRA_SHAPES=${EXTRA_SHAPES:-1m32}
N=${N:-1000000}
N10=${N10:-$((N * 10))}
BIG_VSIZE=${BIG_VSIZE:-1024}
ROUNDS=${ROUNDS:-3}
SEED=${SEED:-42}
PORT=${PORT:-6399}
AOF_PORT=${AOF_PORT:-$((PORT + 1))}
RT_DUR=${RT_DUR:-3s}
RT_CLI_N=${RT_CLI_N:-20000}
STALL_DUR=${STALL_DUR:-5s}
STARTUPS=${STARTUPS:-5}
KEEP=${KEEP:-0}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ALL_SHAPES="1m32 10m32 1m1k"

log() { printf '# %4ds %s\n' "$SECONDS" "$*" >&2; }
die() {
	printf 'compare.sh: %s\n' "$*" >&2
	exit 1
}

positive() { # positive NAME VALUE
	[[ $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || die "$1=$2: want a positive integer"
}
for v in N N10 BIG_VSIZE ROUNDS RT_CLI_N STARTUPS PORT AOF_PORT; do positive "$v" "${!v}"; done
((N <= 1000000000 && N10 <= 1000000000)) || die "N and N10 must be at most 1e9 (keys have 9 digits)"
((PORT != AOF_PORT && PORT < 65536 && AOF_PORT < 65536)) || die "PORT=$PORT AOF_PORT=$AOF_PORT: want two different ports below 65536"
for s in $SHAPES $EXTRA_SHAPES; do
	[[ " $ALL_SHAPES " == *" $s "* ]] || die "shape $s: want one of $ALL_SHAPES"
done
[[ -n ${SHAPES// /} ]] || die "SHAPES is empty"
for d in RT_DUR STALL_DUR; do
	[[ ${!d} =~ ^[0-9]+(\.[0-9]+)?(ms|s)$ ]] || die "$d=${!d}: want a duration such as 3s or 500ms"
done

# chosen SHAPE: whether SHAPE runs; extra SHAPE: whether it runs with the
# extra peers and measures.
chosen() { [[ " $SHAPES " == *" $1 "* ]]; }
extra() { chosen "$1" && [[ " $EXTRA_SHAPES " == *" $1 "* ]]; }
shape_n() { if [[ $1 == 10m32 ]]; then echo "$N10"; else echo "$N"; fi; }
shape_vsize() { if [[ $1 == 1m1k ]]; then echo "$BIG_VSIZE"; else echo 32; fi; }
count_label() { # 1000000 → 1M, 20000 → 20k
	local n=$1
	if ((n % 1000000 == 0)); then echo "$((n / 1000000))M"
	elif ((n % 1000 == 0)); then echo "$((n / 1000))k"
	else echo "$n"; fi
}
size_label() { # 32 → 32 B, 1024 → 1 KiB
	if (($1 % 1024 == 0)); then echo "$(($1 / 1024)) KiB"; else echo "$1 B"; fi
}
shape_label() { echo "$(count_label "$(shape_n "$1")") × $(size_label "$(shape_vsize "$1")")"; }
secs_of() { # secs_of DURATION: 3s → 3, 500ms → 0.5
	awk -v d="$1" 'BEGIN { v = d + 0; if (d ~ /ms$/) v /= 1000; print v }'
}

# estimate: the seconds a run should take on a quiet machine of this kind,
# from per-key and per-byte costs seen in earlier runs (rough: ±30 %).
estimate() {
	local s total=0
	for s in $SHAPES; do
		total=$(awk -v t="$total" -v n="$(shape_n "$s")" -v v="$(shape_vsize "$s")" \
			-v x="$(extra "$s" && echo 1 || echo 0)" -v rounds="$ROUNDS" -v stall="$(secs_of "$STALL_DUR")" '
		BEGIN {
			# one round of the common measures: ~9 s per 1M keys of 32 B,
			# ~21 s more per GiB of values; 10M keys cost ~35 % more per key
			per = n * (9e-6 + 2.1e-8 * v) * (n >= 5e6 ? 1.35 : 1)
			# AOF insert and load, sqlite3, journal load, mixed script, stall
			if (x) per += n * 17e-6 + 2 * stall + 3
			gen = n * (2e-7 + 1e-8 * v) * (x ? 2 : 1) + (x ? n * 1.5e-6 : 0)
			print t + gen + rounds * per
		}')
	done
	awk -v t="$total" -v rounds="$ROUNDS" -v rt="$(secs_of "$RT_DUR")" -v cli="$RT_CLI_N" -v st="$STARTUPS" '
	BEGIN { printf "%d", t + 30 + rounds * (5 * rt + 3 + cli * 5e-5 + st * 0.15) }'
}
minutes() { awk -v s="$1" 'BEGIN { printf "%.1f min", s / 60 }'; }

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
HELLO=$BIN/hello
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

# tree_procs: "PID TICKS" for each process whose parent chain reaches this
# shell (itself included): its user and system time and those of the
# children it has reaped (/proc/PID/stat, in clock ticks), so a process that
# started and ended since the last look is counted in its parent.
tree_procs() {
	{ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root=$$ '
	{
		k = split($0, part, ")")           # the name may hold spaces or ")"
		split(part[k], f, " ")             # f[1] state, f[2] ppid, f[12..15] times
		parent[$1] = f[2]
		cpu[$1] = f[12] + f[13] + f[14] + f[15]
	}
	function mine(p,   q) {
		for (q = p; q != "" && q > 1; q = parent[q]) if (q == root) return 1
		return 0
	}
	END { for (p in cpu) if (mine(p)) print p, cpu[p] }'
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_all_redis
	# Whatever else still runs below us (a helper inside a command
	# substitution, the skysh it drives), by pid.
	local p
	for p in $(tree_procs | awk -v self=$$ '$1 != self { print $1 }'); do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
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

# --- samples and the CPU others used ----------------------------------------

mkdir -p "$RES/cpu"
HZ=$(getconf CLK_TCK)
TOUCHED=() # the measures rec wrote during the current sample

# rec MEASURE VALUE: keep one sample.
rec() {
	printf '%s\n' "$2" >>"$RES/$1"
	TOUCHED+=("$1")
}

# cpu_snap: "NOW_NS BUSY STEAL TREE": the machine's busy and steal time
# (/proc/stat, in clock ticks) and the CPU time of this script's process tree.
cpu_snap() {
	local now stat
	now=$(date +%s%N)
	stat=$(head -1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8, $9 }')
	echo "$now $stat $(tree_procs | awk '{ t += $2 } END { print t + 0 }')"
}

# cpu_delta BEFORE AFTER: "OTHERS STEAL" in CPUs (cores) on average over the
# interval: the machine's busy time minus our tree's, and the steal time.
cpu_delta() {
	awk -v hz="$HZ" -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		wall = (y[1] - x[1]) / 1e9
		if (wall <= 0) wall = 1e-9
		others = ((y[2] - x[2]) - (y[4] - x[4])) / hz / wall
		if (others < 0) others = 0   # tick rounding on short samples
		printf "%.2f %.2f\n", others, (y[3] - x[3]) / hz / wall
	}'
}

# sample CMD...: run CMD, a function that records one or more measures, and
# record for each of them the CPU others used meanwhile (cpu/MEASURE).
sample() {
	local before after delta m
	TOUCHED=()
	before=$(cpu_snap)
	"$@"
	after=$(cpu_snap)
	delta=$(cpu_delta "$before" "$after")
	while read -r m; do
		[[ -n $m ]] && printf '%s\n' "$delta" >>"$RES/cpu/$m"
	done < <(printf '%s\n' "${TOUCHED[@]}" | sort -u)
}

# timed MEASURE CMD...: run CMD under timeit (stdin/stdout as redirected by
# the caller) and keep its wall time in seconds.
timed() {
	local m=$1
	shift
	"$BIN/timeit" -t "$WORK/t" -- "$@" || die "failed ($?): $*"
	rec "$m" "$(cat "$WORK/t")"
}
# field KEY LINE: the value of KEY=value in a line of key=value words.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }
# median < NUMBERS
median() {
	sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "nan"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# --- Redis --------------------------------------------------------------------

# start_redis LOGFILE [aof]: a redis-server, ready once its log says so and it
# answers PING (polled every 10 ms: a redis-cli every millisecond would take a
# CPU from a long load). Without "aof": no persistence, on $WORK/redis and
# $PORT (it loads $WORK/redis/dump.rdb if there is one). With "aof": on
# $WORK/redis-aof and $AOF_PORT, every write appended to the AOF and fsynced
# before its reply (appendfsync always), a pure AOF (no RDB preamble), never
# rewritten during the run (a rewrite would add a second writer).
start_redis() {
	local port=$PORT dir=$WORK/redis persist=(--appendonly no)
	if [[ ${2:-} == aof ]]; then
		port=$AOF_PORT dir=$WORK/redis-aof
		persist=(--appendonly yes --appendfsync always --aof-use-rdb-preamble no
			--auto-aof-rewrite-percentage 0)
	fi
	mkdir -p "$dir"
	rm -f "$1"
	redis-server --port "$port" --bind 127.0.0.1 --save '' "${persist[@]}" \
		--dir "$dir" --dbfilename dump.rdb --logfile "$1" --daemonize no &
	REDIS_PIDS[$port]=$!
	local i
	for ((i = 0; i < 60000; i++)); do
		if grep -q 'Ready to accept connections' "$1" 2>/dev/null &&
			[[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]]; then
			return 0
		fi
		kill -0 "${REDIS_PIDS[$port]}" 2>/dev/null || die "redis-server exited; see $1"
		sleep 0.01
	done
	die "redis-server did not answer PING within 10 minutes"
}
# fresh_redis LOGFILE: an empty redis-server without persistence on $PORT.
fresh_redis() {
	stop_redis "$PORT"
	rm -f "$WORK/redis/dump.rdb"
	start_redis "$1"
	[[ $(rcli DBSIZE) == 0 ]] || die "the new redis-server is not empty"
}
rcli() { redis-cli -p "$PORT" "$@"; }
acli() { redis-cli -p "$AOF_PORT" "$@"; }
# redis_mem MEASURE: keep used_memory_rss of the server on $PORT, in MiB,
# read after the same second of idleness as bench/rss gives skysh.
redis_mem() {
	local rss
	sleep 1
	rss=$(rcli INFO memory | tr -d '\r' | sed -n 's/^used_memory_rss://p')
	[[ -n $rss ]] || die "no used_memory_rss in INFO memory"
	rec "$1" "$(awk -v b="$rss" 'BEGIN { printf "%.2f", b / 1048576 }')"
}
# pipe_ok OUTFILE REPLIES: redis-cli --pipe got every reply and no error.
pipe_ok() {
	grep -q "errors: 0, replies: $2\$" "$1" || die "redis-cli --pipe: $(tail -1 "$1")"
}
# aof_bytes: the bytes of the AOF redis-server's incremental AOF files.
aof_bytes() {
	local f total=0
	for f in "$WORK"/redis-aof/appendonlydir/*.incr.aof; do
		[[ -e $f ]] && total=$((total + $(stat -c %s "$f")))
	done
	echo "$total"
}
aof_always() {
	[[ $(acli CONFIG GET appendonly | tail -1) == yes ]] || die "the AOF redis-server has appendonly off"
	[[ $(acli CONFIG GET appendfsync | tail -1) == always ]] || die "the AOF redis-server's appendfsync is not always"
}

# --- the measures: one function per system and figure -------------------------
# They use the shape's globals: S (name), SN (keys), G (its workload files),
# R (this round's directory for it).

insert_skysh() {
	timed "${S}_insert_skysh" "$SKYSH" -d "$R/sky" <"$G/sets.sky" >/dev/null
	[[ -z $(compgen -G "$R/sky/journal-*.log") ]] || die "skysh left a journal after a clean exit"
}
insert_skysh_nojournal() {
	timed "${S}_insert_skysh_nojournal" "$SKYSH" --nojournal -d "$R/sky-nojournal" <"$G/sets.sky" >/dev/null
	rm -rf "$R/sky-nojournal"
}
# insert_redis also keeps Redis's memory right after the insert.
insert_redis() {
	fresh_redis "$R/redis-insert.log"
	timed "${S}_insert_redis" redis-cli -p "$PORT" --pipe <"$G/sets.resp" >"$R/pipe.out"
	pipe_ok "$R/pipe.out" "$SN"
	[[ $(rcli DBSIZE) == "$SN" ]] || die "redis DBSIZE is not $SN after the insert"
	redis_mem "${S}_mem_insert_redis"
}
# insert_redis_aof leaves the AOF of the SETs in $WORK/redis-aof for
# load_redis_aof, and its server stopped.
insert_redis_aof() {
	stop_redis "$AOF_PORT"
	rm -rf "$WORK/redis-aof"
	start_redis "$R/redis-aof-insert.log" aof
	aof_always
	timed "${S}_insert_redis_aof" redis-cli -p "$AOF_PORT" --pipe <"$G/sets.resp" >"$R/pipe-aof.out"
	pipe_ok "$R/pipe-aof.out" "$SN"
	[[ $(acli DBSIZE) == "$SN" ]] || die "AOF redis DBSIZE is not $SN after the insert"
	# Every SET must be in the AOF: it holds at least the protocol piped in.
	local bytes
	bytes=$(aof_bytes)
	((bytes >= $(stat -c %s "$G/sets.resp"))) || die "the AOF holds $bytes bytes, less than the SETs sent"
	rec "${S}_aof_mib" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
	stop_redis "$AOF_PORT"
}
insert_sqlite() {
	timed "${S}_insert_sqlite" sqlite3 "$R/kv.db" <"$G/sets.sql" >/dev/null
	[[ $(sqlite3 "$R/kv.db" 'SELECT count(*) FROM kv') == "$SN" ]] || die "sqlite3 count is not $SN"
}

# rss_run MEASURE DIR [-script FILE] [-- FLAGS]: bench/rss; keeps VmRSS and
# VmHWM in MiB and sets RSS_LINE to its output line.
rss_run() {
	local m=$1 dir=$2
	shift 2
	RSS_LINE=$("$BIN/rss" -bin "$SKYSH" -d "$dir" "$@" 2>"$WORK/rss.err") ||
		die "bench/rss: $(tail -3 "$WORK/rss.err")"
	[[ $(field keys "$RSS_LINE") == "$SN" ]] || die "rss: $RSS_LINE, want keys=$SN"
	rec "$m" "$(kib_to_mib "$(field rss_kib "$RSS_LINE")")"
	rec "${m}_peak" "$(kib_to_mib "$(field hwm_kib "$RSS_LINE")")"
}
# mem_insert_skysh: the resident memory of skysh (defaults: journal on,
# fsync always) right after a piped insert, before it exits.
mem_insert_skysh() {
	rm -rf "$R/memins"
	rss_run "${S}_mem_insert_skysh" "$R/memins" -script "$G/sets.sky"
	[[ $(field answers "$RSS_LINE") == "$SN" ]] || die "rss: $RSS_LINE, want answers=$SN"
	rm -rf "$R/memins"
}

save_skysh() {
	local secs
	secs=$("$BIN/savetime" -bin "$SKYSH" -d "$R/sky" -n "$SN") || die "bench/savetime failed"
	rec "${S}_save_skysh" "$secs"
}
save_redis() { # writes the dump.rdb load_redis loads
	"$BIN/timeit" -t "$WORK/t" -- redis-cli -p "$PORT" SAVE >"$R/save.out"
	[[ $(cat "$R/save.out") == OK ]] || die "redis SAVE answered $(cat "$R/save.out")"
	rec "${S}_save_redis" "$(cat "$WORK/t")"
}
save_dd() {
	local bytes mib
	bytes=$(stat -c %s "$R/sky/data.bin")
	mib=$(((bytes + 1048575) / 1048576))
	rec "${S}_dd_mib" "$mib"
	rm -f "$R/dd.out"
	timed "${S}_save_dd" dd if=/dev/zero of="$R/dd.out" bs=1M count="$mib" conv=fsync status=none
	rm -f "$R/dd.out"
}

load_skysh() {
	timed "${S}_load_skysh" "$SKYSH" -d "$R/sky" -e DBSIZE >"$R/dbsize.out"
	[[ $(cat "$R/dbsize.out") == "$SN" ]] || die "skysh DBSIZE answered $(cat "$R/dbsize.out"), want $SN"
}
# load_redis leaves the server up with the keys it loaded.
load_redis() {
	[[ -s $WORK/redis/dump.rdb ]] || die "no dump.rdb to load"
	stop_redis "$PORT"
	local t0 t1 secs
	t0=$(date +%s%N)
	start_redis "$R/redis-load.log"
	t1=$(date +%s%N)
	secs=$(sed -n 's/.*DB loaded from disk: \([0-9.]*\) seconds.*/\1/p' "$R/redis-load.log")
	[[ -n $secs ]] || die "no 'DB loaded from disk' line in $R/redis-load.log"
	[[ $(rcli DBSIZE) == "$SN" ]] || die "redis DBSIZE is not $SN after the load"
	rec "${S}_load_redis" "$secs"
	rec "${S}_load_redis_ping" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')"
}
mem_load_skysh() { rss_run "${S}_mem_load_skysh" "$R/sky" -- --nosave; }
mem_load_redis() { redis_mem "${S}_mem_load_redis"; } # after load_redis

# fill_journal: $G/journal holds the shape's SETs in its journal only
# (data.bin as empty as a new directory's): the state a kill -9 before the
# first save leaves. Made once; every load sample starts on a fresh copy.
fill_journal() {
	rm -rf "$G/journal" "$G/emptyref"
	"$BIN/replay" -fill "$G/sets.sky" -bin "$SKYSH" -d "$G/journal" -n "$SN" ||
		die "bench/replay -fill failed"
	"$SKYSH" -d "$G/emptyref" -e HEYA >/dev/null
	local got want
	got=$(stat -c %s "$G/journal/data.bin")
	want=$(stat -c %s "$G/emptyref/data.bin")
	((got == want)) || die "data.bin is $got bytes after the kill, not the $want bytes of an empty store"
	[[ -n $(compgen -G "$G/journal/journal-*.log") ]] || die "no journal-*.log after the kill"
	rec "${S}_journal_mib" "$(du -cb "$G"/journal/journal-*.log | awk 'END { printf "%.1f", $1 / 1048576 }')"
	rm -rf "$G/emptyref"
}
# journal_copy DIR: a fresh copy of $G/journal at DIR. Like Redis's AOF,
# which its server has just written, it is read from the page cache.
journal_copy() {
	rm -rf "$1"
	cp -a "$G/journal" "$1"
}
load_skysh_journal() {
	local secs
	journal_copy "$R/jcopy"
	secs=$("$BIN/replay" -bin "$SKYSH" -d "$R/jcopy" -n "$SN" 2>"$R/replay.err") ||
		die "bench/replay: $(cat "$R/replay.err")"
	rec "${S}_load_skysh_journal" "$secs"
	journal_copy "$R/jcopy"
	timed "${S}_load_skysh_journal_exit" "$SKYSH" -d "$R/jcopy" -e DBSIZE >"$R/dbsize.out" 2>"$R/replay.err"
	[[ $(cat "$R/dbsize.out") == "$SN" ]] || die "skysh DBSIZE after replay answered $(cat "$R/dbsize.out"), want $SN"
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
	[[ $(acli DBSIZE) == "$SN" ]] || die "AOF redis DBSIZE is not $SN after the load"
	rec "${S}_load_redis_aof" "$secs"
	stop_redis "$AOF_PORT"
}

# copy_store DIR: a new DIR holding a copy of the round's data.bin, on the
# disk before the measure starts (so its write-back does not land in it).
copy_store() {
	rm -rf "$1"
	mkdir "$1"
	cp "$R/sky/data.bin" "$1/"
	sync "$1/data.bin" "$1"
}
# mixed_skysh: the mixed script piped into skysh (defaults) once it has
# loaded a copy of the store: from the first line sent to the last answer.
mixed_skysh() {
	copy_store "$R/mixed"
	rss_run "${S}_mixed_mem_skysh" "$R/mixed" -script "$G/mixed.sky"
	[[ $(field answers "$RSS_LINE") == "$SN" ]] || die "rss: $RSS_LINE, want answers=$SN"
	rec "${S}_mixed_skysh" "$(field script_s "$RSS_LINE")"
	rm -rf "$R/mixed"
}
mixed_redis() { # into the server load_redis left with the keys
	timed "${S}_mixed_redis" redis-cli -p "$PORT" --pipe <"$G/mixed.resp" >"$R/pipe.out"
	pipe_ok "$R/pipe.out" "$SN"
	[[ $(rcli DBSIZE) == "$SN" ]] || die "redis DBSIZE is not $SN after the mixed script"
}

stall_run() { # stall_run bgsave|nosave
	copy_store "$R/stall"
	"$BIN/stall" -bin "$SKYSH" -d "$R/stall" -n "$SN" -dur "$STALL_DUR" -every 1 -runs "$1" >"$R/stall.out"
	local line
	line=$(grep "^$1 " "$R/stall.out") || die "stall printed no $1 line"
	rec "${S}_stall_max_$1" "$(field max_ms "$line")"
	rec "${S}_stall_p999_$1" "$(field p999_ms "$line")"
	rec "${S}_stall_p99_$1" "$(awk -v u="$(field p99_us "$line")" 'BEGIN { printf "%.4f", u / 1000 }')"
	rec "${S}_stall_saves_$1" "$(field saves "$line")"
	rec "${S}_stall_over1ms_$1" "$(field over1ms "$line")"
	rec "${S}_stall_queries_$1" "$(field queries "$line")"
	cat "$R/stall.out" >>"$WORK/stall.log"
	rm -rf "$R/stall"
}

# same_value: one key holds the same value in skysh, Redis and (when it ran)
# sqlite3. After the loads, before the mixed script changes values.
same_value() {
	local i key a b c
	i=$(((SN * 7919 / 10007) % SN))
	key=$(printf 'key:%09d' "$i")
	a=$("$SKYSH" -d "$R/sky" -e "GET $key")
	b=$(rcli GET "$key")
	c=$a
	[[ ! -e $R/kv.db ]] || c=$(sqlite3 "$R/kv.db" "SELECT v FROM kv WHERE k='$key'")
	[[ -n $a && $a == "$b" && $a == "$c" ]] || die "$key differs: skysh '$a' redis '$b' sqlite '$c'"
}

# --- measures without a shape ---------------------------------------------------

# startup: STARTUPS start-ups each of the Go hello-world, skysh -e HEYA on a
# new empty directory, and on that directory again (an empty data.bin),
# interleaved; keeps every start-up and the round's median of each kind.
startup() {
	local i k kinds=(hello new existing)
	for ((i = 0; i < STARTUPS; i++)); do
		rm -rf "$RT/empty"
		mkdir "$RT/empty"
		for k in $(rotate "$i" "${kinds[@]}"); do
			case $k in
			hello)
				timed startup_hello_all "$HELLO" >"$RT/hello.out"
				[[ $(cat "$RT/hello.out") == "hello, world" ]] || die "hello-world printed $(cat "$RT/hello.out")"
				;;
			new)
				rm -rf "$RT/empty"
				mkdir "$RT/empty"
				timed startup_new_all "$SKYSH" -d "$RT/empty" -e HEYA >"$RT/heya.out"
				[[ $(cat "$RT/heya.out") == "HEY!" ]] || die "HEYA answered $(cat "$RT/heya.out")"
				;;
			existing)
				[[ -e $RT/empty/data.bin ]] || "$SKYSH" -d "$RT/empty" -e HEYA >/dev/null
				timed startup_existing_all "$SKYSH" -d "$RT/empty" -e HEYA >/dev/null
				;;
			esac
		done
	done
	for k in "${kinds[@]}"; do
		rec "startup_$k" "$(tail -n "$STARTUPS" "$RES/startup_${k}_all" | median)"
	done
}

# rt_record MEASURE LINE: keep a bench/roundtrip result (p50, p99, mean in ms).
rt_record() {
	[[ $(field queries "$2") -gt 0 ]] || die "roundtrip: $2"
	rec "$1_p50" "$(awk -v u="$(field p50_us "$2")" 'BEGIN { printf "%.4f", u / 1000 }')"
	rec "$1_p99" "$(awk -v u="$(field p99_us "$2")" 'BEGIN { printf "%.4f", u / 1000 }')"
	rec "$1_mean" "$(awk -v u="$(field mean_us "$2")" 'BEGIN { printf "%.4f", u / 1000 }')"
	rec "$1_queries" "$(field queries "$2")"
}
rt_sky() { # rt_sky MEASURE [SKYSH_FLAGS...]
	local m=$1
	shift
	local line
	rm -rf "$RT/rt"
	line=$("$BIN/roundtrip" -bin "$SKYSH" -d "$RT/rt" -dur "$RT_DUR" -- "$@") || die "bench/roundtrip failed"
	rt_record "$m" "$line"
	rm -rf "$RT/rt"
}
rt_skysh() { rt_sky rt_skysh; }
rt_skysh_fsyncno() { rt_sky rt_skysh_fsyncno --fsync no; }
rt_skysh_nojournal() { rt_sky rt_skysh_nojournal --nojournal; }
rt_redis() { # an empty server without persistence
	local line
	fresh_redis "$RT/redis-rt.log"
	line=$("$BIN/roundtrip" -redis "127.0.0.1:$PORT" -dur "$RT_DUR") || die "bench/roundtrip failed"
	rt_record rt_redis "$line"
}
rt_redis_aof() { # a new, empty AOF server
	stop_redis "$AOF_PORT"
	rm -rf "$WORK/redis-aof"
	start_redis "$RT/redis-aof-rt.log" aof
	aof_always
	local line
	line=$("$BIN/roundtrip" -redis "127.0.0.1:$AOF_PORT" -dur "$RT_DUR") || die "bench/roundtrip failed"
	rt_record rt_redis_aof "$line"
	[[ $(aof_bytes) -gt 0 ]] || die "the round trips left no AOF"
	stop_redis "$AOF_PORT"
}
# rt_redis_cli: redis-cli itself reading SETs from a pipe, which it sends one
# at a time, each after the previous reply: the mean per SET, its own start
# included, as a check that bench/roundtrip's client is a fair peer.
rt_redis_cli() {
	fresh_redis "$RT/redis-cli.log"
	timed rt_redis_cli_total redis-cli -p "$PORT" <"$WORK/cli.txt" >"$RT/cli.out"
	[[ $(grep -c '^OK$' "$RT/cli.out") == "$RT_CLI_N" ]] || die "redis-cli did not answer OK $RT_CLI_N times"
	rec rt_redis_cli_mean "$(awk -v t="$(tail -1 "$RES/rt_redis_cli_total")" -v n="$RT_CLI_N" 'BEGIN { printf "%.4f", t * 1000 / n }')"
	stop_redis "$PORT"
}

# rotate K WORD...: the words rotated left by K (the order of round K).
rotate() {
	local k=$1
	shift
	local w=("$@") n=$#
	local i
	for ((i = 0; i < n; i++)); do printf '%s ' "${w[(i + k) % n]}"; done
}

# --- build and generate -----------------------------------------------------

EST=$(estimate)
log "estimated duration on a quiet machine: $(minutes "$EST") (shapes: $SHAPES; extra: $EXTRA_SHAPES; $ROUNDS rounds)"
T_START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

log "building skysh, the bench helpers and a Go hello-world in $WORK"
(cd "$REPO" && go build -o "$SKYSH" ./cmd/skysh &&
	go build -o "$BIN/" ./bench/gen ./bench/timeit ./bench/savetime ./bench/rss ./bench/stall \
		./bench/roundtrip ./bench/replay)
mkdir -p "$WORK/hello"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n' >"$WORK/hello/main.go"
printf 'module hello\n\ngo %s\n' "$(sed -n 's/^go //p' "$REPO/go.mod")" >"$WORK/hello/go.mod"
(cd "$WORK/hello" && go build -o "$HELLO" .)

# gen_shape SHAPE: the shape's workload files in $WORK/SHAPE.
gen_shape() {
	local s=$1 dir=$WORK/$1 n v f w fmt pids=()
	n=$(shape_n "$s")
	v=$(shape_vsize "$s")
	mkdir -p "$dir"
	local files=("sets sky" "sets resp")
	if extra "$s"; then files+=("sets sql" "mixed sky" "mixed resp"); fi
	for f in "${files[@]}"; do
		read -r w fmt <<<"$f"
		"$BIN/gen" -workload "$w" -n "$n" -vsize "$v" -seed "$SEED" -format "$fmt" -o "$dir/$w.$fmt" &
		pids+=($!)
	done
	for f in "${pids[@]}"; do wait "$f" || die "bench/gen failed for $s"; done
}
t0=$(date +%s%N)
for S in $SHAPES; do
	log "generating $S: $(shape_label "$S") (seed $SEED)"
	gen_shape "$S"
done
awk -v n="$RT_CLI_N" 'BEGIN { for (i = 0; i < n; i++) print "SET c" i " v" }' >"$WORK/cli.txt"
log "generated in $((($(date +%s%N) - t0) / 1000000)) ms: $(du -sh "$WORK"/*/*.{sky,resp,sql} 2>/dev/null | awk '{ printf "%s %s  ", $2, $1 }')"

for S in $SHAPES; do
	if extra "$S"; then
		SN=$(shape_n "$S") G=$WORK/$S
		log "$S: a directory whose $SN writes are all in the journal (kill -9 before any save)"
		fill_journal
	fi
done

# --- the rounds ---------------------------------------------------------------

for ((round = 0; round < ROUNDS; round++)); do
	log "round $((round + 1))/$ROUNDS"
	for S in $SHAPES; do
		SN=$(shape_n "$S") G=$WORK/$S R=$WORK/round/$S
		rm -rf "$R"
		mkdir -p "$R"
		inserts=(skysh skysh_nojournal redis)
		extra "$S" && inserts+=(redis_aof sqlite)
		for s in $(rotate "$round" "${inserts[@]}"); do log "  $S insert $s"; sample "insert_$s"; done
		log "  $S memory after a piped insert, skysh"
		sample mem_insert_skysh
		for s in $(rotate "$round" skysh redis dd); do log "  $S save $s"; sample "save_$s"; done
		for s in $(rotate "$round" skysh redis); do log "  $S load $s"; sample "load_$s"; done
		for s in $(rotate "$round" skysh redis); do log "  $S memory after load $s"; sample "mem_load_$s"; done
		((round > 0)) || same_value
		if extra "$S"; then
			for s in $(rotate "$round" skysh_journal redis_aof); do log "  $S load $s"; sample "load_$s"; done
			for s in $(rotate "$round" skysh redis); do log "  $S mixed script $s"; sample "mixed_$s"; done
			for s in $(rotate "$round" bgsave nosave); do log "  $S stall $s ($STALL_DUR)"; sample stall_run "$s"; done
		fi
		stop_all_redis
		rm -rf "$R"
	done
	RT=$WORK/round/rt
	rm -rf "$RT"
	mkdir -p "$RT"
	log "  start-up"
	sample startup
	for s in $(rotate "$round" skysh skysh_fsyncno skysh_nojournal redis redis_aof); do
		log "  round trip $s ($RT_DUR)"
		sample "rt_$s"
	done
	log "  redis-cli, $RT_CLI_N SETs one at a time"
	sample rt_redis_cli
	stop_all_redis
done
rm -rf "$WORK/round"
T_END=$(date +%s)
log "writing the report"

# --- report -----------------------------------------------------------------

# stat3 < NUMBERS: "MEDIAN MIN MAX" ("nan nan nan" if none).
stat3() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (!NR) { print "nan nan nan"; exit }
		print ((NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR] }'
}
has() { [[ -n $1 && -s $RES/$1 ]]; }
med() { if has "$1"; then median <"$RES/$1"; else echo nan; fi; }
samples() { if has "$1"; then paste -sd' ' "$RES/$1"; else echo "—"; fi; }
# per_shape MEASURE UNIT [extra]: "SHAPE MEDIAN UNIT" for each shape of the
# run (with "extra": each extra shape), separated by commas.
per_shape() {
	local s out=""
	for s in $SHAPES; do
		if [[ ${3:-} == extra ]] && ! extra "$s"; then continue; fi
		out+="${out:+, }$s $(med "${s}_$1" | awk '$1 == "nan" { print; next } { printf(($1 >= 100) ? "%.0f" : "%.3g", $1) }')$2"
	done
	echo "${out:-—}"
}
# per_shape_samples MEASURE: "SHAPE: SAMPLES" for each extra shape.
per_shape_samples() {
	local s out=""
	for s in $SHAPES; do
		if extra "$s"; then out+="${out:+; }$s: $(samples "${s}_$1")"; fi
	done
	echo "${out:-—}"
}
# others MEASURE...: the most CPU others used during any of their samples.
others() {
	local m files=()
	for m in "$@"; do [[ -s $RES/cpu/$m ]] && files+=("$RES/cpu/$m"); done
	((${#files[@]})) || { echo nan; return; }
	cat "${files[@]}" | awk '{ print $1 }' | stat3 | awk '{ print $3 }'
}

# row LABEL SKY PEER_LABEL PEER UNIT TARGET CHECK NOTE
#   SKY, PEER: measures (PEER "" for none); UNIT: s, ms or mib;
#   CHECK: ratio<=X (the median of the per-round ratios), value<=X (the
#   median of SKY, in UNIT) or "" for no target; NOTE: its note's number.
#   Prints nothing when SKY was not measured in this run.
row() {
	local label=$1 sky=$2 pl=$3 peer=$4 unit=$5 target=$6 check=$7 note=$8
	has "$sky" || return 0
	local sv pv="" rs=""
	sv=$(stat3 <"$RES/$sky")
	has "$peer" || peer=""
	if [[ -n $peer ]]; then
		pv=$(stat3 <"$RES/$peer")
		rs=$(paste -d' ' "$RES/$sky" "$RES/$peer" | awk '$2 > 0 { print $1 / $2 }' | stat3)
	fi
	awk -v label="$label" -v sv="$sv" -v pv="$pv" -v rs="$rs" -v pl="$pl" -v unit="$unit" \
		-v target="$target" -v check="$check" -v note="$note" -v cpu="$(others "$sky" ${peer:+"$peer"})" '
	function show(v) {
		if (v == "nan") return "n/a"
		if (unit == "s") return (v >= 0.1) ? sprintf("%.2f s", v) : sprintf("%.1f ms", v * 1000)
		if (unit == "ms") return sprintf("%.3f ms", v)
		return sprintf("%.1f MiB", v)
	}
	BEGIN {
		split(sv, s, " "); split(pv, p, " "); split(rs, r, " ")
		ratio = "—"; met = ""
		if (rs != "" && r[1] != "nan") {
			ratio = sprintf("%.2f×", r[1])
			if (r[2] != r[3]) ratio = ratio sprintf(" (%.2f–%.2f)", r[2], r[3])
		}
		split(check, c, "<=")
		if (c[1] == "ratio" && rs != "" && r[1] != "nan") met = (r[1] <= c[2] + 0) ? "yes" : "**NO**"
		if (c[1] == "value") met = (s[1] <= c[2] + 0) ? "yes" : "**NO**"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label, show(s[1]),
			(pv == "") ? "—" : pl " " show(p[1]), ratio, (target == "") ? "—" : target, met,
			(cpu == "nan") ? "—" : cpu, note
	}'
}

# growth_row LABEL MEASURE PEER NOTE: how much the per-key cost of MEASURE
# (and, for comparison, PEER) grows from 1m32 to 10m32, per round.
growth_row() {
	local label=$1 m=$2 peer=$3 note=$4
	has "1m32_$m" && has "10m32_$m" && has "1m32_$peer" && has "10m32_$peer" || return 0
	local g gp
	g=$(paste -d' ' "$RES/1m32_$m" "$RES/10m32_$m" |
		awk -v a="$N" -v b="$N10" '$1 > 0 { print 100 * (($2 / b) / ($1 / a) - 1) }' | stat3)
	gp=$(paste -d' ' "$RES/1m32_$peer" "$RES/10m32_$peer" |
		awk -v a="$N" -v b="$N10" '$1 > 0 { print 100 * (($2 / b) / ($1 / a) - 1) }' | stat3)
	awk -v label="$label" -v g="$g" -v gp="$gp" -v note="$note" \
		-v cpu="$(others "1m32_$m" "10m32_$m" "1m32_$peer" "10m32_$peer")" '
	BEGIN {
		split(g, s, " "); split(gp, p, " ")
		v = sprintf("%+.0f %%", s[1])
		if (s[2] != s[3]) v = v sprintf(" (%+.0f … %+.0f)", s[2], s[3])
		printf "| %s | %s | Redis %+.0f %% | — | ≤ +10 %% | %s | %s | %s |\n", label, v, p[1],
			(s[1] <= 10) ? "yes" : "**NO**", cpu, note
	}'
}

insert_target() { case $1 in 1m1k) echo 0.5 ;; *) echo 0.35 ;; esac; }
load_target() { case $1 in 1m1k) echo 0.5 ;; *) echo 0.3 ;; esac; }
L1=$(count_label "$N")
L10=$(count_label "$N10")

model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
# shellcheck source=/dev/null
os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || echo unknown)
fs=$(findmnt -n -o FSTYPE,SOURCE --target "$WORK" 2>/dev/null | awk '{ print $1 " (" $2 ")" }' || true)
[[ -n $fs ]] || fs=$(stat -f -c %T "$WORK")
workloads="" extras=""
for S in $SHAPES; do
	workloads+="${workloads:+; }$S = $(shape_label "$S")"
	if extra "$S"; then extras+="${extras:+ }$S"; fi
done

cat <<EOF
# skysh vs redis-server and sqlite3: $ROUNDS round(s), medians of paired per-round ratios

- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); measuring took $(minutes $((T_END - T_START))) (estimated $(minutes "$EST") for a quiet machine)
- machine: $(nproc) CPU(s), ${model:-unknown CPU}, $(free -g | awk '/^Mem:/ { print $2 " GiB RAM" }'), $(uname -sr), $os
- load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)
- work directory: $WORK on $fs
- $("$SKYSH" --version), $(go version | cut -d' ' -f3-)
- $(redis-server --version | cut -d' ' -f1-3), redis-cli $(redis-cli --version | cut -d' ' -f2)
- sqlite3 $(sqlite3 --version | cut -d' ' -f1-2)
- shapes: $workloads; keys key:000000000… (13 B), random alphanumeric values, seed $SEED; extra measures on: ${extras:-none}

Ratios are skysh / peer, taken per round and then the median (range over the
rounds in brackets); "met" compares that median with the target. "others"
is the most CPU that processes outside this benchmark used, on average over
one sample, in CPUs (of $(nproc)), among the samples of the row: the
machine's busy time in /proc/stat (user, nice, system, irq, softirq) over
the sample, minus the CPU time of this script's own process tree (the
systems measured, the helpers, redis-cli, redis-server), divided by the
sample's wall time. A row with a high figure was measured on a busy machine.

## Targets (issue 9)

| measure | skysh | peer | ratio | target | met | others | note |
| --- | --- | --- | --- | --- | --- | --- | --- |
EOF
for S in $SHAPES; do
	t=$(insert_target "$S")
	row "insert $(shape_label "$S")" "${S}_insert_skysh" "redis-cli --pipe, no persistence" "${S}_insert_redis" s "≤ ${t}×" "ratio<=$t" 1
done
for S in $SHAPES; do
	extra "$S" || continue
	row "insert $(shape_label "$S")" "${S}_insert_skysh" "redis-cli --pipe, appendfsync always" "${S}_insert_redis_aof" s "≤ 0.25×" "ratio<=0.25" 2
done
growth_row "per-key cost $L1 → $L10 (32 B), insert" insert_skysh insert_redis 3
growth_row "per-key cost $L1 → $L10 (32 B), load" load_skysh load_redis 3
for S in $SHAPES; do
	t=$(load_target "$S")
	row "load $(shape_label "$S")" "${S}_load_skysh" "Redis RDB load (its log)" "${S}_load_redis" s "≤ ${t}×" "ratio<=$t" 4
done
row "one-at-a-time SET round trip, p50, skysh defaults (fsync always)" rt_skysh_p50 "Redis, no persistence" rt_redis_p50 ms "≤ 0.5×" "ratio<=0.5" 5
row "one-at-a-time SET round trip, p50, skysh \`--fsync no\`" rt_skysh_fsyncno_p50 "Redis, no persistence" rt_redis_p50 ms "(≤ 0.5×)" "ratio<=0.5" 5
row "one-at-a-time SET round trip, p50, skysh \`--nojournal\`" rt_skysh_nojournal_p50 "Redis, no persistence" rt_redis_p50 ms "(≤ 0.5×)" "ratio<=0.5" 5
for S in $SHAPES; do
	extra "$S" || continue
	row "mixed script $(count_label "$(shape_n "$S")") (GET / overwrite, 50/50), $(shape_label "$S") store" "${S}_mixed_skysh" "redis-cli --pipe, no persistence" "${S}_mixed_redis" s "" "" 6
done
for S in $SHAPES; do
	row "resident memory after a piped insert, $(shape_label "$S")" "${S}_mem_insert_skysh" "Redis used_memory_rss" "${S}_mem_insert_redis" mib "≤ 0.6×" "ratio<=0.6" 7
done
for S in $SHAPES; do
	row "resident memory after load, $(shape_label "$S")" "${S}_mem_load_skysh" "Redis used_memory_rss" "${S}_mem_load_redis" mib "≤ 0.6×" "ratio<=0.6" 7
done
for S in $SHAPES; do
	extra "$S" || continue
	l=$(shape_label "$S")
	row "p99.9 query during BGSAVE (-S 1), $l" "${S}_stall_p999_bgsave" "" "" ms "≤ 1 ms" "value<=1" 8
	row "p99.9 during BGSAVE against \`--nosave\`, $l" "${S}_stall_p999_bgsave" "--nosave p99.9" "${S}_stall_p999_nosave" ms "≤ 2×" "ratio<=2" 8
	row "longest query during BGSAVE (beside the p99.9), $l" "${S}_stall_max_bgsave" "--nosave" "${S}_stall_max_nosave" ms "" "" 8
done
row "start-up \`skysh -e HEYA\`, new empty directory" startup_new "Go hello-world" startup_hello s "≤ 1.5×" "ratio<=1.5" 9
row "start-up \`skysh -e HEYA\`, empty data.bin" startup_existing "Go hello-world" startup_hello s "≤ 1.5×" "ratio<=1.5" 9
for S in $SHAPES; do
	t="" c=""
	[[ $S == 10m32 ]] && t="≤ 1.3×" c="ratio<=1.3"
	row "save $(shape_label "$S")" "${S}_save_skysh" "dd $(med "${S}_dd_mib") MiB conv=fsync" "${S}_save_dd" s "$t" "$c" 10
done

cat <<EOF

## Other rows (issues 5 and 8, and what the journal costs)

| measure | skysh | peer | ratio | target | met | others | note |
| --- | --- | --- | --- | --- | --- | --- | --- |
EOF
for S in $SHAPES; do
	row "insert $(shape_label "$S"), skysh \`--nojournal\`" "${S}_insert_skysh_nojournal" "redis-cli --pipe, no persistence" "${S}_insert_redis" s "" "" 1
done
for S in $SHAPES; do
	extra "$S" || continue
	row "insert $(shape_label "$S") (skysh defaults)" "${S}_insert_skysh" "sqlite3, one transaction" "${S}_insert_sqlite" s "" "" 11
done
for S in $SHAPES; do
	row "save $(shape_label "$S")" "${S}_save_skysh" "Redis SAVE" "${S}_save_redis" s "≤ 0.5×" "ratio<=0.5" 10
done
for S in $SHAPES; do
	extra "$S" || continue
	row "load a journal of $(count_label "$(shape_n "$S")") writes (start → DBSIZE answered)" "${S}_load_skysh_journal" "Redis AOF load (its log)" "${S}_load_redis_aof" s "≤ 0.5×" "ratio<=0.5" 12
	row "load a journal, whole \`-e DBSIZE\` (final save incl.)" "${S}_load_skysh_journal_exit" "Redis AOF load (its log)" "${S}_load_redis_aof" s "" "" 12
done
row "one-at-a-time SET round trip, p50, skysh defaults" rt_skysh_p50 "Redis appendfsync always" rt_redis_aof_p50 ms "" "" 5

cpu_all=$(cat "$RES"/cpu/* | awk '{ print $1 }' | stat3)
steal_all=$(cat "$RES"/cpu/* | awk '{ print $2 }' | stat3)
cat <<EOF

Others' CPU over all samples: median $(cut -d' ' -f1 <<<"$cpu_all"), most $(cut -d' ' -f3 <<<"$cpu_all") CPUs;
time stolen by the hypervisor: median $(cut -d' ' -f1 <<<"$steal_all"), most $(cut -d' ' -f3 <<<"$steal_all") CPUs.

Notes (what each row measures, and what limits it):

1. **insert**: \`skysh -d NEWDIR < sets.sky > /dev/null\` with the defaults
   (journal on, \`--fsync always\`), process start to exit, the final save
   with its fsyncs included; against \`redis-cli --pipe\` of the same SETs
   into a new \`redis-server --save '' --appendonly no\`, timed through
   redis-cli (connect included). Both sides use both CPUs (skysh: a reader
   and a runner goroutine; Redis: redis-cli and the server), so CPU used by
   others slows either. skysh's figure also holds writing and fsyncing the
   journal and data.bin, so the disk bounds it from below. \`--nojournal\`
   shows what the journal costs.
2. **insert against Redis with AOF**: the same skysh figure against
   \`redis-cli --pipe\` into a new redis-server with \`--appendonly yes
   --appendfsync always --aof-use-rdb-preamble no
   --auto-aof-rewrite-percentage 0\` (checked with CONFIG GET, and that
   the AOF holds at least the bytes piped in: $(per_shape aof_mib " MiB" extra)).
   Redis's figure is bounded by its AOF writes and fsyncs (one per batch
   of commands it read), skysh's as in note 1.
3. **per-key cost growth**: per round, (time at $L10 / $L10) / (time at
   $L1 / $L1) − 1, for the 32-byte shapes. Redis's own growth in the same
   round is beside it: the part that ten times the memory costs any store on
   this machine (cache and TLB misses, page faults).
4. **load**: \`skysh -d DIR -e DBSIZE\` on the insert's directory, the whole
   process (start, read and check data.bin, answer, exit); against the
   "DB loaded from disk" seconds in Redis's log for its \`SAVE\`d dump.rdb,
   which leaves out its process start. Both files were just written and
   are read from the page cache: CPU and memory bound, not the disk.
   Redis from process start to PING answered (polled every 10 ms): $(per_shape load_redis_ping " s").
5. **one-at-a-time round trip**: bench/roundtrip sends \`SET k<i> v\` of a
   new key, waits for the answer, sends the next, for $RT_DUR: skysh as a
   coprocess through its pipes (\`--json\`, a new directory), Redis over
   one TCP connection to 127.0.0.1 (TCP_NODELAY, as redis-cli). The fair
   Redis peer for the target is a Redis without persistence, which
   acknowledges from memory: skysh with its default \`--fsync always\`
   waits for an fsync of the journal on every SET, so its p50 is the
   disk's fsync latency and cannot come near 0.5× a server that does not
   write at all; \`--fsync no\` (journal written, not fsynced) and
   \`--nojournal\` show the in-process path against the same peer, and
   Redis with \`appendfsync always\` is the like-for-like durable peer
   (other rows). Without the fsync the figure is bounded by two pipe
   wake-ups per query and by how soon the scheduler runs skysh on a CPU it
   shares with the client and with others. p99 (ms): skysh $(med rt_skysh_p99), \`--fsync no\` $(med rt_skysh_fsyncno_p99),
   \`--nojournal\` $(med rt_skysh_nojournal_p99), Redis $(med rt_redis_p99), Redis AOF $(med rt_redis_aof_p99).
   Mean (ms): skysh $(med rt_skysh_mean), \`--fsync no\` $(med rt_skysh_fsyncno_mean), \`--nojournal\`
   $(med rt_skysh_nojournal_mean), Redis $(med rt_redis_mean), Redis AOF $(med rt_redis_aof_mean); redis-cli
   itself, $RT_CLI_N SETs read from a pipe and sent one at a time (its
   process start included): $(med rt_redis_cli_mean) ms per SET, a check that
   the helper's client is no slower a peer than redis-cli. SETs per run:
   skysh $(samples rt_skysh_queries), Redis $(samples rt_redis_queries).
6. **mixed script**: as many queries as the store has keys, from bench/gen
   (seed $SEED), each a GET or an
   overwrite (even odds) of a random existing key; skysh gets \`USET\`
   (SET of an existing key fails in skysh), Redis \`SET\`. skysh (defaults)
   loads a copy of the store first; bench/rss times from the first line
   sent to the last answer read, so the load and the final save are not
   in it. Redis: \`redis-cli --pipe\` into the server that loaded the same
   keys. Both sides use both CPUs; skysh's overwrites are also journaled
   (an fsync per flush of answers), so the disk is under it as in note 1.
7. **resident memory**: after a piped insert, bench/rss pipes the SETs into
   skysh (defaults, a new directory), reads the answers, then DBSIZE, and
   reads VmRSS from /proc while skysh still runs, after a second idle (peak VmHWM: $(per_shape mem_insert_skysh_peak " MiB"));
   after load, the same on the insert's directory without a script
   (\`--nosave\`; peak $(per_shape mem_load_skysh_peak " MiB")). Redis:
   \`used_memory_rss\` from INFO a second after its insert, and after its RDB
   load. Both include what each allocator has not handed back.
8. **stall**: bench/stall, one query at a time through skysh's pipes (GETs
   of random keys, a USET every tenth so every BGSAVE writes), $STALL_DUR
   per run, with a BGSAVE every second (-S 1) and with \`--nosave\`, each
   run a sample of its own, their order alternating. On 2 vCPUs the query
   client, skysh and the save's encoder share two CPUs, so any other load
   shows in the tail; the \`--nosave\` run is this machine's floor. Saves
   seen per BGSAVE run: $(per_shape_samples stall_saves_bgsave); queries over 1 ms per
   BGSAVE run: $(per_shape_samples stall_over1ms_bgsave), per \`--nosave\` run:
   $(per_shape_samples stall_over1ms_nosave); p99 (ms) with BGSAVE $(per_shape stall_p99_bgsave "" extra),
   without $(per_shape stall_p99_nosave "" extra).
9. **start-up**: $STARTUPS start-ups per round of each: a Go hello-world
   built in this run with the same toolchain, \`skysh -e HEYA\` on a new
   empty directory, and again on that directory (an empty data.bin),
   interleaved; each from process start to exit (bench/timeit); the row
   uses the round's median of each. The hello-world is the floor of any Go
   program here (exec, runtime start); tens of samples of a few ms each
   make "others" coarse for this row.
10. **save**: bench/savetime times \`!save\` of the loaded store (encode,
   write, fsync, rename, fsync of the directory; \`--nosave\`, so no
   BGSAVE competes) from the line sent to its answer; against \`dd
   if=/dev/zero bs=1M conv=fsync\` of as many MiB as data.bin, the disk's
   own sequential write and fsync, and Redis \`SAVE\`. The disk limits it.
11. **sqlite3**: the same rows in one transaction
   (\`sqlite3 NEW.db < sets.sql\`); no target.
12. **journal load**: the state a kill -9 before the first save leaves
   (bench/replay -fill: SETs piped into \`skysh --nosave\`, SIGKILL once
   DBSIZE answered; data.bin empty, journal $(per_shape journal_mib " MiB" extra)); each sample on
   a fresh copy; bench/replay times start → DBSIZE answered, the whole
   \`-e DBSIZE\` also holds the final save. Redis: "DB loaded from append
   only file" in its log, for the AOF its appendfsync-always insert wrote.
   Both read from the page cache: CPU bound.

## Samples, in round order

Each sample with the CPU others used during it (CPUs on average).

| measure | samples | others |
| --- | --- | --- |
EOF
for f in "$RES"/*; do
	[[ -f $f ]] || continue
	m=${f##*/}
	printf '| %s | %s | %s |\n' "$m" "$(samples "$m")" \
		"$([[ -s $RES/cpu/$m ]] && awk '{ print $1 }' "$RES/cpu/$m" | paste -sd' ' || echo "—")"
done
