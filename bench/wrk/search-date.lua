package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
function init() c.seed() end
request = function()
  -- one day out of the ~700 the data set spans, within one dossier (how the Portal asks)
  local p = c.patient()
  return wrk.format("GET", "/fhir/Observation?subject=Patient/bench-p" .. p .. "&date=ge2024-06-01&_count=20")
end
