-- wrk script: GET /kv?prefix=key<D>&limit=1000 (linearizable), D uniform over 1..9: each such prefix
-- holds 1,111 of the 10,000 keys (key1, key10-19, key100-199, key1000-1999), so every answer carries
-- 1,000 entries of 256 B values (~300 kB of JSON).
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("stats")
request = function()
  return wrk.format("GET", "/kv?prefix=key" .. math.random(1, 9) .. "&limit=1000")
end
