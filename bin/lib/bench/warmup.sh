#!/usr/bin/env bash
# Warm-up benchmark (see bin/raftkv-bench): how fast a freshly started raftkv cluster reaches its warm
# PUT throughput. Starts 3 new nodes on loopback (empty data), then runs back-to-back wrk PUT windows
# against the leader (-t2 -c64, 256 B values over 10,000 keys, WINDOW s each) until TOTAL s after the
# nodes' processes were launched. Prints every window (seconds since launch, req/s, p99) and compares
# each with the warm throughput: the median of the last third of the windows.
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
BENCH_LIB="$RAFTKV_HOME/bin/lib/bench"
export BENCH_LIB
total=${1:-240}
window=${2:-10}
target=raftkv
work="$RAFTKV_HOME/target/bench/warmup"
results="$RAFTKV_HOME/target/bench/warmup-results.txt"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
# shellcheck source=clusters.sh
. "$BENCH_LIB/clusters.sh"
trap cleanup EXIT

# The build and its class-data-sharing archive are made first: the clock starts at the nodes' launch.
# shellcheck source=../raftkv-common.sh
. "$RAFTKV_HOME/bin/lib/raftkv-common.sh"
raftkv_ensure_built
raftkv_cds_options "${RAFTKV_JAVA:-java}" >/dev/null || true # (a training run exits 143: its SIGTERM)
rm -rf "$work"
mkdir -p "$work"
: >"$results"
echo "load|start|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
launched=$EPOCHREALTIME
echo "[warmup] starting 3 new nodes (load $(cut -d' ' -f1 /proc/loadavg))" >&2
# since_launch: seconds since the nodes were launched.
since_launch() { awk -v now="$EPOCHREALTIME" -v t0="$launched" 'BEGIN { printf "%.1f", now - t0 }'; }
start_raftkv
printf '  cluster serving %.1f s after launch\n' "$(since_launch)" >&2

while awk -v t="$(since_launch)" -v w="$window" -v T="$total" 'BEGIN { exit !(t + w <= T) }'; do
  out="$work/window.txt"
  wrk -t2 -c64 -d"${window}s" --latency -s "$BENCH_LIB/raftkv-put.lua" "$LEADER_URL" >"$out"
  stats=$(sed -n 's/^BENCHSTATS //p' "$out")
  [ -n "$stats" ] || { echo "wrk produced no figures:" >&2; cat "$out" >&2; exit 1; }
  rps=$(echo "$stats" | sed -n 's/.*rps=\([0-9.]*\).*/\1/p')
  p99=$(echo "$stats" | sed -n 's/.*p99=\([0-9]*\).*/\1/p')
  end=$(since_launch)
  echo "window|$end|$rps|$p99|$(cut -d' ' -f1 /proc/loadavg)" >>"$results"
  printf '  %6.1f s after launch: %8.1f PUT/s  p99 %6.1f ms  load %s\n' "$end" "$rps" "$(awk -v p="$p99" 'BEGIN { print p / 1000 }')" \
    "$(cut -d' ' -f1 /proc/loadavg)" >&2
done

awk -F'|' '$1 == "window" { t[++n] = $2; r[n] = $3 }
  END {
    if (n < 4) { print "too few windows for a warm figure" > "/dev/stderr"; exit 1 }
    k = int(n / 3); if (k < 3) k = 3  # the warm figure: the median of the last third of the windows
    for (i = 1; i <= k; i++) { w[i] = r[n - k + i] + 0 }
    for (i = 2; i <= k; i++) { v = w[i]; for (j = i - 1; j >= 1 && w[j] > v; j--) w[j + 1] = w[j]; w[j + 1] = v }
    warm = w[int((k + 1) / 2)]
    printf "\nwarm PUT throughput (median of the last %d windows): %.0f req/s\n", k, warm
    first = ""
    for (i = 1; i <= n; i++) {
      printf "  window ending %6.1f s: %5.1f%% of warm\n", t[i], 100 * r[i] / warm
      if (first == "" && r[i] >= 0.7 * warm) first = t[i]
    }
    if (first == "") print "never reached 70% of warm"; else printf "first window at >= 70%% of warm ended %.1f s after launch\n", first
  }' "$results"
