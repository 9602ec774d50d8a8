-- wrk script: GET /kv/key<N>?consistency=$CONSISTENCY (default linearizable), N uniform over 10,000 keys.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("stats")
local consistency = os.getenv("CONSISTENCY") or "linearizable"
request = function()
  return wrk.format("GET", "/kv/key" .. math.random(1, 10000) .. "?consistency=" .. consistency)
end
