#!/usr/bin/env bash
# ./pgo backup-drill: the restore drill (infra/README.md, "Backups and the restore drill").
#   1. a source: PostgreSQL and Azurite of its own, filled by the Api with the demo families and their documents;
#   2. the backup: pg_dump (custom format) of the FHIR and the team-space databases, and every blob of the document
#      container with a manifest of SHA-256 hashes (dotnet Pgo.Api.dll export-blobs);
#   3. the restore: into a FRESH PostgreSQL cluster (initdb) and a FRESH Azurite, with pg_restore and import-blobs;
#   4. the proof: verify-audit on the restored database, and the inventory (live resources per type, versions, audit
#      chain length, blob count and hash) of the restore equal to the source's.
# Exit 0 and "restore drill: passed" when nothing was lost. PGO_API_DLL=<path to Pgo.Api.dll> uses that build (the
# tests do); otherwise the Api is built here. PGO_DRILL_KEEP=1 keeps the working folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet

WORK=$(mktemp -d /tmp/pgo-drill.XXXXXX)
chmod 755 "$WORK"
API_PID=""
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null || true
  azurite_stop "$WORK/az-source"; azurite_stop "$WORK/az-restore"
  pg_stop "$WORK/pg-source"; pg_stop "$WORK/pg-restore"
  if [ "${PGO_DRILL_KEEP:-}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${PGO_API_DLL:-}" ]; then API_DLL=$PGO_API_DLL
else
  log "building the Api"
  dotnet build Api -c Release -v quiet -nologo 2>&1 | tail -n 2
  API_DLL="$ROOT/Api/bin/Release/net10.0/Pgo.Api.dll"
fi
apt_ensure postgresql
find_pg_bin
PSQL=("$PG_BIN/psql" -v ON_ERROR_STOP=1 -q -X -h 127.0.0.1 -U postgres)

# api SIDE ARGS... : runs the Api (or one of its verbs) against the side named SIDE (source|restore). Through env(1),
# which execs dotnet: started with &, $! is then the Api itself, so it can be stopped cleanly (a shell function started
# with & would leave dotnet running as the child of a subshell that the kill ends instead).
api() {
  local side=$1; shift
  local pg_port az_port
  if [ "$side" = source ]; then pg_port=$SRC_PG; az_port=$SRC_AZ; else pg_port=$DST_PG; az_port=$DST_AZ; fi
  exec_api=(env ASPNETCORE_ENVIRONMENT=Development
    "ConnectionStrings__Fhir=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=pgo_fhir"
    "ConnectionStrings__TeamSpace=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=pgo_teamspace"
    "Storage__Blobs=$(azurite_connection_string "$az_port")"
    "Pgo__DataDirectory=$WORK/data-$side"
    Logging__LogLevel__Default=Warning "${API_EXTRA[@]}"
    dotnet "$API_DLL" --contentRoot "$ROOT/Api" "$@")
  [ "${API_BACKGROUND:-}" = 1 ] || "${exec_api[@]}"
}
API_EXTRA=()

# ---------------------------------------------------------------- 1. the source
SRC_PG=$(free_port); pg_start "$WORK/pg-source" "$SRC_PG"
SRC_AZ=$(free_port); azurite_start "$WORK/az-source" "$SRC_AZ" --memory
for db in pgo_fhir pgo_teamspace; do "${PSQL[@]}" -p "$SRC_PG" -d postgres -c "CREATE DATABASE $db"; done
API_PORT=$(free_port)
log "loading the demo families into the source (the Api on port $API_PORT)"
API_EXTRA=(Pgo__LoadDemoData=true); API_BACKGROUND=1
api source --urls "http://127.0.0.1:$API_PORT"   # only composes exec_api
"${exec_api[@]}" >"$WORK/api-source.log" 2>&1 &
API_PID=$!
API_EXTRA=(); API_BACKGROUND=
# The fresh instances of step 3 start meanwhile: they must exist before the restore, not before the backup.
DST_PG=$(free_port); DST_AZ=$(free_port)
( pg_start "$WORK/pg-restore" "$DST_PG" ) >"$WORK/pg-restore.log" 2>&1 &
PG_RESTORE_START=$!
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "http://127.0.0.1:$API_PORT/health" 2>/dev/null && break
  kill -0 "$API_PID" 2>/dev/null || { cat "$WORK/api-source.log" >&2; die "the Api stopped while loading the demo data"; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$API_PORT/health" || { cat "$WORK/api-source.log" >&2; die "the Api did not start"; }
# A clean stop: the audit writer commits what it queued.
kill -TERM "$API_PID"; wait "$API_PID" || true; API_PID=""
log "source loaded (${SECONDS}s)"

# ---------------------------------------------------------------- 2. the backup
BACKUP="$WORK/backup"; mkdir -p "$BACKUP"; chmod 777 "$BACKUP"
log "backing up: pg_dump (custom format) and the blob container"
for db in pgo_fhir pgo_teamspace; do
  "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$SRC_PG" -U postgres -Fc -f "$BACKUP/$db.dump" "$db"
done
api source export-blobs "$BACKUP/blobs"
api source inventory >"$WORK/inventory-source.txt" || { cat "$WORK/inventory-source.txt" >&2; die "the source's audit chain is broken"; }
log "backed up (${SECONDS}s)"

# ---------------------------------------------------------------- 3. the restore, into fresh instances
wait "$PG_RESTORE_START" || { cat "$WORK/pg-restore.log" >&2; die "the fresh PostgreSQL did not start"; }
azurite_start "$WORK/az-restore" "$DST_AZ" --memory
log "restoring into a fresh PostgreSQL (port $DST_PG) and a fresh Azurite (port $DST_AZ)"
for db in pgo_fhir pgo_teamspace; do
  "${PSQL[@]}" -p "$DST_PG" -d postgres -c "CREATE DATABASE $db"
  "$PG_BIN/pg_restore" -h 127.0.0.1 -p "$DST_PG" -U postgres --no-owner --exit-on-error -d "$db" "$BACKUP/$db.dump"
done
api restore import-blobs "$BACKUP/blobs"
log "restored (${SECONDS}s)"

# ---------------------------------------------------------------- 4. the proof
api restore verify-audit | tee "$WORK/verify.txt" || die "verify-audit: the restored audit chain is broken"
api restore inventory >"$WORK/inventory-restore.txt" || true
if ! diff -u "$WORK/inventory-source.txt" "$WORK/inventory-restore.txt" >&2; then
  die "restore drill: the restore differs from the source (above)"
fi
grep -q '^resources Patient [1-9]' "$WORK/inventory-source.txt" || die "restore drill: the source had no patients; nothing was tested"
grep -q '^blobs [1-9]' "$WORK/inventory-source.txt" || die "restore drill: the source had no documents; nothing was tested"
sed 's/^/  /' "$WORK/inventory-restore.txt"
echo "restore drill: passed ($(grep -c '^resources ' "$WORK/inventory-restore.txt") resource types, $(grep '^audit ' "$WORK/inventory-restore.txt" | cut -d' ' -f3) audit entries, $(grep '^blobs ' "$WORK/inventory-restore.txt" | cut -d' ' -f2) blobs)"
