#!/usr/bin/env bash
# ./pgo up: builds the platform and runs Api, Identity and Portal on their embedded defaults
# (SQLite under ./data) with the demo data loaded. Ctrl-C stops everything.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet

mkdir -p data .pgo/logs
log "building"
dotnet build Pgo.sln -c Release -v quiet -nologo 2>&1 | tail -n 3

pids=()
stop_all() {
  trap - INT TERM EXIT
  log "stopping"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  azurite_stop "$ROOT/data/azurite"
  smtp_stop "$ROOT/data/smtp"
  wait 2>/dev/null || true
  exit 0
}
trap stop_all INT TERM EXIT

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export Pgo__DataDirectory="$ROOT/data"
# Azurite (npm) keeps the dossier documents under data/azurite; Storage__Blobs set beforehand (e.g. a real
# Azure Storage account) is used as it is.
if [ -z "${Storage__Blobs:-}" ]; then
  AZURITE_PORT=${PGO_AZURITE_PORT:-10000}
  azurite_start "$ROOT/data/azurite" "$AZURITE_PORT"
  export Storage__Blobs=$(azurite_connection_string "$AZURITE_PORT")
fi
# A local SMTP listener (apt python3-aiosmtpd) receives every mail Identity sends (invitations, confirmations,
# password resets) and the Api's notification mails, in data/smtp/maildir/new; Pgo__Mail__Host (Identity) or
# Notifications__Mail__Host (the Api) set beforehand (a real mail server) is used as it is.
if [ -z "${Pgo__Mail__Host:-}" ] || [ -z "${Notifications__Mail__Host:-}" ]; then
  SMTP_PORT=${PGO_SMTP_PORT:-2525}
  smtp_start "$ROOT/data/smtp" "$SMTP_PORT"
  if [ -z "${Pgo__Mail__Host:-}" ]; then
    export Pgo__Mail__Host=127.0.0.1 Pgo__Mail__Port=$SMTP_PORT Pgo__Mail__Security=None
  fi
  if [ -z "${Notifications__Mail__Host:-}" ]; then
    export Notifications__Mail__Host=127.0.0.1 Notifications__Mail__Port=$SMTP_PORT Notifications__Mail__Security=None
  fi
fi
start() { # name project port
  local name=$1 proj=$2 port=$3
  dotnet "$proj/bin/Release/net10.0/$(basename "$proj" | sed 's/^/Pgo./').dll" --urls "http://localhost:$port" \
    --contentRoot "$ROOT/$proj" >".pgo/logs/$name.log" 2>&1 &
  pids+=($!)
}
# The Api reads Identity's accepted invitations, and the addresses of notification mails, as the pgo-system client
# (its Development secret; the mail's contact look-up uses the same secret unless Notifications__Mail__ClientSecret is set).
Pgo__Invitations__ClientSecret=development-only-system-secret start api Api 5200
start identity Identity 5300
start portal Portal 5100

wait_for() { # url name
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  die "$2 did not start; see .pgo/logs/$2.log"
}
wait_for http://localhost:5200/health api
wait_for http://localhost:5300/health identity
wait_for http://localhost:5100/health portal

cat <<MSG

  PGO draait (stoppen met Ctrl-C):
    Portal    http://localhost:5100
    Api       http://localhost:5200        FHIR: http://localhost:5200/fhir/metadata
    Identity  http://localhost:5300
  Logs: .pgo/logs/
  Mail (uitnodigingen, bevestigingen, meldingen): data/smtp/maildir/new/

MSG
wait -n "${pids[@]}" || true
die "a process stopped unexpectedly; see .pgo/logs/"
