#!/usr/bin/env bash
# Failover benchmark (see bin/raftkv-bench): ROUNDS times, kill -9 the leader of a 3-node cluster on
# loopback while a client writes through the two survivors (failover-probe.py: each attempt to the next
# survivor, 1 s timeout, 20 ms apart), and time the kill to the first acknowledged write. The killed
# node is restarted and the cluster given a few seconds before the next round. etcd first, then raftkv
# (default settings, with the same client); prints every round, the median per system and the ratio.
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
BENCH_LIB="$RAFTKV_HOME/bin/lib/bench"
rounds=${1:-10}
results="$RAFTKV_HOME/target/bench/failover-results.txt"
# shellcheck source=clusters.sh
. "$BENCH_LIB/clusters.sh"
trap cleanup EXIT

raftkv_leader() {
  local n l
  for n in 1 2 3; do
    l=$(curl -s --max-time 1 "http://127.0.0.1:$((8179 + n))/cluster" | sed -n 's/.*"leader":\([0-9]*\).*/\1/p')
    [ -n "$l" ] && { echo "$l"; return; }
  done
}

etcd_leader() {
  local n status me leader
  for n in 1 2 3; do
    status=$(curl -s --max-time 1 -X POST "http://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}') || continue
    me=$(echo "$status" | sed -n 's/.*"member_id":"\([0-9]*\)".*/\1/p')
    leader=$(echo "$status" | sed -n 's/.*"leader":"\([0-9]*\)".*/\1/p')
    [ -n "$me" ] && [ "$me" = "$leader" ] && { echo "$n"; return; }
  done
}

# one_round: kills the leader, measures, restarts it; appends "target|round|ms" to $results.
one_round() {
  local round=$1 leader="" pid survivors=() n ms
  for _ in $(seq 1 100); do
    leader=$("${target}_leader")
    [ -n "$leader" ] && break
    sleep 0.2
  done
  [ -n "$leader" ] || { echo "[$target] no leader before round $round" >&2; exit 1; }
  for n in 1 2 3; do
    [ "$n" = "$leader" ] && continue
    if [ "$target" = raftkv ]; then survivors+=("127.0.0.1:$((8179 + n))"); else survivors+=("127.0.0.1:$((2370 + n))"); fi
  done
  if [ "$target" = raftkv ]; then pid=$(cat "$work/node-$leader/pid"); else pid=${pids[$((leader - 1))]}; fi
  ms=$(python3 "$BENCH_LIB/failover-probe.py" "$target" "$pid" "${survivors[@]}" || true)
  echo "$target|$round|$ms" >>"$results"
  printf '  [%s] round %d: kill -9 leader %s -> first acknowledged write %s ms (load %s)\n' \
    "$target" "$round" "$leader" "$ms" "$(cut -d' ' -f1 /proc/loadavg)" >&2
  if [ "$target" = raftkv ]; then start_node "$leader"; else start_etcd_member "$leader"; fi
  sleep 5 # the restarted node catches up; heartbeats settle
}

mkdir -p "$RAFTKV_HOME/target/bench"
: >"$results"
echo "load|start|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
for target in etcd raftkv; do
  work="$RAFTKV_HOME/target/bench/failover-$target"
  rm -rf "$work"
  mkdir -p "$work"
  echo "[$target] starting 3 nodes; $rounds leader kills" >&2
  "start_$target"
  sleep 5
  for r in $(seq 1 "$rounds"); do one_round "$r"; done
  cleanup
  pids=()
done
echo "load|end|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
# median_of TARGET: the median of that system's rounds (a round with no acknowledged write counts as 30000).
median_of() {
  local values
  values=$(awk -F'|' -v t="$1" '$1 == t { print ($3 == "none" || $3 == "" ? 30000 : $3) }' "$results" | sort -n)
  echo "$values" | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
  echo "$values" | tr '\n' ' ' >&2
}
for t in etcd raftkv; do
  printf '%-7s kill -9 leader -> first acknowledged write, rounds (ms, sorted): ' "$t" >&2
  m=$(median_of "$t")
  printf '\n%-7s median %s ms\n' "$t" "$m" >&2
  eval "median_$t=$m"
done
awk -v r="$median_raftkv" -v e="$median_etcd" 'BEGIN { if (e > 0) printf "raftkv / etcd median: %.2fx\n", r / e }' >&2
echo "(rounds in $results)"
