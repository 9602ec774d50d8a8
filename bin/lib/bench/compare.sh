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
# RAFTKV_BENCH_TLS=true: both systems over TLS (raftkv --secure: HTTPS + a bearer token + peer mTLS;
# etcd: HTTPS + peer mTLS); results and table under the -tls names, so a plain run's stay.
tls=""
[ "${RAFTKV_BENCH_TLS:-false}" = true ] && tls="-tls" && echo "compare: TLS on (RAFTKV_BENCH_TLS=true)" >&2
bin/lib/bench/http-bench.sh etcd "$warmup" "$measure"
bin/lib/bench/http-bench.sh raftkv "$warmup" "$measure"
bin/lib/bench/compare-table.sh "$out/etcd$tls-results.txt" "$out/raftkv$tls-results.txt" "$warmup" "$measure" \
  | tee "$out/compare$tls-$(date -u +%Y%m%dT%H%MZ).md"
