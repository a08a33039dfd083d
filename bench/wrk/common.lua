-- Shared by the wrk scripts: a per-thread random generator and the data set's size.
-- PGO_BENCH_PATIENTS / PGO_BENCH_PER_PATIENT must match what Pgo.Bench loaded.
local M = {}
M.patients = tonumber(os.getenv("PGO_BENCH_PATIENTS") or "1000")
M.per_patient = tonumber(os.getenv("PGO_BENCH_PER_PATIENT") or "100")
M.families = { "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot" }
function M.patient() return math.random(0, M.patients - 1) end
function M.seed() math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
function M.observation_id(p)
  -- every resource k whose k % 10 is not 8 or 9 is an Observation
  local k
  repeat k = math.random(1, M.per_patient - 1) until (k % 10) < 8
  return "bench-p" .. p .. "-" .. k
end
return M
