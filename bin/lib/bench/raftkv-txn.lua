-- wrk script: POST /txn "if key<N> exists, put a new 256 B value into it" (N uniform over 10,000 keys,
-- all written before): one compare, one put, one log entry.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("stats")
local value = string.rep("t", 256)
request = function()
  local key = "key" .. math.random(1, 10000)
  local body = '{"compare":[{"key":"' .. key .. '","exists":true}],"success":[{"op":"put","key":"' .. key
    .. '","value":"' .. value .. '"}]}'
  return wrk.format("POST", "/txn", { ["Content-Type"] = "application/json" }, body)
end
