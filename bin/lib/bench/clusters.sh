# Starting and stopping the 3-node raftkv and etcd clusters on loopback for the benchmarks (sourced by
# http-bench.sh and failover.sh). Expects RAFTKV_HOME, target (raftkv|etcd) and work (data directory).

pids=()
# cleanup: stops every node this script started (trap it on EXIT).
cleanup() {
  if [ "$target" = raftkv ]; then
    for n in 1 2 3; do bin/raftkv-node --id=$n --data="$work/node-$n" --stop >/dev/null 2>&1 || true; done
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# start_node N: starts raftkv node N in the background mode (returns once it is ready or failed).
start_node() {
  local n=$1 m peers="" peers_http=""
  for m in 1 2 3; do
    [ "$m" = "$n" ] && continue
    peers+="$m@127.0.0.1:$((9189 + m)),"
    peers_http+="127.0.0.1:$((8179 + m)),"
  done
  bin/raftkv-node --id="$n" --http=127.0.0.1:$((8179 + n)) --raft=127.0.0.1:$((9189 + n)) \
    --peers="${peers%,}" --peers-http="${peers_http%,}" \
    --data="$work/node-$n" ${RAFTKV_BENCH_HEAP:+--heap=$RAFTKV_BENCH_HEAP} \
    -Draftkv.read.lease="${RAFTKV_BENCH_LEASE:-true}" >/dev/null
}

start_raftkv() {
  local n starters=() failed=()
  for n in 1 2 3; do
    start_node "$n" &
    starters+=($!)
  done
  for n in 1 2 3; do wait "${starters[$((n - 1))]}" || failed+=("$n"); done
  # Payara Micro now and then fails to bring up its HTTP listener ("GrizzlyProxy is NULL"): one retry.
  for n in "${failed[@]}"; do
    echo "  node $n did not start; retrying once" >&2
    start_node "$n" || { echo "node $n failed twice; see $work/node-$n/node.log" >&2; exit 1; }
  done
  leader=""
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

# start_etcd_member N: starts etcd member N in the background (a restarted member rejoins from its data);
# its pid goes to pids[N-1].
start_etcd_member() {
  local n=$1 m cluster=""
  for m in 1 2 3; do cluster+="e$m=http://127.0.0.1:$((2280 + m)),"; done
  etcd --name "e$n" --data-dir "$work/e$n" \
    --listen-client-urls "http://127.0.0.1:$((2370 + n))" --advertise-client-urls "http://127.0.0.1:$((2370 + n))" \
    --listen-peer-urls "http://127.0.0.1:$((2280 + n))" --initial-advertise-peer-urls "http://127.0.0.1:$((2280 + n))" \
    --initial-cluster "${cluster%,}" --initial-cluster-state new --log-level error >>"$work/e$n.log" 2>&1 &
  pids[$((n - 1))]=$!
  disown "$!" # the failover benchmark kills members: no "Killed" job notices
}

start_etcd() {
  command -v etcd >/dev/null || { echo "etcd is missing (apt-get install etcd-server)" >&2; exit 1; }
  local n
  for n in 1 2 3; do start_etcd_member "$n"; done
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

