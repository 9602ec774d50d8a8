-- wrk script: PUT /kv/key<N> with a 256-byte value, N uniform over 10,000 keys.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("stats")
local value = string.rep("v", 256)
local body = '{"value":"' .. value .. '"}'
local headers = { ["Content-Type"] = "application/json" }
request = function()
  return wrk.format("PUT", "/kv/key" .. math.random(1, 10000), headers, body)
end
