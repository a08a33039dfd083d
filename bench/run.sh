#!/usr/bin/env bash
# ./pgo bench: measures the FHIR repository under load and writes docs/benchmarks.md.
#   For each provider (SQLite, PostgreSQL): starts Pgo.Api (Release) on loopback, loads a data set
#   through the FHIR API, runs wrk (2 threads, 32 connections, 10 s) per scenario, then grows the
#   data set tenfold and runs the searches again.
#   Then (PGO_BENCH_ACCESS=1, the default) the cost of consent enforcement plus audit: the same reads and searches
#   over a supporter's caseload (12 families) with a supporter's token (enforcement and audit on) and with a system
#   token against an Api started with Pgo:Benchmark:AccessOff and Pgo:Audit:Enabled=false (Development only).
# Environment: PGO_BENCH_PATIENTS (default 1000) x PGO_BENCH_PER_PATIENT (default 100) resources,
#   PGO_BENCH_LARGE (default 10: the factor of the large data set; 1 skips it),
#   PGO_BENCH_DURATION (default 10s; each run follows an unrecorded warm-up of PGO_BENCH_WARMUP, default 3s),
#   PGO_BENCH_PROVIDERS (default "sqlite postgres"), PGO_BENCH_ACCESS (1/0).
# Never part of ./pgo test: figures come from here, never from timed assertions.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet
apt_ensure wrk

export PGO_BENCH_PATIENTS=${PGO_BENCH_PATIENTS:-1000}
export PGO_BENCH_PER_PATIENT=${PGO_BENCH_PER_PATIENT:-100}
LARGE=${PGO_BENCH_LARGE:-10}
ACCESS=${PGO_BENCH_ACCESS:-1}
CASELOAD=12
DURATION=${PGO_BENCH_DURATION:-10s}
WARMUP=${PGO_BENCH_WARMUP:-3s}
PROVIDERS=${PGO_BENCH_PROVIDERS:-sqlite postgres}

log "building (Release)"
dotnet build Pgo.sln -c Release -v quiet -nologo 2>&1 | tail -n 3

WORK=$(mktemp -d /tmp/pgo-bench.XXXXXX)
chmod 755 "$WORK"
API_PID=""
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null || true
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# Access tokens: the Api validates them with this key (Pgo:Identity:SigningKeys), no Identity needed.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
token() { dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll token "$WORK/key.pem" "$1" "$2"; }
SYSTEM_TOKEN=$(token - "system/*.cruds")
SUPPORTER_TOKEN=$(token Person/bench-supporter "openid fhirUser user/*.rs")
export PGO_BENCH_TOKEN=$SYSTEM_TOKEN

start_api() { # connection-string [enforcement: on|off]
  local port
  port=$(free_port)
  API_URL="http://127.0.0.1:$port"
  local off=false audit=true
  if [ "${2:-on}" = off ]; then off=true; audit=false; fi
  # env, not shell assignments: a variable name with a dot (Microsoft.AspNetCore) is no shell assignment.
  env ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$WORK/data" Pgo__LoadDemoData=false \
    ConnectionStrings__Fhir="$1" Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    Pgo__Identity__Authority=http://localhost:5300 Pgo__Identity__SigningKeys__0="$(cat "$WORK/key.pub.pem")" \
    Pgo__Benchmark__AccessOff=$off Pgo__Audit__Enabled=$audit \
    dotnet Api/bin/Release/net10.0/Pgo.Api.dll --urls "$API_URL" >"$WORK/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$API_URL/health" 2>/dev/null && return 0; sleep 0.5; done
  cat "$WORK/api.log" >&2
  die "Pgo.Api did not start"
}

stop_api() { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; API_PID=""; }

load() { # provider first-patient count
  log "loading patients $2..$(($2 + $3 - 1)) x $PGO_BENCH_PER_PATIENT resources"
  dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll load "$API_URL/fhir" "$3" "$PGO_BENCH_PER_PATIENT" "$2" | tee -a "$WORK/load.log"
  if [ "$1" = postgres ]; then
    # After a bulk load, as any PostgreSQL operator would: autovacuum analyzes only once 10 % of a table has
    # changed since the last run, and until then the planner works from the statistics of a much smaller table.
    log "VACUUM ANALYZE"
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "VACUUM ANALYZE"
  fi
}

# run provider dataset scenario : one wrk run, one results row
#   (req/s, p50 ms, p99 ms, non-2xx count, searches: average Bundle.total, smallest total, searches without a match,
#   load average)
run() {
  local provider=$1 dataset=$2 scenario=$3
  local out
  local script="bench/wrk/${scenario#access-*:}.lua"
  # Unrecorded warm-up: the JIT's tiering and the caches settle before the measured run, not during it.
  wrk -t2 -c32 -d"$WARMUP" -s "$script" "$API_URL" >/dev/null 2>&1 || true
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -s "$script" "$API_URL" 2>&1)
  echo "$out" >"$WORK/wrk-$provider-$dataset-${scenario/:/-}.txt"
  local rps p50 p99 errors avg min empty load1
  rps=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $5}')
  read -r avg min empty < <(echo "$out" | awk '$1=="matches:" {print $3, $4, $5; f=1} END {if (!f) print "- - -"}')
  # The 1-minute load average after the run: on a shared machine, how much else was running.
  load1=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$provider" "$dataset" "$scenario" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${errors:-0}" "$avg" "$min" "$empty" "$load1" >>"$RESULTS"
  log "$provider $dataset $scenario: $rps req/s, p50 $p50, p99 $p99, non-2xx ${errors:-0}, matches avg $avg min $min, empty $empty, load $load1"
}

to_ms() { # wrk prints 812.00us, 1.23ms, 2.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

for provider in $PROVIDERS; do
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  if [ "$provider" = postgres ]; then
    PG_PORT=$(free_port)
    pg_start "$WORK/pg" "$PG_PORT"
    cs="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=64"
  else
    cs="$WORK/data/fhir.db"
  fi
  start_api "$cs"
  small=$((PGO_BENCH_PATIENTS * PGO_BENCH_PER_PATIENT))
  load "$provider" 0 "$PGO_BENCH_PATIENTS"
  for s in read search-token search-string search-date create transaction; do run "$provider" "$small" "$s"; done
  if [ "$ACCESS" != 0 ]; then
    # Enforcement + audit on (a supporter's token) against off (system token, Api with the benchmark switches).
    dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll grants "$API_URL/fhir" "$CASELOAD" | tee -a "$WORK/load.log"
    for s in read search-token search-date; do
      PGO_BENCH_PATIENTS=$CASELOAD PGO_BENCH_TOKEN=$SUPPORTER_TOKEN run "$provider" "$small" "access-on:$s"
    done
    stop_api
    start_api "$cs" off
    for s in read search-token search-date; do
      PGO_BENCH_PATIENTS=$CASELOAD PGO_BENCH_TOKEN=$SYSTEM_TOKEN run "$provider" "$small" "access-off:$s"
    done
    stop_api
    start_api "$cs"
  fi
  if [ "$LARGE" -gt 1 ]; then
    # Grow the data set straight through the repository (same indexer and SQL, no HTTP): loading
    # 900,000 resources over HTTP would take most of the benchmark's time. The Api is stopped meanwhile.
    stop_api
    log "growing to $((small * LARGE)) resources (direct load)"
    dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll load-direct "$cs" $((PGO_BENCH_PATIENTS * (LARGE - 1))) "$PGO_BENCH_PER_PATIENT" "$PGO_BENCH_PATIENTS" | tee -a "$WORK/load.log"
    if [ "$provider" = postgres ]; then log "VACUUM ANALYZE"; "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "VACUUM ANALYZE"; fi
    start_api "$cs"
    export PGO_BENCH_PATIENTS_SAVED=$PGO_BENCH_PATIENTS
    export PGO_BENCH_PATIENTS=$((PGO_BENCH_PATIENTS * LARGE))
    for s in read search-token search-string search-date; do run "$provider" "$((small * LARGE))" "$s"; done
    export PGO_BENCH_PATIENTS=$PGO_BENCH_PATIENTS_SAVED
  fi
  stop_api
  [ "$provider" = postgres ] && pg_stop "$WORK/pg"
done

if [ "$ACCESS" != 0 ]; then
  log "access-micro: consent policy and audit in-process"
  dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll access-micro "${PGO_BENCH_MICRO_OPS:-1000}" >"$WORK/access-micro.md"
fi
bench/report.sh "$RESULTS" "$WORK/load.log" "$WORK/access-micro.md" >docs/benchmarks.md
log "results written to docs/benchmarks.md"
