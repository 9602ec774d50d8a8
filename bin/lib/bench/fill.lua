-- wrk script: writes every key key1..key10000 once (256-byte value), then stops, so the GET phases
-- read existing keys on both systems (etcd answers a missing key 200 + no kvs, raftkv 404).
-- SYSTEM=etcd|raftkv. Run with -t1 so one counter covers all keys.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("base64")
require("auth")
local etcd = os.getenv("SYSTEM") == "etcd"
local value = string.rep("v", 256)
local next_key, answered = 0, 0
request = function()
  next_key = next_key % 10000 + 1
  if etcd then
    local body = '{"key":"' .. base64("key" .. next_key) .. '","value":"' .. base64(value) .. '"}'
    return wrk.format("POST", "/v3/kv/put", { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("PUT", "/kv/key" .. next_key, { ["Content-Type"] = "application/json" }, '{"value":"' .. value .. '"}')
end
response = function(status)
  answered = answered + 1
  if answered >= 10000 then wrk.thread:stop() end
end
