-- Shared by the wrk scripts: a per-thread random generator, the data set's size, the bearer token.
-- PGO_BENCH_PATIENTS / PGO_BENCH_PER_PATIENT must match what Pgo.Bench loaded; PGO_BENCH_TOKEN is the access token.
local M = {}
M.patients = tonumber(os.getenv("PGO_BENCH_PATIENTS") or "1000")
M.per_patient = tonumber(os.getenv("PGO_BENCH_PER_PATIENT") or "100")
M.families = { "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot" }
local token = os.getenv("PGO_BENCH_TOKEN")
if token and #token > 0 then wrk.headers["Authorization"] = "Bearer " .. token end
function M.patient() return math.random(0, M.patients - 1) end
function M.seed() math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
function M.observation_id(p)
  -- every resource k whose k % 10 is not 8 or 9 is an Observation
  local k
  repeat k = math.random(1, M.per_patient - 1) until (k % 10) < 8
  return "bench-p" .. p .. "-" .. k
end
-- wrk.format uses only the headers it is given: add the shared ones (Authorization) to a request's own.
function M.headers(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end
return M
