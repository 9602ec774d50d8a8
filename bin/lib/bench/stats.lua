-- Shared wrk `done` hook: one machine-readable line with the figures the benchmark table needs
-- (wrk's own --latency output has no p99.9). Latencies are in microseconds.
require("auth") -- the bearer token of a RAFTKV_BENCH_TLS run (auth.lua)
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCHSTATS rps=%.1f p50=%d p99=%d p999=%d requests=%d non2xx=%d socketerr=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    summary.requests, non2xx, socket))
end
