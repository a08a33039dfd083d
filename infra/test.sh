#!/usr/bin/env bash
# ./pgo test: installs and starts what the tests need, runs every test project, stops the services.
# Inside this script every outside service is required: a test that needs a missing one fails (tests/Shared/Needs.cs);
# the tests write nothing into the checkout (screenshots go to TestResults/ unless PGO_SCREENSHOTS=docs, see
# infra/screenshots.sh). PGO_TEST_PROJECT=tests/X runs one test project instead of the solution.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet

WORK=$(mktemp -d /tmp/pgo-test.XXXXXX)
chmod 755 "$WORK"
# A temporary folder that will not go away must not turn a green run red: the tests decide the exit status.
cleanup() { azurite_stop "$WORK/azurite"; redis_stop "$WORK/redis"; pg_stop "$WORK/pg"; rm -rf "$WORK" || log "could not remove $WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM  # exit runs the EXIT trap, so PostgreSQL is stopped on Ctrl-C too

# A real PostgreSQL, in a temporary folder, for the PostgreSQL half of the repository tests.
PG_PORT=$(free_port)
pg_start "$WORK/pg" "$PG_PORT"
export PGO_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
# Every PostgreSQL test must run here; outside ./pgo test it is skipped (tests/Shared/Needs.cs).
export PGO_REQUIRE_POSTGRES=1

# Redis, the SignalR backplane of the two-instance real-time test (tests/Pgo.Api.Tests/Realtime).
REDIS_PORT=$(free_port)
redis_start "$WORK/redis" "$REDIS_PORT"
export PGO_TEST_REDIS="127.0.0.1:$REDIS_PORT"
export PGO_REQUIRE_REDIS=1
# Azurite (npm, in memory) for the file tests: dossier documents in blob storage (Api/Files).
AZURITE_PORT=$(free_port)
azurite_start "$WORK/azurite" "$AZURITE_PORT" --memory
export PGO_TEST_BLOBS=$(azurite_connection_string "$AZURITE_PORT")
# Every file test must run here; outside ./pgo test it is skipped (tests/Shared/Needs.cs).
export PGO_REQUIRE_BLOBS=1

# The official FHIR R4 examples (npm), for the round-trip, search and fuzz tests.
infra/examples.sh
export PGO_FHIR_EXAMPLES="$ROOT/.pgo/examples/package"

# Independent FHIR clients from npm (fhir-kit-client; fhirclient, the SMART apps' JavaScript client), pinned by tests/clients/package-lock.json.
{ [ -d tests/clients/node_modules/fhir-kit-client ] && [ -d tests/clients/node_modules/fhirclient ]; } || npm ci --prefix tests/clients --silent --no-audit --no-fund

# Chromium from apt for the Portal's browser tests (Playwright drives it by path; no `playwright install`).
apt_ensure chromium
export PGO_CHROMIUM=/usr/bin/chromium
# The local SMTP listener (apt python3-aiosmtpd) that the Portal tests start for Identity's mails (invitations, confirmations).
apt_ensure python3-aiosmtpd
# nginx (apt) for the cluster test (tests/Pgo.Api.Tests/Cluster): infra/cluster.sh puts it in front of two of each app.
apt_ensure nginx
export PGO_REQUIRE_NGINX=1

if [ -n "${PGO_TEST_PROJECT:-}" ]; then target=(--project "$PGO_TEST_PROJECT"); build=$PGO_TEST_PROJECT
else target=(--solution Pgo.sln); build=Pgo.sln; fi

# Locked restore, as in CI: the committed packages.lock.json files decide every package version, so a clean clone
# builds what was tested; a package change without `./pgo lock` fails here (NU1004).
log "restoring (locked)"
dotnet restore "$build" --locked-mode -v quiet
log "building"
dotnet build "$build" -c Release -v quiet -nologo --no-restore 2>&1 | tail -n 3

log "running tests"
# Each project also writes an xunit TRX report (per-test start and end), so every run says where its time went.
TRX="$ROOT/TestResults/trx"
rm -rf "$TRX"
set +e
dotnet test "${target[@]}" -c Release --no-build --report-xunit-trx --results-directory "$TRX" "$@" 2>&1 | tee "$WORK/test.log"
status=${PIPESTATUS[0]}
python3 infra/slowest.py "$TRX" 15 || log "could not summarise the test times"
set -e
# One plain closing line for CI, summed over all test projects.
awk '/^  failed: /{f+=$2} /^  succeeded: /{p+=$2} /^  skipped: /{s+=$2} END{printf "%d passed, %d failed, %d skipped\n", p, f, s}' "$WORK/test.log"
exit "$status"
