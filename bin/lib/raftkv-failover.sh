#!/usr/bin/env bash
# Measures boot and failover on a local 3-node cluster started with bin/raftkv-cluster --clean
# (HTTP 127.0.0.1:8080-8082): time to all three serving, then ROUNDS times: kill -9 the leader,
# time until a PUT through a survivor is acknowledged, restart the killed node with bin/raftkv-node
# (time to ready) and check that its return did not change the term. Prints one line per round and
# the median. Run it under the cluster lock: flock /tmp/raftkv-cluster.lock bin/lib/raftkv-failover.sh 10
set -uo pipefail
RAFTKV_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$RAFTKV_HOME"
rounds="${1:-10}"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
http() { echo "127.0.0.1:$((8079 + $1))"; }
serving() { [[ "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' --max-time 1 "http://$(http "$1")/kv/probe")" =~ ^(200|404)\ application/json ]]; }
field() { curl -s --max-time 2 "http://$(http "$1")/cluster" | sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p"; }
# The first answer of FIELD from any node that answers.
any_field() { local n v; for n in 1 2 3; do v=$(field "$n" "$1"); [ -n "$v" ] && { echo "$v"; return; }; done; }

start=$(now_ms)
setsid bin/raftkv-cluster --clean > /tmp/raftkv-failover-cluster.out 2>&1 &
cluster=$!
trap 'kill -TERM $cluster 2>/dev/null; wait $cluster 2>/dev/null' EXIT  # INT is ignored by a background job
trap 'exit 1' INT TERM
for ((i = 0; i < 1200; i++)); do
  serving 1 && serving 2 && serving 3 && break
  sleep 0.1
done
echo "bin/raftkv-cluster --clean -> all three serving /kv: $(( $(now_ms) - start )) ms"

times=()
for ((r = 1; r <= rounds; r++)); do
  leader=""
  for ((i = 0; i < 100 && ${#leader} == 0; i++)); do leader=$(any_field leader); [ -z "$leader" ] && sleep 0.1; done
  [ -n "$leader" ] || { echo "round $r: no leader"; continue; }
  survivors=(); for n in 1 2 3; do ((n == leader)) || survivors+=("$n"); done
  sleep 2 # a steady state before the fault
  term_before=$(field "${survivors[0]}" term)
  t0=$(now_ms)
  victim=$(cat "data/node-$leader/pid")
  kill -9 "$victim"
  acked=""
  for ((a = 0; a < 1000; a++)); do
    via=${survivors[$((a % 2))]}
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -X PUT -H 'Content-Type: application/json' \
      -d "{\"value\":\"r$r-$a\"}" "http://$(http "$via")/kv/failover-$r")
    if [ "$code" = 200 ]; then acked=$(( $(now_ms) - t0 )); break; fi
    sleep 0.02
  done
  new_leader=$(field "${survivors[0]}" leader); term_after=$(field "${survivors[0]}" term)
  peers=""; for m in 1 2 3; do ((m == leader)) || peers+="${peers:+,}127.0.0.1:$((9089 + m))"; done
  for ((i = 0; i < 100; i++)); do kill -0 "$victim" 2>/dev/null || break; sleep 0.1; done
  rs=$(now_ms)
  bin/raftkv-node --id="$leader" --http=":$((8079 + leader))" --raft=":$((9089 + leader))" --peers="$peers" \
    --data="data/node-$leader" --timeout=240 > "/tmp/raftkv-failover-restart-$leader.out" 2>&1 \
    || { echo "round $r: restart of node $leader failed:"; tail -n 5 "/tmp/raftkv-failover-restart-$leader.out"; }
  restart=$(( $(now_ms) - rs ))
  for ((i = 0; i < 100; i++)); do serving "$leader" && break; sleep 0.1; done
  sleep 3 # let it catch up; PreVote must keep it from disturbing the leader
  term_rejoined=$(field "$new_leader" term)
  echo "round $r: killed leader $leader (term $term_before) -> acknowledged write ${acked:-none} ms; new leader $new_leader term $term_after; restart to ready ${restart} ms; term 3 s after rejoin $term_rejoined"
  [ -n "$acked" ] && times+=("$acked")
done
if ((${#times[@]})); then
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "kill -9 leader -> first acknowledged write, ${#sorted[@]} rounds: median ${sorted[$(( ${#sorted[@]} / 2 ))]} ms, min ${sorted[0]} ms, max ${sorted[-1]} ms"
fi
