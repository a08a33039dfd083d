#!/usr/bin/env bash
# bench/writes.sh: the write path (issue 22): create (POST Observation) and a 10-entry transaction, with wrk as in
# bench/run.sh (2 threads, 32 connections, consent and audit on, a system token), on SQLite (synchronous=FULL, the
# default) and PostgreSQL. With a second Api build it compares the two: both serve their own copy of the same data and
# run in turn, round after round (alternating, so that what else the machine does falls on both alike).
# Usage: bench/writes.sh [OTHER_BUILD_DIR]   (a directory holding another Release build's Pgo.Api.dll: "before")
# Environment: PGO_BENCH_PROVIDERS ("sqlite postgres"), PGO_BENCH_DURATION (10s), PGO_BENCH_ROUNDS (2),
#   PGO_BENCH_TRACE=1 (also a dotnet-trace profile, dotnet-sampled-thread-time, of each build under each scenario, its top
#   methods printed), PGO_BENCH_NO_BUILD=1.
#   PostgreSQL is infra/lib.sh's throw-away server (fsync and synchronous_commit off, like bench/run.sh): its figures
#   leave out the WAL flush a durable server adds to every commit.
# Prints one row per run; docs/benchmarks-writes.md is written by hand from them. Never part of ./pgo test.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet
apt_ensure wrk

OTHER=${1:-}
PROVIDERS=${PGO_BENCH_PROVIDERS:-sqlite postgres}
DURATION=${PGO_BENCH_DURATION:-10s}
ROUNDS=${PGO_BENCH_ROUNDS:-2}
export PGO_BENCH_PATIENTS=100 PGO_BENCH_PER_PATIENT=10
BENCH="dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll"
TRACE_TOOL=${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}

if [ "${PGO_BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building (Release)"
  for p in Api bench/Pgo.Bench; do dotnet build "$p" -c Release -v quiet -nologo 2>&1 | tail -n 2; done
fi

WORK=$(mktemp -d /tmp/pgo-writes.XXXXXX)
chmod 755 "$WORK"
declare -A PID URL
cleanup() {
  for k in "${!PID[@]}"; do kill "${PID[$k]}" 2>/dev/null || true; done
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT
TICK=$(getconf CLK_TCK)

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
export PGO_BENCH_TOKEN=$($BENCH token "$WORK/key.pem" - "system/*.cruds")

start_api() { # name dll connection-string
  local name=$1 port
  port=$(free_port)
  URL[$name]="http://127.0.0.1:$port"
  mkdir -p "$WORK/data-$name"
  env ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$WORK/data-$name" Pgo__LoadDemoData=false \
    ConnectionStrings__Fhir="$3" Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    Pgo__Identity__Authority=http://localhost:5300 Pgo__Identity__SigningKeys__0="$(cat "$WORK/key.pub.pem")" \
    dotnet "$2" --urls "${URL[$name]}" >"$WORK/$name.log" 2>&1 &
  PID[$name]=$!
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "${URL[$name]}/health" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -o /dev/null "${URL[$name]}/health" || { cat "$WORK/$name.log" >&2; die "$name did not start"; }
  $BENCH load "${URL[$name]}/fhir" "$PGO_BENCH_PATIENTS" "$PGO_BENCH_PER_PATIENT" 0 >/dev/null
}

stop_all() { for k in "${!PID[@]}"; do kill "${PID[$k]}" 2>/dev/null || true; wait "${PID[$k]}" 2>/dev/null || true; unset "PID[$k]"; done; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

run() { # provider scenario name
  local out t0 t1 rps p50 p99 errors requests cpu
  wrk -t2 -c32 -d3s -s "bench/wrk/$2.lua" "${URL[$3]}" >/dev/null 2>&1 || true
  t0=$(ticks "${PID[$3]}")
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -s "bench/wrk/$2.lua" "${URL[$3]}" 2>&1)
  t1=$(ticks "${PID[$3]}")
  rps=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $5}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu=$(awk -v t=$((t1 - t0)) -v n="${requests:-0}" -v hz="$TICK" 'BEGIN { if (n > 0) printf "%.2f", t * 1000 / hz / n; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$rps" "$p50" "$p99" "${errors:-0}" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}

profile() { # provider scenario name
  local trace="$WORK/$1-$2-$3.nettrace"
  wrk -t2 -c32 -d15s -s "bench/wrk/$2.lua" "${URL[$3]}" >/dev/null 2>&1 &
  local w=$!
  sleep 3
  "$TRACE_TOOL" collect -p "${PID[$3]}" --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o "$trace" >"$WORK/trace-$1-$2.log" 2>&1 </dev/null || cat "$WORK/trace-$1-$2.log" >&2
  wait "$w" || true
  [ -f "$trace" ] || { echo "### profile $1 $2: no trace written"; tail -n 5 "$WORK/trace-$1-$2.log"; return 0; }
  echo "### profile $1 $2 ($3): top methods, inclusive"
  "$TRACE_TOOL" report "$trace" topN -n 60 --inclusive 2>&1 | sed 's/^/    /' || true
  echo "### profile $1 $2 ($3): top methods, exclusive"
  "$TRACE_TOOL" report "$trace" topN -n 30 2>&1 | sed 's/^/    /' || true
  cp "$trace" "/tmp/pgo-writes-$1-$2-$3.nettrace" 2>/dev/null || true
}

echo "| store | scenario | build | req/s | p50 | p99 | non-2xx | Api CPU ms/req | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for provider in $PROVIDERS; do
  names=(after)
  [ -n "$OTHER" ] && names=(before after)
  for name in "${names[@]}"; do
    dll=Api/bin/Release/net10.0/Pgo.Api.dll
    [ "$name" = before ] && dll="$OTHER/Pgo.Api.dll"
    if [ "$provider" = postgres ]; then
      if [ -z "${PG_PORT:-}" ]; then
        PG_PORT=$(free_port)
        pg_start "$WORK/pg" "$PG_PORT"
      fi
      "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE w_$name" >/dev/null
      start_api "$name" "$dll" "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=w_$name"
    else
      start_api "$name" "$dll" "Data Source=$WORK/w_$name.db"
    fi
  done
  for round in $(seq 1 "$ROUNDS"); do
    for scenario in create transaction; do
      for name in "${names[@]}"; do run "$provider" "$scenario" "$name"; done
    done
  done
  if [ "${PGO_BENCH_TRACE:-0}" = 1 ]; then
    for scenario in create transaction; do for name in "${names[@]}"; do profile "$provider" "$scenario" "$name"; done; done
  fi
  stop_all
done
