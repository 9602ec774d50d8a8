-- wrk script for the JVM warm-up of every node: a mix of what the measured phases send (PUT, and GET
-- at each consistency), so each node compiles the whole request path before anything is measured.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("stats")
local body = '{"value":"' .. string.rep("v", 256) .. '"}'
local headers = { ["Content-Type"] = "application/json" }
local consistencies = { "linearizable", "lease", "stale" }
request = function()
  local key = "/kv/key" .. math.random(1, 10000)
  if math.random(1, 4) == 1 then return wrk.format("PUT", key, headers, body) end
  return wrk.format("GET", key .. "?consistency=" .. consistencies[math.random(1, 3)])
end
