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
work="$RAFTKV_HOME/target/bench/$target"
results="$RAFTKV_HOME/target/bench/$target-results.txt"

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

pids=()
cleanup() {
  if [ "$target" = raftkv ]; then
    for n in 1 2 3; do bin/raftkv-node --id=$n --data="$work/node-$n" --stop >/dev/null 2>&1 || true; done
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_raftkv() {
  local n peers
  for n in 1 2 3; do
    peers=$(for m in 1 2 3; do [ "$m" = "$n" ] || printf '%s@127.0.0.1:%s,' "$m" $((9189 + m)); done)
    bin/raftkv-node --id=$n --http=127.0.0.1:$((8179 + n)) --raft=127.0.0.1:$((9189 + n)) \
      --peers="${peers%,}" --peers-http="$(for m in 1 2 3; do [ "$m" = "$n" ] || printf '127.0.0.1:%s,' $((8179 + m)); done | sed 's/,$//')" \
      --data="$work/node-$n" --heap=1g &
  done
  wait
  local leader
  for _ in $(seq 1 60); do
    leader=$(curl -s http://127.0.0.1:8180/cluster | sed -n 's/.*"leader":\([0-9]*\).*/\1/p')
    [ -n "$leader" ] && break
    sleep 1
  done
  [ -n "$leader" ] || { echo "no leader" >&2; exit 1; }
  follower=$(( leader % 3 + 1 ))
  LEADER_URL="http://127.0.0.1:$((8179 + leader))"
  FOLLOWER_URL="http://127.0.0.1:$((8179 + follower))"
}

start_etcd() {
  command -v etcd >/dev/null || { echo "etcd is missing (apt-get install etcd-server)" >&2; exit 1; }
  local n cluster=""
  for n in 1 2 3; do cluster+="e$n=http://127.0.0.1:$((2280 + n)),"; done
  for n in 1 2 3; do
    etcd --name "e$n" --data-dir "$work/e$n" \
      --listen-client-urls "http://127.0.0.1:$((2370 + n))" --advertise-client-urls "http://127.0.0.1:$((2370 + n))" \
      --listen-peer-urls "http://127.0.0.1:$((2280 + n))" --initial-advertise-peer-urls "http://127.0.0.1:$((2280 + n))" \
      --initial-cluster "${cluster%,}" --initial-cluster-state new --log-level error >"$work/e$n.log" 2>&1 &
    pids+=($!)
  done
  local leader=""
  for _ in $(seq 1 60); do
    for n in 1 2 3; do
      if curl -s -X POST "http://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' | grep -q '"leader"'; then
        leader=$(curl -s -X POST "http://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' \
          | sed -n 's/.*"leader":"\([0-9]*\)".*"raftIndex.*/\1/p')
        local me
        me=$(curl -s -X POST "http://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' \
          | sed -n 's/.*"member_id":"\([0-9]*\)".*/\1/p')
        if [ -n "$leader" ] && [ "$leader" = "$me" ]; then LEADER_URL="http://127.0.0.1:$((2370 + n))"; fi
      fi
    done
    [ -n "${LEADER_URL:-}" ] && break
    sleep 1
  done
  [ -n "${LEADER_URL:-}" ] || { echo "etcd: no leader" >&2; exit 1; }
  for n in 1 2 3; do
    [ "http://127.0.0.1:$((2370 + n))" = "$LEADER_URL" ] || { FOLLOWER_URL="http://127.0.0.1:$((2370 + n))"; break; }
  done
}

# run_phase NAME URL SCRIPT [ENV=VALUE...]: warm-up, then the measured run whose summary is kept.
run_phase() {
  local name=$1 url=$2 script=$3
  shift 3
  echo "== $name: warm-up ${warmup}s"
  env "$@" wrk -t2 -c64 -d"${warmup}s" -s "$BENCH_LIB/$script" "$url" >/dev/null
  echo "== $name: measuring ${measure}s"
  local out
  out=$(env "$@" wrk -t2 -c64 -d"${measure}s" --latency -s "$BENCH_LIB/$script" "$url")
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  printf '%-28s %10s req/s   p50 %-9s p99 %-9s %s\n' "$target $name" "$rps" "$p50" "$p99" "$errors" | tee -a "$results"
}

rm -rf "$work"
mkdir -p "$work"
: >"$results"
if [ "$target" = raftkv ]; then
  start_raftkv
  run_phase "PUT (leader)" "$LEADER_URL" raftkv-put.lua
  run_phase "GET linearizable (leader)" "$LEADER_URL" raftkv-get.lua CONSISTENCY=linearizable
  run_phase "GET lease (leader)" "$LEADER_URL" raftkv-get.lua CONSISTENCY=lease
  run_phase "GET stale (follower)" "$FOLLOWER_URL" raftkv-get.lua CONSISTENCY=stale
  for n in 1 2 3; do
    pid=$(cat "$work/node-$n/pid")
    echo "node $n RSS: $(awk '/VmRSS/ {print $2 " " $3}' /proc/"$pid"/status)" | tee -a "$results"
  done
else
  start_etcd
  run_phase "PUT (leader)" "$LEADER_URL" etcd-put.lua
  run_phase "GET linearizable (leader)" "$LEADER_URL" etcd-get.lua
  run_phase "GET serializable (follower)" "$FOLLOWER_URL" etcd-get.lua SERIALIZABLE=true
fi
echo "results in $results"
