-- wrk script: etcd v3 gateway range of key<N>; SERIALIZABLE=true for a local (stale-allowed) read.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("base64")
require("stats")
local serializable = os.getenv("SERIALIZABLE") == "true"
local keys = {}
for i = 1, 10000 do keys[i] = base64("key" .. i) end
request = function()
  local body = '{"key":"' .. keys[math.random(1, 10000)] .. '"' .. (serializable and ',"serializable":true' or '') .. '}'
  return wrk.format("POST", "/v3/kv/range", { ["Content-Type"] = "application/json" }, body)
end
