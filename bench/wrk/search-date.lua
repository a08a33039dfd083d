package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
c.track_matches()
function init() c.seed() end
request = function()
  -- a 40-day window of one dossier's Observations (how the Portal asks): ~32 matches, a full page plus a count
  local p = c.patient()
  local from, to = c.search_window(p)
  return wrk.format("GET", "/fhir/Observation?subject=Patient/bench-p" .. p .. "&date=ge" .. from .. "&date=le" .. to .. "&_count=20")
end
