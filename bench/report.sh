#!/usr/bin/env bash
# Turns the benchmark rows (provider, dataset, scenario, req/s, p50 ms, p99 ms, non-2xx) into docs/benchmarks.md.
set -euo pipefail
results=$1
loadlog=${2:-/dev/null}
micro=${3:-/dev/null}

target() { # scenario -> minimum req/s
  case "$1" in
    read) echo 20000 ;; search-*) echo 8000 ;; create) echo 5000 ;; transaction) echo 2000 ;; *) echo 0 ;;
  esac
}

cat <<EOF
# Benchmarks

Written by \`./pgo bench\` (bench/run.sh) on $(date -u +%Y-%m-%d). Never a timed test: these are measurements.
Other tables: [real time](benchmarks-realtime.md) (\`bench/realtime.sh\`), [team space](benchmarks-teamspace.md).

Load average when the report was written: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures move with it).
Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB memory,
the load generator (wrk) on the same machine as Pgo.Api (Release, Development profile, logging at Warning).
Command per row: \`wrk -t2 -c32 -d${PGO_BENCH_DURATION:-10s} --latency -s bench/wrk/<scenario>.lua\`, after an unrecorded
warm-up of ${PGO_BENCH_WARMUP:-3s}. PostgreSQL: \`VACUUM ANALYZE\` after each load.
Data: Pgo.Bench loads patients through the FHIR API, ${PGO_BENCH_PER_PATIENT:-100} resources each (Patient, Observations, Goals, Tasks).

## FHIR repository (issue 2)

Targets: read ≥ 20,000 req/s, search ≥ 8,000 req/s, create ≥ 5,000 req/s (durable), transaction (10 entries)
≥ 2,000 bundles/s, p99 < 50 ms; search latency at 1M resources within 2× of 100k.

Matches: the average and smallest Bundle.total of the searches, and how many searches found nothing (a search
row only meets its target when every search found something).

Load: the machine's 1-minute load average after the run. It counts wrk's and Pgo.Api's own threads too, but a value
far above the number of cores means other work competed for the CPU: that row's figures are pessimistic.

| provider | resources | scenario | req/s | p50 ms | p99 ms | non-2xx | matches avg | min | no match | load | target req/s | met |
|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
EOF
while IFS=$'\t' read -r provider dataset scenario rps p50 p99 errors avg min empty load1; do
  case "$scenario" in access-*) continue ;; esac
  t=$(target "$scenario")
  met=$(awk -v r="$rps" -v t="$t" -v p="$p99" -v e="$errors" -v s="$scenario" -v z="${empty:--}" \
    'BEGIN { ok = r + 0 >= t && p + 0 < 50 && e + 0 == 0; if (s ~ /^search-/ && z != "0") ok = 0; print ok ? "yes" : "no" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$provider" "$dataset" "$scenario" "$rps" "$p50" "$p99" "$errors" "${avg:--}" "${min:--}" "${empty:--}" "${load1:--}" "$t" "$met"
done <"$results"

if grep -q $'\taccess-' "$results"; then
  cat <<EOF

## Consent enforcement and audit (issue 4)

The same reads and searches over one supporter's caseload (12 families): **on** with the supporter's token
(ConsentAccessPolicy compiles the grants per request, the predicate is in every query, every request is audited),
**off** with a system token against an Api started with the benchmark-only switches \`Pgo:Benchmark:AccessOff=true\`
and \`Pgo:Audit:Enabled=false\` (refused outside Development). Target: enforcement plus audit cost at most 15 % of throughput.

| provider | scenario | off req/s | on req/s | overhead | p99 off ms | p99 on ms | non-2xx on | met |
|---|---|---:|---:|---:|---:|---:|---:|---|
EOF
  awk -F'\t' '
    $3 ~ /^access-(on|off):/ { split($3, a, ":"); key = $1 "\t" a[2]; if (a[1] == "access-on") { on[key] = $4; p99on[key] = $6; err[key] = $7 } else { off[key] = $4; p99off[key] = $6 } }
    END { for (k in on) if (k in off) { split(k, b, "\t"); o = (off[k] > 0) ? (1 - on[k] / off[k]) * 100 : 0;
      if (off[k] + 0 == 0 || on[k] + 0 == 0) { printf "| %s | %s | %s | %s | n/a | %s | %s | %s | n/a |\n", b[1], b[2], off[k], on[k], p99off[k], p99on[k], err[k]; continue }
      printf "| %s | %s | %s | %s | %.1f %% | %s | %s | %s | %s |\n", b[1], b[2], off[k], on[k], o, p99off[k], p99on[k], err[k], (o <= 15 && err[k] + 0 == 0) ? "yes" : "no" } }
  ' "$results" | sort
  if [ -s "$micro" ]; then
    echo
    echo "### The same cost in-process (Pgo.Bench access-micro: no HTTP, SQLite, interleaved rounds)"
    echo
    cat "$micro"
  fi
fi

echo
echo "### Search latency, large data set against small (p50 ratio, target ≤ 2)"
echo
echo "| provider | scenario | p50 small ms | p50 large ms | ratio |"
echo "|---|---|---:|---:|---:|"
awk -F'\t' '
  $3 ~ /^search-/ { key = $1 "\t" $3; if (!(key in small) || $2 + 0 < size[key]) { if (key in small) { large[key] = small[key] }; small[key] = $5; size[key] = $2 } else { large[key] = $5 } }
  END { for (k in small) if (k in large) { split(k, a, "\t"); printf "| %s | %s | %s | %s | %.2f |\n", a[1], a[2], small[k], large[k], large[k] / small[k] } }
' "$results" | sort

echo
echo "### Loading (small set: HTTP transaction Bundles of ~100 PUTs, 4 in flight; growth: direct through the repository in transactions of 1,000)"
echo
echo '```'
grep '^loaded' "$loadlog" || true
echo '```'
