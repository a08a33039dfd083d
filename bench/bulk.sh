#!/usr/bin/env bash
# bench/bulk.sh: bulk ingest through POST /fhir/$import (docs/adr/0015-bulk-import.md) on the Release builds, into an
# empty database per row: resources/s, the server's CPU seconds and the load average, per provider and size.
# Usage: bench/bulk.sh            (PGO_BULK_PROVIDERS, default "sqlite postgres"; PGO_BULK_SIZES, default "10000 100000";
#                                  PGO_BENCH_NO_BUILD=1 uses the Release builds there are; PGO_BENCH_TRACE=1 also takes a
#                                  dotnet-trace profile, dotnet-sampled-thread-time, of the Api while it imports the largest
#                                  size: its top methods are printed after the table, the trace kept as /tmp/pgo-bulk-<provider>.nettrace)
# The data: Pgo.Bench's synthetic dossiers (100 resources per patient), as NDJSON of ~10,000 resources per request, two (PGO_IMPORT_IN_FLIGHT) in
# flight, made before the clock starts. Consent and audit on, SQLite synchronous=FULL, PostgreSQL as infra/lib.sh starts it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet
BENCH="dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll"
if [ "${PGO_BENCH_NO_BUILD:-0}" != 1 ]; then
  for p in Api bench/Pgo.Bench; do dotnet build "$p" -c Release -v quiet -nologo 2>&1 | tail -n 2; done
fi
WORK=$(mktemp -d /tmp/pgo-bulk.XXXXXX)
chmod 755 "$WORK"
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null; pg_stop "$WORK/pg"; rm -rf "$WORK"; }
trap cleanup EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
export PGO_BENCH_TOKEN=$($BENCH token "$WORK/key.pem" - "system/*.cruds")
TICK=$(getconf CLK_TCK)
TRACE_TOOL=${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}
TRACES=()
trace_when_busy() { # pid provider: waits until the Api works (the NDJSON is made before the clock starts), then traces 20 s
  local before now
  before=$(awk '{print $14 + $15}' "/proc/$1/stat")
  while kill -0 "$1" 2>/dev/null; do
    sleep 0.5
    now=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 0
    [ $((now - before)) -gt $((TICK / 4)) ] && break
    before=$now
  done
  "$TRACE_TOOL" collect -p "$1" --profile dotnet-sampled-thread-time --duration 00:00:00:20 -o "/tmp/pgo-bulk-$2.nettrace" \
    >"$WORK/trace-$2.log" 2>&1 </dev/null || true
}

echo "| provider | resources | s | resources/s | server CPU s | load (1 min) |"
echo "|---|---|---|---|---|---|"
for provider in ${PGO_BULK_PROVIDERS:-sqlite postgres}; do
  for n in ${PGO_BULK_SIZES:-10000 100000}; do
    rm -rf "$WORK/data"; mkdir -p "$WORK/data"
    if [ "$provider" = postgres ]; then
      pg_stop "$WORK/pg"; port=$(free_port); pg_start "$WORK/pg" "$port" >&2
      cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=32"
    else
      cs="$WORK/data/fhir.db"
    fi
    url="http://127.0.0.1:$(free_port)"
    env ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$WORK/data" Pgo__LoadDemoData=false Pgo__LoadTerminology=false \
      ConnectionStrings__Fhir="$cs" Logging__LogLevel__Default=Warning \
      Pgo__Identity__Authority=http://localhost:5300 Pgo__Identity__SigningKeys__0="$(cat "$WORK/key.pub.pem")" \
      dotnet Api/bin/Release/net10.0/Pgo.Api.dll --urls "$url" >"$WORK/api.log" 2>&1 &
    API_PID=$!
    for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url/health" 2>/dev/null && break; sleep 0.5; done
    tracer=""
    if [ "${PGO_BENCH_TRACE:-0}" = 1 ] && [ "$n" = "$(echo ${PGO_BULK_SIZES:-10000 100000} | tr ' ' '\n' | sort -n | tail -n 1)" ]; then
      trace_when_busy "$API_PID" "$provider" & tracer=$!; TRACES+=("$provider")
    fi
    t0=$(awk '{print $14 + $15}' "/proc/$API_PID/stat")
    out=$($BENCH import "$url/fhir" $((n / 100)) 100 0 2>/dev/null)
    [ -n "$tracer" ] && { wait "$tracer" || true; }
    t1=$(awk '{print $14 + $15}' "/proc/$API_PID/stat")
    load1=$(cut -d' ' -f1 /proc/loadavg)
    secs=$(echo "$out" | sed -E 's/.* in ([0-9.,]+) s .*/\1/' | tr -d ,)
    rate=$(echo "$out" | sed -E 's/.*\(([0-9,]+)\/s\).*/\1/')
    cpu=$(awk -v t=$((t1 - t0)) -v hz="$TICK" 'BEGIN { printf "%.1f", t / hz }')
    echo "| $provider | $n | $secs | $rate | $cpu | $load1 |"
    kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; API_PID=""
  done
done
for provider in "${TRACES[@]}"; do
  trace="/tmp/pgo-bulk-$provider.nettrace"
  [ -f "$trace" ] || { echo "### profile $provider: no trace written"; tail -n 5 "$WORK/trace-$provider.log" 2>/dev/null; continue; }
  echo "### profile $provider: top methods, inclusive"
  "$TRACE_TOOL" report "$trace" topN -n 80 --inclusive 2>&1 | sed 's/^/    /' || true
  echo "### profile $provider: top methods, exclusive"
  "$TRACE_TOOL" report "$trace" topN -n 40 2>&1 | sed 's/^/    /' || true
done
