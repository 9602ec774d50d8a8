#!/usr/bin/env bash
# Runs the same HTTP load against a 3-member etcd and a 3-node raftkv on loopback, one system at a
# time (etcd first), then prints one table with both, the ratios (raftkv / etcd req/s), latency
# percentiles, RSS per node and the load average. See bin/raftkv-bench.
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
warmup=${1:-60}
measure=${2:-30}
out="$RAFTKV_HOME/target/bench"
mkdir -p "$out"

case "${RAFTKV_BENCH_PHASES:-kv}" in data) phases=4 ;; all) phases=11 ;; *) phases=7 ;; esac
total=$(( phases * (warmup + measure) ))
echo "compare: etcd then raftkv, ${warmup}s warm-up + ${measure}s measured per phase, $phases phases" \
  "(≈ $((total / 60)) min of load plus cluster starts); load average now: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
bin/lib/bench/http-bench.sh etcd "$warmup" "$measure"
bin/lib/bench/http-bench.sh raftkv "$warmup" "$measure"
bin/lib/bench/compare-table.sh "$out/etcd-results.txt" "$out/raftkv-results.txt" "$warmup" "$measure" \
  | tee "$out/compare-$(date -u +%Y%m%dT%H%MZ).md"
