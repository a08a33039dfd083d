package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
c.track_matches()
function init() c.seed() end
request = function()
  return wrk.format("GET", "/fhir/Patient?identifier=urn:pgo:bench%7Cp" .. c.patient())
end
