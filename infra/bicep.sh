#!/usr/bin/env bash
# ./pgo bicep: checks infra/azure with the Bicep CLI and writes the ARM JSON to infra/azure/out/ (not committed).
#   lint main.bicep and its modules (any diagnostic fails), build main.bicep to ARM JSON, build the dev/test/prod
#   parameter files. The CLI is NuGet package Azure.Bicep.CommandLine.linux-x64, restored by infra/azure/tools/BicepCli.csproj
#   into the package cache (no az CLI needed). Each bicep call takes ~25 s here, mostly start-up waiting.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=0.49.2
PACKAGES=${NUGET_PACKAGES:-$HOME/.nuget/packages}
BICEP=$PACKAGES/azure.bicep.commandline.linux-x64/$VERSION/tools/bicep
if [ ! -x "$BICEP" ]; then
  dotnet restore "$ROOT/infra/azure/tools/BicepCli.csproj" >/dev/null
  chmod +x "$BICEP"
fi
cd "$ROOT/infra/azure"
out=out
mkdir -p "$out"
echo "bicep $("$BICEP" --version | awk '{print $4}'): lint"
lint=$("$BICEP" lint main.bicep 2>&1) || { echo "$lint"; exit 1; }
[ -z "$lint" ] || { echo "$lint"; echo "bicep lint: findings (above)"; exit 1; }
echo "build main.bicep -> $out/main.json"
"$BICEP" build main.bicep --outdir "$out"
echo "build-params main.{dev,test,prod}.bicepparam -> $out/"
# Secrets are read from the environment at build time; placeholders suffice for the check.
PGO_POSTGRES_PASSWORD=check PGO_PORTAL_CLIENT_SECRET=check PGO_SYSTEM_CLIENT_SECRET=check PGO_SIGNING_KEY=check PGO_ENCRYPTION_KEY=check \
  "$BICEP" build-params --pattern 'main.*.bicepparam' --outdir "$out"
python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
main = json.loads((out / "main.json").read_text())
kinds = set()
def walk(template):
    for r in template.get("resources", {}).values() if isinstance(template.get("resources"), dict) else template.get("resources", []):
        kinds.add(r["type"])
        inner = r.get("properties", {}).get("template")
        if inner: walk(inner)
walk(main)
need = {"Microsoft.App/containerApps", "Microsoft.App/managedEnvironments", "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.Storage/storageAccounts", "Microsoft.Cache/redis", "Microsoft.KeyVault/vaults",
        "Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.OperationalInsights/workspaces",
        "Microsoft.Authorization/roleAssignments"}
missing = need - kinds
params = sorted(p.name for p in out.glob("main.*.json"))
assert len(params) == 3, params
if missing: sys.exit(f"main.json lacks {sorted(missing)}")
print(f"ok: {len(kinds)} resource types, parameter files {', '.join(params)}")
PY
