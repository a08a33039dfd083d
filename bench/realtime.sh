#!/usr/bin/env bash
# Real-time benchmark: 1,000 SignalR clients over 100 dossiers, one writer committing changes; commit-to-receipt
# latency (p50, p99) and the delivery count, once with one Api instance and once with two instances sharing one
# database and one Redis (the SignalR backplane). Writes docs/benchmarks-realtime.md.
# Environment: PGO_BENCH_RT_CLIENTS (1000), PGO_BENCH_RT_DOSSIERS (100), PGO_BENCH_RT_CHANGES (500),
#   PGO_BENCH_RT_RATE (50 changes/s).
# Never part of ./pgo test: figures come from here, never from timed assertions.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet

CLIENTS=${PGO_BENCH_RT_CLIENTS:-1000}
DOSSIERS=${PGO_BENCH_RT_DOSSIERS:-100}
CHANGES=${PGO_BENCH_RT_CHANGES:-500}
RATE=${PGO_BENCH_RT_RATE:-50}
OUT="$ROOT/docs/benchmarks-realtime.md"

log "building Pgo.Api and bench/RealtimeBench (Release)"
dotnet build Api/Pgo.Api.csproj -c Release -v quiet -nologo 2>&1 | tail -n 2
dotnet build bench/RealtimeBench -c Release -v quiet -nologo 2>&1 | tail -n 2
BENCH=bench/RealtimeBench/bin/Release/net10.0/RealtimeBench.dll

WORK=$(mktemp -d /tmp/pgo-rt-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
stop_apis() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; PIDS=(); }
cleanup() { stop_apis; redis_stop "$WORK/redis"; rm -rf "$WORK"; }
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
REDIS_PORT=$(free_port)
redis_start "$WORK/redis" "$REDIS_PORT"

start_api() { # data-dir [redis]
  local port
  port=$(free_port)
  env ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$1" Pgo__LoadDemoData=false \
    Logging__LogLevel__Default=Warning SignalR__Redis="${2:-}" \
    Pgo__Identity__Authority=http://localhost:5300 Pgo__Identity__SigningKeys__0="$(cat "$WORK/key.pub.pem")" \
    dotnet Api/bin/Release/net10.0/Pgo.Api.dll --urls "http://127.0.0.1:$port" >"$WORK/api-$port.log" 2>&1 &
  PIDS+=($!)
  local i
  for i in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && { URLS+=("http://127.0.0.1:$port"); return 0; }
    sleep 0.5
  done
  cat "$WORK/api-$port.log" >&2
  die "Pgo.Api did not start"
}

ROWS="$WORK/rows.md"
: >"$ROWS"
STATUS=0

log "one instance (SignalR in process)"
URLS=()
start_api "$WORK/single"
dotnet "$BENCH" "one instance" "$(IFS=,; echo "${URLS[*]}")" "$WORK/key.pem" "$ROWS" "$CLIENTS" "$DOSSIERS" "$CHANGES" "$RATE" || STATUS=1
stop_apis

log "two instances, one database, Redis backplane"
URLS=()
start_api "$WORK/two" "127.0.0.1:$REDIS_PORT"
start_api "$WORK/two" "127.0.0.1:$REDIS_PORT"
dotnet "$BENCH" "two instances + Redis" "$(IFS=,; echo "${URLS[*]}")" "$WORK/key.pem" "$ROWS" "$CLIENTS" "$DOSSIERS" "$CHANGES" "$RATE" || STATUS=1
stop_apis

{
  echo "# Real-time benchmark: commit-to-receipt latency of the dossier hub"
  echo
  echo "Written by \`bench/realtime.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GB;"
  echo "Api in Release, SQLite (one file shared by both instances in the two-instance run), Redis $(redis-server --version | awk '{print $3}' | sed 's/v=//')."
  echo
  echo "$CLIENTS SignalR clients (WebSockets) over $DOSSIERS dossiers: each dossier's regiehouder has $((CLIENTS / DOSSIERS)) connections"
  echo "(with two instances, alternating between them). One writer updates a Goal per dossier in turn through the first"
  echo "instance, after a warm-up of one change per dossier (not counted). Latency: from the change's lastUpdated stamp (taken inside the write transaction, so it includes the"
  echo "commit) to arrival at the client, all on one machine and one clock. Delivered counts distinct (client, cursor)"
  echo "pairs and must equal expected (changes × connections per dossier); duplicates must be 0."
  echo
  echo "**The machine is shared**: other work (builds and tests of four other engineers) ran at the same time, and the"
  echo "1,000 clients, the writer and the Api instance(s) share the same 2 cores. The load column is the 1-minute"
  echo "load average before → after the run. Read the figures as an upper bound for this hardware, not a clean measurement."
  echo
  echo "| run | instances | clients | dossiers | changes | expected | delivered | duplicates | p50 ms | p99 ms | max ms | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "Target (issue 6): p99 under 50 ms on a 2-core machine, delivered = expected."
} >"$OUT"
log "wrote $OUT"
exit "$STATUS"
