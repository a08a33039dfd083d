#!/usr/bin/env bash
# ./pgo bench: measures the FHIR repository under load and writes docs/benchmarks.md.
#   For each provider (SQLite, PostgreSQL): starts Pgo.Api (Release) on loopback, loads a data set
#   through the FHIR API, runs wrk (2 threads, 32 connections, 10 s) per scenario, then grows the
#   data set tenfold and runs the searches again.
# Environment: PGO_BENCH_PATIENTS (default 1000) x PGO_BENCH_PER_PATIENT (default 100) resources,
#   PGO_BENCH_LARGE (default 10: the factor of the large data set; 1 skips it),
#   PGO_BENCH_DURATION (default 10s), PGO_BENCH_PROVIDERS (default "sqlite postgres").
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
DURATION=${PGO_BENCH_DURATION:-10s}
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

start_api() { # connection-string
  local port
  port=$(free_port)
  API_URL="http://127.0.0.1:$port"
  ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$WORK/data" Pgo__LoadDemoData=false \
    ConnectionStrings__Fhir="$1" Logging__LogLevel__Default=Warning \
    dotnet Api/bin/Release/net10.0/Pgo.Api.dll --urls "$API_URL" >"$WORK/api.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$API_URL/health" 2>/dev/null && return 0; sleep 0.5; done
  cat "$WORK/api.log" >&2
  die "Pgo.Api did not start"
}

stop_api() { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; API_PID=""; }

load() { # first-patient count
  log "loading patients $1..$(($1 + $2 - 1)) x $PGO_BENCH_PER_PATIENT resources"
  dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll load "$API_URL/fhir" "$2" "$PGO_BENCH_PER_PATIENT" "$1" | tee -a "$WORK/load.log"
}

# run provider dataset scenario : one wrk run, one results row (req/s, p50 ms, p99 ms, non-2xx count)
run() {
  local provider=$1 dataset=$2 scenario=$3
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -s "bench/wrk/$scenario.lua" "$API_URL" 2>&1)
  echo "$out" >"$WORK/wrk-$provider-$dataset-$scenario.txt"
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $5}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$provider" "$dataset" "$scenario" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${errors:-0}" >>"$RESULTS"
  log "$provider $dataset $scenario: $rps req/s, p50 $p50, p99 $p99, non-2xx ${errors:-0}"
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
  load 0 "$PGO_BENCH_PATIENTS"
  for s in read search-token search-string search-date create transaction; do run "$provider" "$small" "$s"; done
  if [ "$LARGE" -gt 1 ]; then
    # Grow the data set straight through the repository (same indexer and SQL, no HTTP): loading
    # 900,000 resources over HTTP would take most of the benchmark's time. The Api is stopped meanwhile.
    stop_api
    log "growing to $((small * LARGE)) resources (direct load)"
    dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll load-direct "$cs" $((PGO_BENCH_PATIENTS * (LARGE - 1))) "$PGO_BENCH_PER_PATIENT" "$PGO_BENCH_PATIENTS" | tee -a "$WORK/load.log"
    start_api "$cs"
    export PGO_BENCH_PATIENTS_SAVED=$PGO_BENCH_PATIENTS
    export PGO_BENCH_PATIENTS=$((PGO_BENCH_PATIENTS * LARGE))
    for s in read search-token search-string search-date; do run "$provider" "$((small * LARGE))" "$s"; done
    export PGO_BENCH_PATIENTS=$PGO_BENCH_PATIENTS_SAVED
  fi
  stop_api
  [ "$provider" = postgres ] && pg_stop "$WORK/pg"
done

bench/report.sh "$RESULTS" "$WORK/load.log" >docs/benchmarks.md
log "results written to docs/benchmarks.md"
