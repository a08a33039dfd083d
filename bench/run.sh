#!/usr/bin/env bash
# ./pgo bench: measures the FHIR API under load, side by side with its ceiling, and writes the report.
#   For each provider (SQLite, PostgreSQL), on one database, four servers run at once (only one is under load at a time):
#     api             Pgo.Api (Release) with consent and audit on
#     off             Pgo.Api with Pgo:Benchmark:AccessOff and Pgo:Audit:Enabled=false (Development only)
#     nocache         Pgo.Api with consent and audit on and Pgo:Benchmark:ScopeCacheOff (the consent facts looked up per request)
#     ceiling         bench/Pgo.Bench.Ceiling: the same resources in memory, no persistence, no access control (what fhir-candle is)
#   Every scenario (bench/wrk/*.lua) then runs on each, one after another (alternating, so that what else the machine
#   does falls on all of them alike): api, off and ceiling with a system token over every patient; api, nocache and off
#   with a supporter's token (a Person with grants on 12 families) over those 12 families (reads and searches).
#   Every row: req/s, p50, p99, non-2xx, matches (searches), the load average, and the server's CPU time per request
#   (utime+stime of the server process over the wrk window, from /proc/<pid>/stat; PostgreSQL's own processes apart).
#   With PGO_BENCH_LARGE > 1 the data set then grows tenfold (through $import) and the searches run again on api.
# Usage: bench/run.sh [--quick]   (--quick: 100 patients x 100 resources, 5 s rows, 2 s warm-up, no growth: ~10 min)
# Environment: PGO_BENCH_PATIENTS (default 1000) x PGO_BENCH_PER_PATIENT (default 100) resources,
#   PGO_BENCH_LARGE (default 10: the factor of the large data set; 1 skips it),
#   PGO_BENCH_DURATION (default 10s; each run follows an unrecorded warm-up of PGO_BENCH_WARMUP, default 3s),
#   PGO_BENCH_PROVIDERS (default "sqlite postgres"), PGO_BENCH_OUT (default docs/benchmarks.md), PGO_BENCH_MICRO=0 (no
#   access-micro), PGO_BENCH_NO_BUILD=1 (use the Release builds there are).
# Never part of ./pgo test: figures come from here, never from timed assertions.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet
apt_ensure wrk

if [ "${1:-}" = --quick ]; then
  export PGO_BENCH_PATIENTS=${PGO_BENCH_PATIENTS:-100} PGO_BENCH_DURATION=${PGO_BENCH_DURATION:-5s}
  export PGO_BENCH_WARMUP=${PGO_BENCH_WARMUP:-2s} PGO_BENCH_LARGE=${PGO_BENCH_LARGE:-1} PGO_BENCH_MICRO_OPS=${PGO_BENCH_MICRO_OPS:-300}
fi
export PGO_BENCH_PATIENTS=${PGO_BENCH_PATIENTS:-1000}
export PGO_BENCH_PER_PATIENT=${PGO_BENCH_PER_PATIENT:-100}
export PGO_BENCH_DURATION=${PGO_BENCH_DURATION:-10s} PGO_BENCH_WARMUP=${PGO_BENCH_WARMUP:-3s}
LARGE=${PGO_BENCH_LARGE:-10}
CASELOAD=12
PROVIDERS=${PGO_BENCH_PROVIDERS:-sqlite postgres}
OUT=${PGO_BENCH_OUT:-docs/benchmarks.md}
BENCH="dotnet bench/Pgo.Bench/bin/Release/net10.0/Pgo.Bench.dll"

if [ "${PGO_BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building (Release)"
  for p in Api bench/Pgo.Bench bench/Pgo.Bench.Ceiling; do dotnet build "$p" -c Release -v quiet -nologo 2>&1 | tail -n 2; done
fi

WORK=$(mktemp -d /tmp/pgo-bench.XXXXXX)
chmod 755 "$WORK"
declare -A PID URL
cleanup() {
  for k in "${!PID[@]}"; do kill "${PID[$k]}" 2>/dev/null || true; done
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
TICK=$(getconf CLK_TCK)

# Access tokens: the Api validates them with this key (Pgo:Identity:SigningKeys), no Identity needed.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
token() { $BENCH token "$WORK/key.pem" "$1" "$2"; }
SYSTEM_TOKEN=$(token - "system/*.cruds")
SUPPORTER_TOKEN=$(token Person/bench-supporter "openid fhirUser user/*.rs")
export PGO_BENCH_TOKEN=$SYSTEM_TOKEN

wait_up() { # name
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "${URL[$1]}/health" 2>/dev/null && return 0; sleep 0.5; done
  cat "$WORK/$1.log" >&2
  die "$1 did not start"
}

start_api() { # name connection-string mode(on|off|nocache)
  local name=$1 port off=false audit=true nocache=false
  port=$(free_port)
  URL[$name]="http://127.0.0.1:$port"
  case "$3" in off) off=true; audit=false ;; nocache) nocache=true ;; esac
  # env, not shell assignments: a variable name with a dot (Microsoft.AspNetCore) is no shell assignment.
  env ASPNETCORE_ENVIRONMENT=Development Pgo__DataDirectory="$WORK/data" Pgo__LoadDemoData=false \
    ConnectionStrings__Fhir="$2" Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    Pgo__Identity__Authority=http://localhost:5300 Pgo__Identity__SigningKeys__0="$(cat "$WORK/key.pub.pem")" \
    Pgo__Benchmark__AccessOff=$off Pgo__Audit__Enabled=$audit Pgo__Benchmark__ScopeCacheOff=$nocache \
    dotnet Api/bin/Release/net10.0/Pgo.Api.dll --urls "${URL[$name]}" >"$WORK/$name.log" 2>&1 &
  PID[$name]=$!
  wait_up "$name"
}

start_ceiling() {
  local port
  port=$(free_port)
  URL[ceiling]="http://127.0.0.1:$port"
  dotnet bench/Pgo.Bench.Ceiling/bin/Release/net10.0/Pgo.Bench.Ceiling.dll --urls "${URL[ceiling]}" >"$WORK/ceiling.log" 2>&1 &
  PID[ceiling]=$!
  wait_up ceiling
}

stop() { # name
  kill "${PID[$1]}" 2>/dev/null || true; wait "${PID[$1]}" 2>/dev/null || true; unset "PID[$1]"
}

load() { # url first-patient count
  log "loading patients $2..$(($2 + $3 - 1)) x $PGO_BENCH_PER_PATIENT resources into $1"
  $BENCH load "$1/fhir" "$3" "$PGO_BENCH_PER_PATIENT" "$2" | tee -a "$WORK/load.log"
}

bulk_import() { # url first-patient count: the bulk path (POST /fhir/$import, NDJSON), "bulk ingest resources/s" in the report
  log "importing patients $2..$(($2 + $3 - 1)) x $PGO_BENCH_PER_PATIENT resources into $1 (\$import)"
  $BENCH import "$1/fhir" "$3" "$PGO_BENCH_PER_PATIENT" "$2" | sed "s/^imported/imported ($provider)/" | tee -a "$WORK/load.log"
}

vacuum() { [ "$1" = postgres ] && { log "VACUUM ANALYZE"; "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "VACUUM ANALYZE"; }; return 0; }

ticks() { # pid: utime+stime (clock ticks) of one process
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
pg_ticks() { # PostgreSQL's processes (the postmaster with its reaped children, and the live ones); 0 on SQLite. Approximate:
  # autovacuum and the idle instances' backends count too, and a child that exits before it is reaped drops out (then "-").
  [ -n "${PG_PORT:-}" ] && [ -f "$WORK/pg/data/postmaster.pid" ] || { echo 0; return; }
  local pm sum=0 c
  pm=$(head -n 1 "$WORK/pg/data/postmaster.pid")
  sum=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for c in $(pgrep -P "$pm"); do sum=$((sum + $(ticks "$c"))); done
  echo "$sum"
}

# run provider dataset scenario server [patients] [token]: one wrk run, one results row
run() {
  local provider=$1 dataset=$2 scenario=$3 server=$4 patients=${5:-$PGO_BENCH_PATIENTS} tok=${6:-$SYSTEM_TOKEN}
  local target=${server%%-*} # api-person -> api
  local out script="bench/wrk/$scenario.lua"
  [ "$target" = ceiling ] && tok=""
  # Unrecorded warm-up: the JIT's tiering and the caches settle before the measured run, not during it.
  PGO_BENCH_PATIENTS=$patients PGO_BENCH_TOKEN=$tok wrk -t2 -c32 -d"$PGO_BENCH_WARMUP" -s "$script" "${URL[$target]}" >/dev/null 2>&1 || true
  local t0 d0 t1 d1
  t0=$(ticks "${PID[$target]}"); d0=$(pg_ticks)
  out=$(PGO_BENCH_PATIENTS=$patients PGO_BENCH_TOKEN=$tok wrk -t2 -c32 -d"$PGO_BENCH_DURATION" --latency -s "$script" "${URL[$target]}" 2>&1)
  t1=$(ticks "${PID[$target]}"); d1=$(pg_ticks)
  echo "$out" >"$WORK/wrk-$provider-$dataset-$scenario-$server.txt"
  local rps p50 p99 errors avg min empty load1 requests cpu db
  rps=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $5}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  read -r avg min empty < <(echo "$out" | awk '$1=="matches:" {print $3, $4, $5; f=1} END {if (!f) print "- - -"}')
  # The 1-minute load average after the run: on a shared machine, how much else was running.
  load1=$(cut -d' ' -f1 /proc/loadavg)
  cpu=$(awk -v t=$((t1 - t0)) -v n="${requests:-0}" -v hz="$TICK" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "-" }')
  db=$(awk -v t=$((d1 - d0)) -v n="${requests:-0}" -v hz="$TICK" -v pg="$provider" 'BEGIN { if (pg != "postgres" || t < 0) print "-"; else if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "-" }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$provider" "$dataset" "$scenario" "$server" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${errors:-0}" "$avg" "$min" "$empty" "$load1" "$cpu" "$db" >>"$RESULTS"
  log "$provider $dataset $scenario $server: $rps req/s, p50 $p50, p99 $p99, non-2xx ${errors:-0}, matches avg $avg min $min, empty $empty, load $load1, cpu $cpu ms/req (db $db)"
}

to_ms() { # wrk prints 812.00us, 1.23ms, 2.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

for provider in $PROVIDERS; do
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  PG_PORT=""
  if [ "$provider" = postgres ]; then
    PG_PORT=$(free_port)
    pg_start "$WORK/pg" "$PG_PORT"
    cs="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=64"
  else
    cs="$WORK/data/fhir.db"
  fi
  start_api api "$cs" on
  small=$((PGO_BENCH_PATIENTS * PGO_BENCH_PER_PATIENT))
  # A tenth through HTTP transaction Bundles (the comparison row), the rest through $import.
  http_patients=$(( PGO_BENCH_PATIENTS / 10 > 0 ? PGO_BENCH_PATIENTS / 10 : 1 ))
  load "${URL[api]}" 0 "$http_patients"
  if [ "$PGO_BENCH_PATIENTS" -gt "$http_patients" ]; then bulk_import "${URL[api]}" "$http_patients" $((PGO_BENCH_PATIENTS - http_patients)); fi
  $BENCH grants "${URL[api]}/fhir" "$CASELOAD" | tee -a "$WORK/load.log"
  vacuum "$provider"
  start_api off "$cs" off
  start_api nocache "$cs" nocache
  start_ceiling
  load "${URL[ceiling]}" 0 "$PGO_BENCH_PATIENTS" >/dev/null
  for s in read search-token search-string search-date create transaction; do
    for server in api off ceiling; do run "$provider" "$small" "$s" "$server"; done
    case "$s" in read|search-*)
      run "$provider" "$small" "$s" api-person "$CASELOAD" "$SUPPORTER_TOKEN"
      run "$provider" "$small" "$s" nocache-person "$CASELOAD" "$SUPPORTER_TOKEN"
      run "$provider" "$small" "$s" off-person "$CASELOAD" "$SYSTEM_TOKEN" ;;
    esac
  done
  stop off; stop nocache; stop ceiling
  if [ "$LARGE" -gt 1 ]; then
    # Grow the data set through $import on the running Api (same indexer and classification, audited as one event per request).
    log "growing to $((small * LARGE)) resources (\$import)"
    bulk_import "${URL[api]}" "$PGO_BENCH_PATIENTS" $((PGO_BENCH_PATIENTS * (LARGE - 1)))
    vacuum "$provider"
    for s in read search-token search-string search-date; do run "$provider" "$((small * LARGE))" "$s" api $((PGO_BENCH_PATIENTS * LARGE)); done
  fi
  stop api
  [ "$provider" = postgres ] && pg_stop "$WORK/pg"
done

if [ "${PGO_BENCH_MICRO:-1}" != 0 ]; then
  log "access-micro: consent policy and audit in-process"
  $BENCH access-micro "${PGO_BENCH_MICRO_OPS:-1000}" >"$WORK/access-micro.md" || true
fi
cp "$RESULTS" "${PGO_BENCH_KEEP:-/tmp/pgo-bench-results.tsv}"
bench/report.sh "$RESULTS" "$WORK/load.log" "$WORK/access-micro.md" >"$OUT"
log "results written to $OUT (rows kept in ${PGO_BENCH_KEEP:-/tmp/pgo-bench-results.tsv})"
