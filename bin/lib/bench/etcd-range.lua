-- wrk script: etcd v3 gateway range [key<D>, key<D+1>) with limit 1000 (linearizable): the same 1,000
-- of 1,111 keys as raftkv-range.lua's prefix read.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("base64")
require("stats")
local bodies = {}
for d = 1, 9 do
  local prefix = "key" .. d
  local range_end = "key" .. string.char(string.byte(tostring(d)) + 1) -- the prefix's successor ("key9" -> "key:")
  bodies[d] = '{"key":"' .. base64(prefix) .. '","range_end":"' .. base64(range_end) .. '","limit":1000}'
end
request = function()
  return wrk.format("POST", "/v3/kv/range", { ["Content-Type"] = "application/json" }, bodies[math.random(1, 9)])
end
