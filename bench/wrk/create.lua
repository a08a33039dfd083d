package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
function init() c.seed() end
request = function()
  local body = '{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},'
    .. '"subject":{"reference":"Patient/bench-p' .. c.patient() .. '"},"effectiveDateTime":"2026-11-22","valueQuantity":{"value":72,"unit":"/min"}}'
  return wrk.format("POST", "/fhir/Observation", c.headers({ ["Content-Type"] = "application/fhir+json", ["Prefer"] = "return=minimal" }), body)
end
