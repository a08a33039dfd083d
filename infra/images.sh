#!/usr/bin/env bash
# ./pgo images [--registry host] [--tag tag]: OCI images of Api, Identity and Portal with the .NET SDK's own container
# support (dotnet publish -t:PublishContainer; no Dockerfile, no daemon). Without --registry each image is written as
# an OCI archive to artifacts/images/pgo-<app>.tar.gz (ContainerArchiveOutputPath; load it with `docker load` or push
# it with skopeo/crane/oras); with --registry it is pushed there (credentials as for docker login).
#   base image   mcr.microsoft.com/dotnet/aspnet:10.0 (PGO_BASE_IMAGE to change it, e.g. a mirror or a chiseled image)
#   user         app (uid 1654, the base image's non-root user: ContainerUser); port 8080 (ASPNETCORE_HTTP_PORTS)
#   probes       /health (liveness), /health/ready (readiness); /metrics on a management port (docs/settings.md)
# The SDK pulls the base image from its registry at publish time: where that registry cannot be reached (as on this
# project's build machine, which reaches only NuGet, npm and Debian) publishing stops with the registry's error.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
registry="" tag=${PGO_IMAGE_TAG:-latest}
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) registry=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
base=${PGO_BASE_IMAGE:-mcr.microsoft.com/dotnet/aspnet:10.0}
out=$ROOT/artifacts/images
mkdir -p "$out"
for app in Api Identity Portal; do
  name=pgo-$(echo "$app" | tr '[:upper:]' '[:lower:]')
  args=(-c Release -t:PublishContainer -p:ContainerBaseImage="$base" -p:ContainerRepository="$name"
        -p:ContainerImageTags="$tag" -p:ContainerUser=app)
  if [ -n "$registry" ]; then args+=(-p:ContainerRegistry="$registry")
  else args+=(-p:ContainerArchiveOutputPath="$out/$name.tar.gz"); fi
  echo "== $name:$tag from $base"
  dotnet publish "$app/Pgo.$app.csproj" "${args[@]}"
done
[ -n "$registry" ] && echo "pushed to $registry" || ls -l "$out"
