package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
c.track_matches()
function init() c.seed() end
request = function()
  local p = c.patient()
  local family = c.families[(p % 10) + 1]:gsub(" ", "%%20") .. p
  return wrk.format("GET", "/fhir/Patient?family=" .. family)
end
