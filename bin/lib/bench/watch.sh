#!/usr/bin/env bash
# Watch fan-out benchmark (see bin/raftkv-bench): a 3-node raftkv cluster on loopback, WATCHERS
# (default 100) /watch streams spread over the three nodes, WRITERS (default 4) clients PUTting 200 B
# values through the leader for SECONDS (default 30) after a WARMUP-second (default 30) run of the same
# load. Prints delivered events/s and the lag from PUT acknowledgement to event receipt (WatchFanout.java).
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
BENCH_LIB="$RAFTKV_HOME/bin/lib/bench"
warmup=${1:-30}
seconds=${2:-30}
watchers=${3:-100}
writers=${4:-4}
target=raftkv
work="$RAFTKV_HOME/target/bench/watch"
rm -rf "$work"
mkdir -p "$work"
# shellcheck source=clusters.sh
. "$BENCH_LIB/clusters.sh"
trap cleanup EXIT
[ -f target/raftkv.war ] || ./mvnw -B -q -o package -DskipTests
start_raftkv
nodes=(http://127.0.0.1:8180 http://127.0.0.1:8181 http://127.0.0.1:8182)
echo "warm-up: ${warmup}s" >&2
java "$BENCH_LIB/WatchFanout.java" "$LEADER_URL" "$warmup" "$watchers" "$writers" "${nodes[@]}" >/dev/null
echo "measured: ${seconds}s, $watchers watchers, $writers writers" >&2
java "$BENCH_LIB/WatchFanout.java" "$LEADER_URL" "$seconds" "$watchers" "$writers" "${nodes[@]}" \
  | tee "$RAFTKV_HOME/target/bench/watch-results.txt"
