package.path = "bench/wrk/?.lua;" .. package.path
local c = require("common")
function init() c.seed() end
request = function()
  return wrk.format("GET", "/fhir/Observation/" .. c.observation_id(c.patient()))
end
