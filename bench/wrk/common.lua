-- Shared by the wrk scripts: a per-thread random generator, the data set's rules (bench/Pgo.Bench/BenchData.cs),
-- the bearer token. PGO_BENCH_PATIENTS / PGO_BENCH_PER_PATIENT must match what Pgo.Bench loaded; PGO_BENCH_TOKEN is the access token.
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

-- Resource k of patient p is dated 2024-01-01 + ((p * 7 + k) % 700) days. The search window of patient p:
-- 40 days inside its own dates (k = 31..70; the first 40 days of the data set when that would wrap past
-- day 700), so that every patient has matches (~32 Observations, more than one page of 20).
local FIRST_DAY = 1704067200 -- 2024-01-01T00:00:00Z
local function day(d) return os.date("!%Y-%m-%d", FIRST_DAY + d * 86400) end
function M.search_window(p)
  local lo = (p * 7) % 700 + 31
  if lo + 39 >= 700 then lo = 0 end
  return day(lo), day(lo + 39)
end

-- Search scripts call M.track_matches(): every response's Bundle.total is counted, and the run ends with
--   matches: <searches> <average total> <smallest total> <searches without a match>
-- so that a fast but empty search cannot pass for a fast search (bench/run.sh reports it).
function M.track_matches()
  local threads = {}
  function setup(thread) table.insert(threads, thread) end
  searches, total_sum, total_min, empty = 0, 0, nil, 0
  function response(status, headers, body)
    local total = tonumber(body:match('"total":(%d+)') or "0")
    searches = searches + 1
    total_sum = total_sum + total
    if total_min == nil or total < total_min then total_min = total end
    if total == 0 then empty = empty + 1 end
  end
  function done(summary, latency, requests)
    local n, sum, min, zero = 0, 0, nil, 0
    for _, t in ipairs(threads) do
      n = n + t:get("searches")
      sum = sum + t:get("total_sum")
      local m = t:get("total_min")
      if m ~= nil and (min == nil or m < min) then min = m end
      zero = zero + t:get("empty")
    end
    io.write(string.format("matches: %d %.1f %d %d\n", n, n > 0 and sum / n or 0, min or 0, zero))
  end
end
return M
