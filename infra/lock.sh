#!/usr/bin/env bash
# ./pgo lock: rewrites every project's packages.lock.json after a package was added, removed or changed
# (Directory.Packages.props or a PackageReference). Commit the lock files with the change: CI and ./pgo test
# restore in locked mode and refuse a lock file that does not match.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet

# The solution, plus the benchmark projects that are not in it (bench/TeamSpaceBench, bench/RealtimeBench).
for target in Pgo.sln bench/*/*.csproj; do
  log "restoring $target"
  dotnet restore "$target" --force-evaluate -p:RestoreLockedMode=false -v quiet
done
git status --short -- '*packages.lock.json'
