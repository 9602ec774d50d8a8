-- wrk script: etcd v3 gateway txn "if key<N>'s version > 0 (it exists), put a new 256 B value into it":
-- the same transaction as raftkv-txn.lua.
package.path = package.path .. ";" .. (os.getenv("BENCH_LIB") or ".") .. "/?.lua"
require("base64")
require("stats")
local value = base64(string.rep("t", 256))
request = function()
  local key = base64("key" .. math.random(1, 10000))
  local body = '{"compare":[{"key":"' .. key .. '","target":"VERSION","result":"GREATER","version":"0"}],'
    .. '"success":[{"requestPut":{"key":"' .. key .. '","value":"' .. value .. '"}}]}'
  return wrk.format("POST", "/v3/kv/txn", { ["Content-Type"] = "application/json" }, body)
end
