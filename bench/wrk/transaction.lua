package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
function init() c.seed() end
request = function()
  local p = c.patient()
  local entries = {}
  for i = 1, 10 do
    entries[i] = '{"fullUrl":"urn:uuid:00000000-0000-4000-8000-' .. string.format("%012d", i) .. '",'
      .. '"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},'
      .. '"subject":{"reference":"Patient/bench-p' .. p .. '"},"effectiveDateTime":"2026-11-22","valueQuantity":{"value":' .. (30 + i) .. ',"unit":"kg"}},'
      .. '"request":{"method":"POST","url":"Observation"}}'
  end
  local body = '{"resourceType":"Bundle","type":"transaction","entry":[' .. table.concat(entries, ",") .. ']}'
  return wrk.format("POST", "/fhir", c.headers({ ["Content-Type"] = "application/fhir+json" }), body)
end
