#!/usr/bin/env bash
# ./pgo images [--registry host] [--tag tag] [--local-base] [--check]: OCI images of Api, Identity and Portal with the
# .NET SDK's own container support (dotnet publish -t:PublishContainer; no Dockerfile, no daemon). Without --registry
# each image is written as an OCI archive to artifacts/images/pgo-<app>.tar (ContainerArchiveOutputPath; load it
# with `docker load` or push it with skopeo/crane/oras); with --registry it is pushed there (credentials as for docker
# login).
#   base image   mcr.microsoft.com/dotnet/aspnet:10.0 (PGO_BASE_IMAGE to change it, e.g. a mirror or a chiseled image)
#                when that registry answers; when it does not (as on this project's build machine, which reaches only
#                NuGet, npm and Debian), or with --local-base: a local stand-in built by infra/base-image.sh (Debian
#                bookworm minbase + this SDK's ASP.NET Core runtime, user app 1654) and served for the SDK from a
#                registry on loopback (Debian's docker-registry, distribution v2; pushed there with skopeo)
#   user         app (uid 1654, the base image's non-root user: ContainerUser); port 8080 (ASPNETCORE_HTTP_PORTS)
#   probes       /health (liveness), /health/ready (readiness); /metrics on a management port (docs/settings.md)
#   --check      then verify each archive (infra/images-check.sh): unpack it, read its config, run the app from the
#                unpacked root filesystem as uid 1654 and ask /health and /health/ready
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=infra/lib.sh
source infra/lib.sh
registry="" tag=${PGO_IMAGE_TAG:-latest} local_base="" check=""
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) registry=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --local-base) local_base=1; shift ;;
    --check) check=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -z "$check" ] || [ -z "$registry" ] || die "--check verifies the archives: use it without --registry"
require_dotnet
base=${PGO_BASE_IMAGE:-mcr.microsoft.com/dotnet/aspnet:10.0}
if [ -z "$local_base" ] && [ -z "${PGO_BASE_IMAGE:-}" ] \
   && ! curl -s -o /dev/null -m 10 https://mcr.microsoft.com/v2/; then
  log "mcr.microsoft.com does not answer: building on the local base image (infra/base-image.sh)"
  local_base=1
fi

work=$(mktemp -d /tmp/pgo-images.XXXXXX)
registry_pid=""
cleanup() {
  [ -z "$registry_pid" ] || { kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "$local_base" ]; then
  apt_ensure docker-registry skopeo
  layout=$ROOT/artifacts/base-image
  infra/base-image.sh "$layout"
  port=$(free_port)
  cat >"$work/registry.yml" <<EOF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/registry }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
EOF
  docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break; sleep 0.2; done
  curl -s -o /dev/null "http://127.0.0.1:$port/v2/" || { cat "$work/registry.log" >&2; die "the loopback registry did not start"; }
  skopeo copy --quiet --dest-tls-verify=false "oci:$layout:10.0" "docker://localhost:$port/dotnet/aspnet:10.0"
  base=localhost:$port/dotnet/aspnet:10.0
  # The registry speaks plain http on loopback: the SDK must be told (it tries https first otherwise).
  export DOTNET_CONTAINER_INSECURE_REGISTRIES=localhost:$port
fi

out=$ROOT/artifacts/images
mkdir -p "$out"
for app in Api Identity Portal; do
  name=pgo-$(echo "$app" | tr '[:upper:]' '[:lower:]')
  args=(-c Release -t:PublishContainer -p:ContainerBaseImage="$base" -p:ContainerRepository="$name"
        -p:ContainerImageTags="$tag" -p:ContainerUser=app)
  if [ -n "$registry" ]; then args+=(-p:ContainerRegistry="$registry")
  else args+=(-p:ContainerArchiveOutputPath="$out/$name.tar"); fi
  log "$name:$tag from $base"
  if ! dotnet publish "$app/Pgo.$app.csproj" "${args[@]}" -nologo >"$work/$name.log" 2>&1; then
    grep -E "error" "$work/$name.log" | sort -u >&2 || tail -20 "$work/$name.log" >&2
    die "publishing $name failed"
  fi
  grep -E "Built image|Pushed image" "$work/$name.log" | sed 's/^ *//' | sort -u || true
done
if [ -n "$registry" ]; then echo "pushed to $registry"; else ls -l "$out"; fi
[ -z "$check" ] || infra/images-check.sh "$out"/pgo-api.tar "$out"/pgo-identity.tar "$out"/pgo-portal.tar
