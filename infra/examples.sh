#!/usr/bin/env bash
# Fetches the official FHIR R4 examples (npm hl7.fhir.r4.examples@4.0.1) into .pgo/examples once.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/infra/lib.sh"
dest="$ROOT/.pgo/examples"
[ -f "$dest/package/package.json" ] && exit 0
command -v npm >/dev/null || die "npm (Node.js) is needed for the FHIR examples package"
mkdir -p "$dest"
log "downloading hl7.fhir.r4.examples@4.0.1"
(cd "$dest" && npm pack hl7.fhir.r4.examples@4.0.1 --silent >/dev/null && tar xzf hl7.fhir.r4.examples-4.0.1.tgz && rm -f hl7.fhir.r4.examples-4.0.1.tgz)
