# Starting and stopping the 3-node raftkv and etcd clusters on loopback for the benchmarks (sourced by
# http-bench.sh and failover.sh). Expects RAFTKV_HOME, target (raftkv|etcd) and work (data directory).

pids=()

# TLS runs (RAFTKV_BENCH_TLS=true, http-bench.sh calls make_bench_secure): BENCH_SECURE is the directory
# with the CA and the node certificates; raftkv nodes run --secure (HTTPS, tokens, peer mTLS), etcd
# members serve HTTPS on the client port and mutual TLS on the peer port; BENCH_AUTH is raftkv's token.
bench_scheme() { if [ -n "${BENCH_SECURE:-}" ]; then echo https; else echo http; fi; }
bench_curl() {
  curl -s ${BENCH_SECURE:+--cacert "$BENCH_SECURE/ca.pem"} ${BENCH_AUTH:+-H "Authorization: $BENCH_AUTH"} "$@"
}
make_bench_secure() {
  BENCH_SECURE="$work/secure"
  bin/lib/peer-certs.sh "$BENCH_SECURE" 1=127.0.0.1 2=127.0.0.1 3=127.0.0.1
  if [ "$target" = raftkv ]; then
    bin/lib/tokens.sh keygen "$BENCH_SECURE"
    BENCH_AUTH="Bearer $(bin/lib/tokens.sh issue --key="$BENCH_SECURE/token-signing.key" --sub=bench \
      --roles=read,write,admin --ttl=86400)"
    export BENCH_AUTH # wrk's scripts send it (auth.lua)
  fi
}
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
    --data="$work/node-$n" ${RAFTKV_BENCH_HEAP:+--heap=$RAFTKV_BENCH_HEAP} ${BENCH_SECURE:+--secure=$BENCH_SECURE} \
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
    leader=$(bench_curl "$(bench_scheme)://127.0.0.1:8180/cluster" | sed -n 's/.*"leader":\([0-9]*\).*/\1/p')
    [ -n "$leader" ] && break
    sleep 1
  done
  [ -n "$leader" ] || { echo "no leader" >&2; exit 1; }
  follower=$(( leader % 3 + 1 ))
  LEADER_URL="$(bench_scheme)://127.0.0.1:$((8179 + leader))"
  FOLLOWER_URL="$(bench_scheme)://127.0.0.1:$((8179 + follower))"
}

# start_etcd_member N: starts etcd member N in the background (a restarted member rejoins from its data);
# its pid goes to pids[N-1].
start_etcd_member() {
  local n=$1 m cluster="" s tls=()
  s=$(bench_scheme)
  for m in 1 2 3; do cluster+="e$m=$s://127.0.0.1:$((2280 + m)),"; done
  [ -n "${BENCH_SECURE:-}" ] && tls=(--cert-file "$BENCH_SECURE/node-$n.pem" --key-file "$BENCH_SECURE/node-$n.key"
    --peer-cert-file "$BENCH_SECURE/node-$n.pem" --peer-key-file "$BENCH_SECURE/node-$n.key"
    --peer-trusted-ca-file "$BENCH_SECURE/ca.pem" --peer-client-cert-auth)
  etcd --name "e$n" --data-dir "$work/e$n" ${tls[@]+"${tls[@]}"} \
    --listen-client-urls "$s://127.0.0.1:$((2370 + n))" --advertise-client-urls "$s://127.0.0.1:$((2370 + n))" \
    --listen-peer-urls "$s://127.0.0.1:$((2280 + n))" --initial-advertise-peer-urls "$s://127.0.0.1:$((2280 + n))" \
    --initial-cluster "${cluster%,}" --initial-cluster-state new --log-level error >>"$work/e$n.log" 2>&1 &
  pids[$((n - 1))]=$!
  disown "$!" # the failover benchmark kills members: no "Killed" job notices
}

start_etcd() {
  command -v etcd >/dev/null || { echo "etcd is missing (apt-get install etcd-server)" >&2; exit 1; }
  local n s
  s=$(bench_scheme)
  for n in 1 2 3; do start_etcd_member "$n"; done
  local leader=""
  for _ in $(seq 1 60); do
    for n in 1 2 3; do
      if bench_curl -X POST "$s://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' | grep -q '"leader"'; then
        leader=$(bench_curl -X POST "$s://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' \
          | sed -n 's/.*"leader":"\([0-9]*\)".*"raftIndex.*/\1/p')
        local me
        me=$(bench_curl -X POST "$s://127.0.0.1:$((2370 + n))/v3/maintenance/status" -d '{}' \
          | sed -n 's/.*"member_id":"\([0-9]*\)".*/\1/p')
        if [ -n "$leader" ] && [ "$leader" = "$me" ]; then LEADER_URL="$s://127.0.0.1:$((2370 + n))"; fi
      fi
    done
    [ -n "${LEADER_URL:-}" ] && break
    sleep 1
  done
  [ -n "${LEADER_URL:-}" ] || { echo "etcd: no leader" >&2; exit 1; }
  for n in 1 2 3; do
    [ "$s://127.0.0.1:$((2370 + n))" = "$LEADER_URL" ] || { FOLLOWER_URL="$s://127.0.0.1:$((2370 + n))"; break; }
  done
}

