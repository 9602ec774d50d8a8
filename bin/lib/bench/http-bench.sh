#!/usr/bin/env bash
# HTTP load benchmark of a 3-node raftkv or etcd cluster on loopback with wrk (see bin/raftkv-bench).
# Every phase is preceded by a warm-up of the same load; wrk's latency distribution gives p50 and p99.
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
BENCH_LIB="$RAFTKV_HOME/bin/lib/bench"
export BENCH_LIB
target=${1:?raftkv|etcd}
warmup=${2:-60}
measure=${3:-30}
# RAFTKV_BENCH_TLS=true: the same phases over TLS (clusters.sh make_bench_secure), in target/bench/*-tls*.
tls_suffix=""
[ "${RAFTKV_BENCH_TLS:-false}" = true ] && tls_suffix="-tls"
work="$RAFTKV_HOME/target/bench/$target$tls_suffix"
results="$RAFTKV_HOME/target/bench/$target$tls_suffix-results.txt"

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

# shellcheck source=clusters.sh
. "$BENCH_LIB/clusters.sh"
trap cleanup EXIT

# wait_with_progress PID SECONDS LABEL: waits for PID, printing the seconds left every 5 s (stderr).
wait_with_progress() {
  local pid=$1 left=$2 label=$3
  while kill -0 "$pid" 2>/dev/null; do
    printf '\r  %-60s %4ss left ' "$label" "$left" >&2
    sleep 1
    left=$((left > 0 ? left - 1 : 0))
  done
  printf '\r%-80s\r' '' >&2
  wait "$pid"
}

# cpu_ticks: CPU time (user + system, in clock ticks) used so far by the three nodes ($NODE_PIDS).
cpu_ticks() {
  local p total=0 fields
  for p in $NODE_PIDS; do
    fields=$(sed 's/^.*) //' /proc/"$p"/stat) # after "(comm) ": field 3 is the state, 14/15 are utime/stime
    total=$((total + $(echo "$fields" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

phase_no=0
# run_phase KEY NAME URL SCRIPT [ENV=VALUE...]: warm-up, then the measured run; one line per phase in
# $results: "system|KEY|name|rps|p50us|p99us|p999us|requests|non2xx|socketerr|load1|cpuus".
# cpuus is the CPU time the three nodes used per request during the measured run, in microseconds: a
# figure that CPU contention from other processes changes much less than req/s (it still counts the
# scheduler's and caches' share, so compare it within one run).
run_phase() {
  local key=$1 name=$2 url=$3 script=$4
  shift 4
  phase_no=$((phase_no + 1))
  local tag="[$target $phase_no/$phases] $name"
  env "$@" wrk -t2 -c64 -d"${warmup}s" -s "$BENCH_LIB/$script" "$url" >/dev/null &
  wait_with_progress $! "$warmup" "$tag: warm-up"
  local out="$work/phase-$key.txt" cpu_before
  cpu_before=$(cpu_ticks)
  env "$@" wrk -t2 -c64 -d"${measure}s" --latency -s "$BENCH_LIB/$script" "$url" >"$out" &
  local wrk_pid=$!
  if [ -n "${RAFTKV_BENCH_JFR:-}" ] && [ -n "${LEADER_PID:-}" ]; then
    case "$key" in
      put) start_jfr "$LEADER_PID" leader-put ;;
      lin) start_jfr "$LEADER_PID" leader-lin ;;
      stale) start_jfr "$FOLLOWER_PID" follower-stale ;;
    esac
  fi
  wait_with_progress "$wrk_pid" "$measure" "$tag: measuring"
  local stats load1 cpu_used
  cpu_used=$(( $(cpu_ticks) - cpu_before ))
  stats=$(sed -n 's/^BENCHSTATS //p' "$out")
  load1=$(cut -d' ' -f1 /proc/loadavg)
  [ -n "$stats" ] || { echo "wrk produced no figures for $name:" >&2; cat "$out" >&2; exit 1; }
  local rps p50 p99 p999 requests non2xx socketerr
  eval "$(echo "$stats" | tr ' ' '\n' | sed 's/^/local /')"
  local cpu_us
  cpu_us=$(awk -v t="$cpu_used" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%d", (n > 0 ? t * 1e6 / hz / n : 0) }')
  echo "$target|$key|$name|$rps|$p50|$p99|$p999|$requests|$non2xx|$socketerr|$load1|$cpu_us" >>"$results"
  awk -v n="$target $name" -v r="$rps" -v a="$p50" -v b="$p99" -v c="$p999" -v e="$non2xx" -v l="$load1" -v u="$cpu_us" 'BEGIN {
    printf "  %-40s %9s req/s  p50 %6.1f ms  p99 %6.1f ms  p99.9 %6.1f ms  CPU %s us/req  non-2xx %s  load %s\n", n, r, a / 1000, b / 1000, c / 1000, u, e, l }' >&2
}

# start_jfr PID NAME: records a 30 s (or $measure s, if shorter) JFR profile of PID into $RAFTKV_BENCH_JFR/NAME.jfr.
start_jfr() {
  local secs=$((measure < 30 ? measure : 30))
  mkdir -p "$RAFTKV_BENCH_JFR"
  jcmd "$1" JFR.start name=bench settings=profile duration="${secs}s" \
    filename="$RAFTKV_BENCH_JFR/$2.jfr" >/dev/null 2>&1 || echo "  (JFR did not start)" >&2
}

# fill_keys URL: writes all 10,000 keys once (bounded by 120 s) so that no GET phase reads a missing key.
fill_keys() {
  echo "  [$target] writing all 10,000 keys once before the GET phases" >&2
  SYSTEM=$target wrk -t1 -c16 -d120s -s "$BENCH_LIB/fill.lua" "$1" >/dev/null
}

# warm_all_nodes: every node serves the mixed load for $warmup s at once before the first phase. A
# node's JIT only compiles what it has served: the follower, which serves nothing before the last
# (stale) phase, measured 3.4k req/s there after a 30 s warm-up and 16k req/s once warm.
warm_all_nodes() {
  local n wrks=()
  for n in 1 2 3; do
    wrk -t1 -c16 -d"${warmup}s" -s "$BENCH_LIB/raftkv-mixed.lua" "$(bench_scheme)://127.0.0.1:$((8179 + n))" >/dev/null &
    wrks+=($!)
  done
  for n in 0 1 2; do wait_with_progress "${wrks[$n]}" "$warmup" "[$target] warm-up of all nodes (mixed load)"; done
}

# current_term: the Raft term the cluster is in (asked of every node, highest answer): a leader
# change during the run shows as a term change.
current_term() {
  local n t best=0
  for n in 1 2 3; do
    if [ "$target" = raftkv ]; then
      t=$(bench_curl --max-time 2 "$(bench_scheme)://127.0.0.1:$((8179 + n))/cluster" | sed -n 's/.*"term":\([0-9]*\).*/\1/p')
    else
      t=$(bench_curl --max-time 2 -X POST "$(bench_scheme)://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' \
        | sed -n 's/.*"raftTerm":"\([0-9]*\)".*/\1/p')
    fi
    [ -n "$t" ] && [ "$t" -gt "$best" ] && best=$t
  done
  echo "$best"
}

record_rss() {
  local n=$1 pid=$2
  echo "$target|rss|node $n|$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)" >>"$results"
  [ "$target" = raftkv ] && [ -n "${RAFTKV_BENCH_INSPECT:-}" ] && inspect_memory "$n" "$pid"
  return 0
}

# inspect_memory N PID: where a node's memory is (RAFTKV_BENCH_INSPECT=DIR): its heap, the largest
# classes on it, and the JVM's native memory summary (when the node runs with
# -XX:NativeMemoryTracking=summary in RAFTKV_JAVA_OPTS).
inspect_memory() {
  local out="$RAFTKV_BENCH_INSPECT/node-$1.txt"
  mkdir -p "$RAFTKV_BENCH_INSPECT"
  { grep -E 'VmRSS|RssAnon|RssFile|Threads' /proc/"$2"/status
    jcmd "$2" GC.heap_info
    jcmd "$2" GC.class_histogram | head -30
    jcmd "$2" VM.native_memory summary
  } >"$out" 2>&1 || true
}

rm -rf "$work"
mkdir -p "$work"
[ -n "$tls_suffix" ] && make_bench_secure
: >"$results"
echo "$target|load|start|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
# RAFTKV_BENCH_PHASES: kv (default: PUT and the GETs), data (range of 1,000 keys and txn), or all.
case "${RAFTKV_BENCH_PHASES:-kv}" in
  kv) with_kv=true with_data=false kv_phases=1 data_phases=0 ;;
  data) with_kv=false with_data=true kv_phases=0 data_phases=1 ;;
  all) with_kv=true with_data=true kv_phases=1 data_phases=1 ;;
  *) echo "RAFTKV_BENCH_PHASES must be kv, data or all" >&2; exit 2 ;;
esac
if [ "$target" = raftkv ]; then
  phases=$(( 4 * kv_phases + 2 * data_phases ))
  echo "[$target] starting 3 nodes (heap: ${RAFTKV_BENCH_HEAP:-the node default})" >&2
  start_raftkv
  LEADER_PID=$(cat "$work/node-$leader/pid")
  FOLLOWER_PID=$(cat "$work/node-$follower/pid")
  NODE_PIDS="$(cat "$work"/node-{1,2,3}/pid | tr '\n' ' ')"
  fill_keys "$LEADER_URL"
  term_start=$(current_term)
  warm_all_nodes
  if [ "$with_kv" = true ]; then
    run_phase put "PUT (leader)" "$LEADER_URL" raftkv-put.lua
    run_phase lin "GET linearizable (leader)" "$LEADER_URL" raftkv-get.lua CONSISTENCY=linearizable
    run_phase lease "GET lease (leader)" "$LEADER_URL" raftkv-get.lua CONSISTENCY=lease
    run_phase stale "GET stale (follower)" "$FOLLOWER_URL" raftkv-get.lua CONSISTENCY=stale
  fi
  if [ "$with_data" = true ]; then
    run_phase range "range of 1,000 keys (leader)" "$LEADER_URL" raftkv-range.lua
    run_phase txn "txn compare+put (leader)" "$LEADER_URL" raftkv-txn.lua
  fi
  for n in 1 2 3; do record_rss "$n" "$(cat "$work/node-$n/pid")"; done
else
  phases=$(( 3 * kv_phases + 2 * data_phases ))
  echo "[$target] starting 3 members" >&2
  start_etcd
  NODE_PIDS="${pids[*]}"
  fill_keys "$LEADER_URL"
  term_start=$(current_term)
  if [ "$with_kv" = true ]; then
    run_phase put "PUT (leader)" "$LEADER_URL" etcd-put.lua
    run_phase lin "GET linearizable (leader)" "$LEADER_URL" etcd-get.lua
    run_phase stale "GET serializable (follower)" "$FOLLOWER_URL" etcd-get.lua SERIALIZABLE=true
  fi
  if [ "$with_data" = true ]; then
    run_phase range "range of 1,000 keys (leader)" "$LEADER_URL" etcd-range.lua
    run_phase txn "txn compare+put (leader)" "$LEADER_URL" etcd-txn.lua
  fi
  for n in 1 2 3; do record_rss "$n" "${pids[$((n - 1))]}"; done
fi
term_end=$(current_term)
echo "$target|terms|run|$term_start $term_end" >>"$results"
echo "[$target] Raft term $term_start before the first phase, $term_end after the last: $((term_end - term_start)) leader election(s) under load" >&2
echo "$target|load|end|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
echo "[$target] results in $results" >&2
