#!/usr/bin/env bash
# Boot-time benchmark (see bin/raftkv-bench): how long until raftkv serves.
#   boot.sh [rounds] [VAR=value ...]
# cluster: ROUNDS times `bin/raftkv-cluster --clean` (data in target/bench/boot, ports 8080-8082),
#   timed from its launch until every node answers GET /kv/... with the store's own JSON (200 or 404),
#   and until the script reports the leader; then SIGTERM to the script (it stops its nodes).
# restart: on a running cluster holding a key, ROUNDS times: stop a follower (SIGTERM), start it
#   again on its data with bin/raftkv-node, timed from the launch until GET of that key answers 200.
# Each VAR=value argument is a variant (e.g. RAFTKV_EARLY_START=false): rounds alternate between the
# default and each variant, which runs with that environment; each gets one uncounted start first
# (it may train a class-data-sharing archive). RAFTKV_BENCH_BOOT=cluster|restart runs one part only.
# Prints every round with the load average, then median/min/max per part and variant.
set -euo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$RAFTKV_HOME"
rounds=${1:-5}
shift || true
variants=("default" "$@")
parts=${RAFTKV_BENCH_BOOT:-cluster restart}
work="$RAFTKV_HOME/target/bench/boot"
results="$RAFTKV_HOME/target/bench/boot-results.txt"
key=boot-probe
cluster_pid=""

now_ms() { echo $(($(date +%s%N) / 1000000)); }
load() { cut -d' ' -f1 /proc/loadavg; }
url() { echo "http://127.0.0.1:$((8079 + $1))/kv/$key"; }

# store_answers N: true when node N answers GET /kv/KEY itself (200, or its JSON 404 on a fresh cluster).
store_answers() {
  local out
  out=$(curl -s -o /dev/null --max-time 1 -w '%{http_code} %{content_type}' "$(url "$1")" || true)
  [[ "$out" == 200* || "$out" == "404 application/json"* ]]
}

# with_variant V CMD...: runs CMD with variant V's environment assignment (none for "default").
with_variant() {
  local v=$1
  shift
  if [ "$v" = default ]; then "$@"; else env "$v" "$@"; fi
}

stop_cluster() {
  [ -n "$cluster_pid" ] || return 0
  kill -TERM "$cluster_pid" 2>/dev/null || true
  wait "$cluster_pid" 2>/dev/null || true
  cluster_pid=""
  local n
  for n in 1 2 3; do bin/raftkv-node --stop --data="$work/node-$n" >/dev/null 2>&1 || true; done
}
trap stop_cluster EXIT

# start_cluster V: bin/raftkv-cluster --clean; sets all (ms until every node served) and leader (ms
# until the script reported the leader).
start_cluster() {
  local v=$1 t0 served=() n i
  all="" leader=""
  t0=$(now_ms)
  # Not through with_variant: a backgrounded shell function is a subshell, and the SIGTERM of
  # stop_cluster would stop that subshell but leave bin/raftkv-cluster (and its flock fd) running.
  if [ "$v" = default ]; then
    bin/raftkv-cluster --clean --data="$work" >"$work/cluster.log" 2>&1 &
  else
    env "$v" bin/raftkv-cluster --clean --data="$work" >"$work/cluster.log" 2>&1 &
  fi
  cluster_pid=$!
  for ((i = 0; i < 2400; i++)); do
    [ -n "$all" ] && [ -n "$leader" ] && break
    kill -0 "$cluster_pid" 2>/dev/null || { echo "bin/raftkv-cluster exited; see $work/cluster.log" >&2; exit 1; }
    for n in 1 2 3; do
      [ -z "${served[$n]:-}" ] && store_answers "$n" && served[$n]=$(($(now_ms) - t0))
    done
    ((${#served[@]} == 3)) && [ -z "$all" ] && all=$(($(now_ms) - t0))
    [ -z "$leader" ] && grep -q 'leader is node' "$work/cluster.log" && leader=$(($(now_ms) - t0))
    sleep 0.05
  done
  [ -n "$all" ] && [ -n "$leader" ] || { echo "the cluster did not serve within 120 s; see $work/cluster.log" >&2; exit 1; }
}

leader_id() {
  curl -s --max-time 2 "http://127.0.0.1:8080/cluster" | sed -n 's/.*"leader":\([0-9][0-9]*\).*/\1/p'
}

# restart_follower V: stops a follower, starts it again with variant V; prints ms to its first 200.
restart_follower() {
  local v=$1 leader n peers="" m t0 launcher i ms=""
  leader=$(leader_id)
  [ -n "$leader" ] || { echo "no leader known" >&2; exit 1; }
  n=$((leader % 3 + 1))
  bin/raftkv-node --stop --data="$work/node-$n" >/dev/null
  for m in 1 2 3; do ((m == n)) || peers+="${peers:+,}127.0.0.1:$((9089 + m))"; done
  sleep 1
  t0=$(now_ms)
  with_variant "$v" bin/raftkv-node --id="$n" --http=":$((8079 + n))" --raft=":$((9089 + n))" --peers="$peers" \
    --data="$work/node-$n" --timeout=120 >/dev/null 2>>"$work/restart.log" &
  launcher=$!
  for ((i = 0; i < 2400; i++)); do
    [[ "$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$(url "$n")" || true)" == 200 ]] && { ms=$(($(now_ms) - t0)); break; }
    sleep 0.05
  done
  wait "$launcher" || { echo "node $n did not restart; see $work/node-$n/node.log" >&2; exit 1; }
  [ -n "$ms" ] || { echo "node $n did not answer 200 within 120 s" >&2; exit 1; }
  echo "$ms"
}

for p in 8080 8081 8082 9090 9091 9092; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use (a cluster running?)" >&2; exit 1; fi
done
mkdir -p "$work"
: >"$results"
echo "load|start|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
bin/raftkv-node --dry-run --id=1 >/dev/null # fails early on a broken script
for v in "${variants[@]}"; do
  echo "[$v] uncounted warm-up start (builds and trains what is missing)" >&2
  start_cluster "$v"
  stop_cluster
done
if [[ " $parts " == *" cluster "* ]]; then
  for ((r = 1; r <= rounds; r++)); do
    for v in "${variants[@]}"; do
      start_cluster "$v"
      stop_cluster
      echo "cluster|$v|$all|$(load)" >>"$results"
      printf '  [%s] cluster round %d: all serving %d ms, leader reported %d ms (load %s)\n' "$v" "$r" "$all" "$leader" "$(load)" >&2
    done
  done
fi
if [[ " $parts " == *" restart "* ]]; then
  start_cluster default
  curl -s -o /dev/null --max-time 10 -X PUT -H 'Content-Type: application/json' -d '{"value":"x"}' "$(url "$(leader_id)")"
  for ((r = 1; r <= rounds; r++)); do
    for v in "${variants[@]}"; do
      ms=$(restart_follower "$v")
      echo "restart|$v|$ms|$(load)" >>"$results"
      printf '  [%s] restart round %d: first 200 after %d ms (load %s)\n' "$v" "$r" "$ms" "$(load)" >&2
      sleep 2
    done
  done
  stop_cluster
fi
echo "load|end|$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
awk -F'|' '
  $1 == "load" { l[$2] = $3; next }
  { k = $1 "|" $2; n[k]++; v[k, n[k]] = $3; if (!(k in seen)) { seen[k] = 1; order[++keys] = k } }
  END {
    for (i = 1; i <= keys; i++) {
      k = order[i]; c = n[k]
      for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (v[k, b] < v[k, a]) { t = v[k, a]; v[k, a] = v[k, b]; v[k, b] = t }
      med = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
      split(k, p, "|")
      printf "%-8s %-32s median %.2f s  min %.2f s  max %.2f s  (%d rounds)\n", p[1], p[2], med / 1000, v[k, 1] / 1000, v[k, c] / 1000, c
    }
    printf "load average (1/5/15 min): %s -> %s\n", l["start"], l["end"]
  }' "$results"
echo "(rounds in $results)"
