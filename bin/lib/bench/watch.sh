#!/usr/bin/env bash
# Watch fan-out benchmark (see bin/raftkv-bench), etcd and raftkv one after the other under the same load:
# a 3-node cluster on loopback, WATCHERS (default 100) watch streams on one prefix spread over the three
# nodes, WRITERS (default 8) clients writing 200 B values through the leader, together at most RATE
# writes/s (default 200; 0 = as fast as acknowledgements allow), for SECONDS (default 30) after a
# WARMUP-second (default 30) run of the same load. Measures delivered events/s and the latency from each
# write's send (a timestamp in the value) to its receipt by each watcher (WatchFanout.java), and prints
# one comparison table (also target/bench/watch-compare.md). SYSTEMS (default "etcd raftkv") picks which.
#   watch.sh [WARMUP] [SECONDS] [WATCHERS] [WRITERS] [RATE] [SYSTEMS]
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
BENCH_LIB="$RAFTKV_HOME/bin/lib/bench"
warmup=${1:-30}
seconds=${2:-30}
watchers=${3:-100}
writers=${4:-8}
rate=${5:-200}
systems=${6:-etcd raftkv}
results="$RAFTKV_HOME/target/bench/watch-results.txt"
mkdir -p "$RAFTKV_HOME/target/bench"
: >"$results"
# shellcheck source=clusters.sh
. "$BENCH_LIB/clusters.sh"

# fanout SYSTEM LEADER_URL NODE_URL...: the warm-up run, then the measured one (its RESULT line kept).
fanout() {
  local system=$1 leader=$2
  shift 2
  echo "[$system] warm-up: ${warmup}s" >&2
  java "$BENCH_LIB/WatchFanout.java" "$system" "$leader" "$warmup" "$watchers" "$writers" "$rate" "$@" >/dev/null
  echo "[$system] measured: ${seconds}s, $watchers watchers, $writers writers, rate $rate/s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  java "$BENCH_LIB/WatchFanout.java" "$system" "$leader" "$seconds" "$watchers" "$writers" "$rate" "$@" \
    >"$work/fanout.txt"
  grep -v '^RESULT|' "$work/fanout.txt" >&2
  grep '^RESULT|' "$work/fanout.txt" >>"$results"
}

for target in $systems; do
  work="$RAFTKV_HOME/target/bench/watch-$target"
  rm -rf "$work"
  mkdir -p "$work"
  (
    trap cleanup EXIT
    case "$target" in
      etcd)
        start_etcd
        fanout etcd "$LEADER_URL" http://127.0.0.1:2371 http://127.0.0.1:2372 http://127.0.0.1:2373 ;;
      raftkv)
        [ -f target/raftkv.war ] || ./mvnw -B -q -o package -DskipTests
        start_raftkv
        fanout raftkv "$LEADER_URL" http://127.0.0.1:8180 http://127.0.0.1:8181 http://127.0.0.1:8182 ;;
      *) echo "unknown system $target (etcd|raftkv)" >&2; exit 2 ;;
    esac
  )
done

# RESULT|system|watchers|writers|rate|seconds|puts|puts/s|events|events/s|p50|p99|max|missing|samples
awk -F'|' -v warmup="$warmup" '
  function num(x) { return x == "" ? "—" : sprintf("%\047d", x) }
  function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "—" : sprintf("%.2f×", a / b) }
  { for (i = 3; i <= 15; i++) v[$2, i] = $i; w = $3; n = $4; r = $5; s = $6 }
  END {
    printf "watch fan-out: %s watchers on one prefix over 3 nodes, %s writers through the leader, rate %s, 200 B values, %ss warm-up + %ss measured\n\n", w, n, (r == 0 ? "unlimited" : r "/s"), warmup, s
    print "| measured | etcd | raftkv | raftkv / etcd |"
    print "|---|---|---|---|"
    printf "| writes acknowledged /s | %s | %s | %s |\n", num(v["etcd", 8]), num(v["raftkv", 8]), ratio(v["raftkv", 8], v["etcd", 8])
    printf "| events delivered /s (all watchers) | %s | %s | %s |\n", num(v["etcd", 10]), num(v["raftkv", 10]), ratio(v["raftkv", 10], v["etcd", 10])
    printf "| latency write sent → event received, p50 (ms) | %s | %s | %s |\n", v["etcd", 11], v["raftkv", 11], ratio(v["raftkv", 11], v["etcd", 11])
    printf "| latency p99 (ms) | %s | %s | %s |\n", v["etcd", 12], v["raftkv", 12], ratio(v["raftkv", 12], v["etcd", 12])
    printf "| latency max (ms) | %s | %s | |\n", v["etcd", 13], v["raftkv", 13]
    printf "| acknowledged events not received (of writes × watchers) | %s | %s | |\n", num(v["etcd", 14]), num(v["raftkv", 14])
  }
' "$results" | tee "$RAFTKV_HOME/target/bench/watch-compare.md"
