-- RAFTKV_BENCH_TLS=true (bin/raftkv-bench): every request a script formats carries BENCH_AUTH as its
-- Authorization header (the scripts pass their own header tables, which replace wrk's -H headers).
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  local format = wrk.format
  wrk.format = function(method, path, headers, body)
    headers = headers or {}
    headers["Authorization"] = auth
    return format(method, path, headers, body)
  end
end
