-- wrk script: etcd v3 gateway put of key<N> (N over 10,000 keys) with a 256-byte value.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("base64")
require("stats")
local value = base64(string.rep("v", 256))
local keys = {}
for i = 1, 10000 do keys[i] = base64("key" .. i) end
request = function()
  local body = '{"key":"' .. keys[math.random(1, 10000)] .. '","value":"' .. value .. '"}'
  return wrk.format("POST", "/v3/kv/put", { ["Content-Type"] = "application/json" }, body)
end
