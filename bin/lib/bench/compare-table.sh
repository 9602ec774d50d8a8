#!/usr/bin/env bash
# Prints the Markdown comparison table from two results files written by http-bench.sh.
#   compare-table.sh ETCD_RESULTS RAFTKV_RESULTS WARMUP MEASURE
set -euo pipefail
etcd=$1 raftkv=$2 warmup=$3 measure=$4
awk -F'|' -v warmup="$warmup" -v measure="$measure" '
  function ms(us) { return sprintf("%.1f", us / 1000) }
  function lat(s, k) { return ms(p50[s, k]) " / " ms(p99[s, k]) " / " ms(p999[s, k]) }
  function num(x) { return x == "" ? "—" : sprintf("%\047d", x) }
  function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "—" : sprintf("%.2f×", a / b) }
  $2 == "load" { load[$1, $3] = $4; next }
  $2 == "rss" { rss[$1] = rss[$1] (rss[$1] == "" ? "" : ", ") int($4 / 1024); next }
  $2 == "terms" { split($4, t, " "); terms[$1] = (t[2] - t[1]) " (term " t[1] " → " t[2] ")"; next }
  { rps[$1, $2] = $4; p50[$1, $2] = $5; p99[$1, $2] = $6; p999[$1, $2] = $7; non2xx[$1, $2] = $9; l1[$1, $2] = $11; cpu[$1, $2] = $12 }
  END {
    printf "wrk -t2 -c64, 256 B values over 10,000 keys, %ss warm-up + %ss measured per phase; latency p50 / p99 / p99.9 in ms\n\n", warmup, measure
    print "| load | etcd req/s | etcd latency | raftkv req/s | raftkv latency | ratio (req/s) | CPU µs per request, 3 nodes (etcd / raftkv) | load avg (etcd / raftkv) |"
    print "|---|---|---|---|---|---|---|---|"
    row("PUT to the leader", "put", "put")
    row("linearizable GET on the leader", "lin", "lin")
    row("lease GET on the leader (ratio vs etcd linearizable)", "lin", "lease")
    row("stale GET on a follower (etcd: serializable)", "stale", "stale")
    if (("raftkv", "range") in rps) row("range of 1,000 keys, linearizable (leader)", "range", "range")
    if (("raftkv", "txn") in rps) row("txn: compare + put (leader)", "txn", "txn")
    printf "| RSS per node after the run (MB) | %s | | %s | | | | |\n", rss["etcd"], rss["raftkv"]
    printf "| leader elections during the run (term changes) | %s | | %s | | | | |\n", terms["etcd"], terms["raftkv"]
    printf "\nload average (1/5/15 min): etcd run %s → %s; raftkv run %s → %s\n", load["etcd", "start"], load["etcd", "end"], load["raftkv", "start"], load["raftkv", "end"]
    for (k in non2xx) if (non2xx[k] > 0) { split(k, p, SUBSEP); printf "non-2xx answers (404 for never-written keys count as answers): %s %s %s\n", p[1], p[2], non2xx[k] }
  }
  function row(title, ek, rk,   er, rr) {
    er = rps["etcd", ek]; rr = rps["raftkv", rk]
    printf "| %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |\n", title, num(er), (er == "" ? "—" : lat("etcd", ek)), num(rr), (rr == "" ? "—" : lat("raftkv", rk)), ratio(rr, er), cpu["etcd", ek], cpu["raftkv", rk], l1["etcd", ek], l1["raftkv", rk]
  }
' "$etcd" "$raftkv"
