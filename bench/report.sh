#!/usr/bin/env bash
# Turns the benchmark rows of bench/run.sh (provider, dataset, scenario, server, req/s, p50 ms, p99 ms, non-2xx, matches
# avg/min/none, load, CPU ms per request of the server, of PostgreSQL) into the Markdown report.
set -euo pipefail
results=$1
loadlog=${2:-/dev/null}
micro=${3:-/dev/null}

cat <<EOF2
# Benchmarks

Written by \`./pgo bench\` (bench/run.sh) on $(date -u +%Y-%m-%d). Never a timed test: these are measurements.
Other tables: [real time](benchmarks-realtime.md) (\`bench/realtime.sh\`), [team space](benchmarks-teamspace.md).

Load average when the report was written: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures move with it).
Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB memory,
the load generator (wrk) on the same machine as the servers (Release, Development profile, logging at Warning).
Command per row: \`wrk -t2 -c32 -d${PGO_BENCH_DURATION:-10s} --latency -s bench/wrk/<scenario>.lua\`, after an unrecorded
warm-up of ${PGO_BENCH_WARMUP:-3s}. PostgreSQL (fsync off, as infra/lib.sh starts it): \`VACUUM ANALYZE\` after the load.
Data: Pgo.Bench loads ${PGO_BENCH_PATIENTS:-1000} patients through the FHIR API, ${PGO_BENCH_PER_PATIENT:-100} resources each
(Patient, Observations, Goals, Tasks); the ceiling gets the same Bundles.

## Side by side (issue 22)

Servers, all on one database per provider, run one after another per scenario:
**api** (consent and audit on, system token), **off** (the same Api with \`Pgo:Benchmark:AccessOff\` and audit off),
**ceiling** (bench/Pgo.Bench.Ceiling: the same JSON in memory, no persistence, no access control: what fhir-candle is);
with a supporter's token over their 12 families: **api-person** (consent compiled from the cached facts),
**nocache-person** (\`Pgo:Benchmark:ScopeCacheOff\`: the facts looked up on every request, as before issue 22) and
**off-person** (the off Api, system token, the same 12 families).

Columns: *cpu ms/req* is the server process's utime+stime over the measured window divided by its requests (the
PostgreSQL processes apart, *db ms/req*); *× ceiling* is req/s against the ceiling's row; *× off* against the off row
(person rows: against off-person). Targets: api rows ≥ 1.0× ceiling, person rows ≥ 0.90× off (consent plus audit
≤ 10 %), every row p99 < 50 ms, no non-2xx, every search finds something. *Load* is the 1-minute load average after
the row: far above the 2 cores means other work competed for the CPU.

| provider | scenario | server | req/s | p50 ms | p99 ms | non-2xx | matches avg | min | none | load | cpu ms/req | db ms/req | × ceiling | × off | target met |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
EOF2
small=$(awk -F'\t' 'NR == 1 || $2 + 0 < m { m = $2 + 0 } END { print m }' "$results")
awk -F'\t' -v small="$small" '
  $2 + 0 == small { key = $1 SUBSEP $3; rps[key, $4] = $5; rows[++n] = $0 }
  END {
    for (i = 1; i <= n; i++) {
      split(rows[i], f, "\t")
      key = f[1] SUBSEP f[3]; server = f[4]
      ceil = rps[key, "ceiling"]; off = (server ~ /-person$/) ? rps[key, "off-person"] : rps[key, "off"]
      xc = (ceil + 0 > 0 && server != "ceiling") ? sprintf("%.2f", f[5] / ceil) : "-"
      xo = (off + 0 > 0 && server !~ /^off/ && server != "ceiling") ? sprintf("%.2f", f[5] / off) : "-"
      met = "-"
      if (server == "api" || server == "api-person") {
        miss = ""
        if (server == "api" && xc != "-" && xc + 0 < 1.0) miss = miss " ceiling"
        if (server == "api-person" && xo != "-" && xo + 0 < 0.90) miss = miss " consent"
        if (f[7] + 0 >= 50) miss = miss " p99"
        if (f[8] + 0 > 0) miss = miss " non-2xx"
        if (f[3] ~ /^search-/ && f[11] != "0") miss = miss " matches"
        met = (miss == "") ? "yes" : "no:" miss
      }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[3], server, f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14], xc, xo, met
    }
  }' "$results"

if grep -q '^postgres' "$results" && grep -q '^sqlite' "$results"; then
  cat <<EOF2

### PostgreSQL against SQLite (api rows, target: PostgreSQL ≥ 1/1.5 = 0.67× SQLite's req/s)

| scenario | server | SQLite req/s | PostgreSQL req/s | PostgreSQL / SQLite | met |
|---|---|---:|---:|---:|---|
EOF2
  awk -F'\t' -v small="$small" '
    $2 + 0 == small && ($4 == "api" || $4 == "api-person") { r[$1, $3, $4] = $5; if (!seen[$3, $4]++) order[++n] = $3 SUBSEP $4 }
    END { for (i = 1; i <= n; i++) { split(order[i], k, SUBSEP); s = r["sqlite", k[1], k[2]]; p = r["postgres", k[1], k[2]];
      if (s + 0 > 0 && p + 0 > 0) printf "| %s | %s | %s | %s | %.2f | %s |\n", k[1], k[2], s, p, p / s, (p / s >= 1 / 1.5) ? "yes" : "no" } }' "$results"
fi

if [ -s "$micro" ]; then
  echo
  echo "### Consent policy and audit in-process (Pgo.Bench access-micro: no HTTP, SQLite, interleaved rounds)"
  echo
  cat "$micro"
fi

if awk -F'\t' -v small="$small" '$2 + 0 > small { f = 1 } END { exit !f }' "$results"; then
  echo
  echo "### Large data set (api, system token) and search latency against the small one (p50 ratio, target ≤ 2)"
  echo
  echo "| provider | resources | scenario | req/s | p50 ms | p99 ms | non-2xx | matches avg | none | load | cpu ms/req | p50 ratio |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v small="$small" '
    $2 + 0 == small && $4 == "api" { p50[$1, $3] = $6 }
    $2 + 0 > small { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $5, $6, $7, $8, $9, $11, $12, $13, (p50[$1, $3] + 0 > 0) ? sprintf("%.2f", $6 / p50[$1, $3]) : "-" }
  ' "$results"
fi

echo
echo "### Loading (a tenth through HTTP transaction Bundles of ~100 PUTs, 4 in flight; the rest and the growth through \$import: bulk ingest, NDJSON of ~10,000 resources per request, 2 in flight)"
echo
echo '```'
grep -E '^(loaded|imported)' "$loadlog" || true
echo '```'
