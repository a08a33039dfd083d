#!/usr/bin/env bash
# bench/durability.sh: what the durable defaults of issue 14 cost (docs/adr/0002), written to docs/benchmarks-durability.md.
#   SQLite with Storage:Durability=full (the default: every commit fsync'd) against =normal (WAL without an fsync per
#   commit), each with the audit receipt (a read answers after its audit batch commits). Scenarios: read, create,
#   transaction, with wrk (2 threads, 32 connections) as in bench/run.sh. PostgreSQL's durability is its server's own.
# Environment: PGO_BENCH_PATIENTS (default 100) x PGO_BENCH_PER_PATIENT (default 100), PGO_BENCH_DURATION (default 10s).
# Never part of ./pgo test.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet
apt_ensure wrk

export PGO_BENCH_PATIENTS=${PGO_BENCH_PATIENTS:-100}
export PGO_BENCH_PER_PATIENT=${PGO_BENCH_PER_PATIENT:-100}
DURATION=${PGO_BENCH_DURATION:-10s}

log "building (Release)"
dotnet build Pgo.sln -c Release -v quiet -nologo 2>&1 | tail -n 3
WORK=$(mktemp -d /tmp/pgo-durability.XXXXXX)
API_PID=""
cleanup() { [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
export PGO_BENCH_TOKEN=$(dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll token "$WORK/key.pem" - "system/*.cruds")

rows="$WORK/rows.md"
for mode in full normal; do
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  port=$(free_port); url="http://127.0.0.1:$port"
  env ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$WORK/data" Pgo__LoadDemoData=false Storage__Durability=$mode \
    Logging__LogLevel__Default=Warning Pgo__Identity__Authority=http://localhost:5300 Pgo__Identity__SigningKeys__0="$(cat "$WORK/key.pub.pem")" \
    dotnet Api/bin/Release/net10.0/Pgo.Api.dll --urls "$url" >"$WORK/api-$mode.log" 2>&1 &
  API_PID=$!
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url/health" 2>/dev/null && break; sleep 0.5; done
  storage=$(curl -fsS "$url/health" | sed -n 's/.*"storage":"\([^"]*\)".*/\1/p')
  dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll load "$url/fhir" "$PGO_BENCH_PATIENTS" "$PGO_BENCH_PER_PATIENT" 0 >/dev/null
  for s in read create transaction; do
    wrk -t2 -c32 -d3s -s "bench/wrk/$s.lua" "$url" >/dev/null 2>&1 || true
    out=$(wrk -t2 -c32 -d"$DURATION" --latency -s "bench/wrk/$s.lua" "$url" 2>&1)
    rps=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$storage" "$s" "$rps" "$p50" "$p99" "$(cut -d' ' -f1 /proc/loadavg)" >>"$rows"
    log "$mode $s: $rps req/s, p50 $p50, p99 $p99"
  done
  kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; API_PID=""
done

cat >docs/benchmarks-durability.md <<DOC
# Benchmark: the cost of durable defaults (issue 14)

Written by \`bench/durability.sh\` on $(date -u +%Y-%m-%d). Never a timed test: these are measurements.
SQLite, $((PGO_BENCH_PATIENTS * PGO_BENCH_PER_PATIENT)) resources, \`wrk -t2 -c32 -d$DURATION --latency\` after a 3 s warm-up, on the same
2-core machine as Pgo.Api (load: the 1-minute load average after each run; far above 2 means other work competed).
Both modes answer a read only after its audit entry is committed (ADR 3); \`full\` (the default) fsyncs every commit,
audit batches included; \`normal\` is the explicit faster mode (ADR 2).

| storage | scenario | req/s | p50 | p99 | load |
|---|---|---:|---:|---:|---:|
$(cat "$rows")
DOC
log "written docs/benchmarks-durability.md"
