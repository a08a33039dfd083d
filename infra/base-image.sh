#!/usr/bin/env bash
# infra/base-image.sh OUT_DIR: a local stand-in for mcr.microsoft.com/dotnet/aspnet:10.0, for `./pgo images` where
# that registry cannot be reached (infra/README.md, "Container images"). Writes an OCI image layout to OUT_DIR (tag
# 10.0) and reuses it when it is already there for the same runtime version.
#   root filesystem  Debian bookworm, `debootstrap --variant=minbase`, plus libicu72, libssl3, ca-certificates, tzdata
#   .NET             the ASP.NET Core shared runtime this machine's SDK runs on (Microsoft.NETCore.App and
#                    Microsoft.AspNetCore.App, `dotnet --list-runtimes`), copied into /usr/share/dotnet
#   user             app, uid/gid 1654, home /home/app (as in Microsoft's images; APP_UID=1654 in the environment)
#   environment      ASPNETCORE_HTTP_PORTS=8080, DOTNET_RUNNING_IN_CONTAINER=true, DOTNET_VERSION, ASPNET_VERSION
# One layer, built with fixed timestamps and owners, so that the same packages and runtime give the same digest.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=infra/lib.sh
source "$ROOT/infra/lib.sh"
out=${1:?usage: infra/base-image.sh OUT_DIR}
mirror=${PGO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
apt_ensure debootstrap jq
require_dotnet

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
# The newest 10.0 runtime pair installed (the one `dotnet Pgo.Api.dll` rolls forward to).
version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" && $2 ~ /^10\.0\./ { print $2 }' | sort -V | tail -1)
[ -n "$version" ] || die "no Microsoft.AspNetCore.App 10.0.x runtime installed (dotnet --list-runtimes)"
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$version" ] || die "Microsoft.NETCore.App $version missing beside Microsoft.AspNetCore.App $version"

if [ -f "$out/index.json" ] && [ "$(cat "$out/pgo-runtime" 2>/dev/null)" = "$version" ]; then
  log "base image: reusing $out (ASP.NET Core $version)"
  exit 0
fi

work=$(mktemp -d /tmp/pgo-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
log "base image: debootstrap --variant=minbase bookworm (a minute or two)"
debootstrap --variant=minbase --include=libicu72,libssl3,ca-certificates,tzdata bookworm "$rootfs" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

log "base image: ASP.NET Core runtime $version from $dotnet_root"
mkdir -p "$rootfs/usr/share/dotnet/host/fxr" "$rootfs/usr/share/dotnet/shared"
cp -a "$dotnet_root/dotnet" "$rootfs/usr/share/dotnet/"
cp -a "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$rootfs/usr/share/dotnet/" 2>/dev/null || true
fxr=$(ls -d "$dotnet_root"/host/fxr/* | sort -V | tail -1)
cp -a "$fxr" "$rootfs/usr/share/dotnet/host/fxr/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  mkdir -p "$rootfs/usr/share/dotnet/shared/$framework"
  cp -a "$dotnet_root/shared/$framework/$version" "$rootfs/usr/share/dotnet/shared/$framework/"
done
ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

# The unprivileged user of Microsoft's images: app, 1654.
echo 'app:x:1654:1654::/home/app:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
echo 'app:x:1654:' >>"$rootfs/etc/group"
echo 'app:!:19000::::::' >>"$rootfs/etc/shadow"
mkdir -p "$rootfs/home/app" && chown 1654:1654 "$rootfs/home/app" && chmod 700 "$rootfs/home/app"
# What an image does not need: the package downloads and lists, documentation, logs of the build.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/proc/* "$rootfs"/dev/*
chmod 1777 "$rootfs/tmp"

log "base image: OCI layout in $out"
layer=$work/layer.tar
(cd "$rootfs" && tar --numeric-owner --sort=name --mtime=@0 --xattrs -cf "$layer" .)
diff_id=sha256:$(sha256sum "$layer" | cut -d' ' -f1)
gzip -n -6 "$layer"
rm -rf "$out" && mkdir -p "$out/blobs/sha256"
layer_digest=$(sha256sum "$layer.gz" | cut -d' ' -f1)
layer_size=$(stat -c %s "$layer.gz")
mv "$layer.gz" "$out/blobs/sha256/$layer_digest"

jq -cn --arg diff "$diff_id" --arg v "$version" '{
  architecture: "amd64", os: "linux",
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654",
          "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true", ("DOTNET_VERSION=" + $v), ("ASPNET_VERSION=" + $v)],
    WorkingDir: "/"
  },
  rootfs: { type: "layers", diff_ids: [$diff] },
  history: [{ created_by: ("infra/base-image.sh: debian bookworm minbase + ASP.NET Core " + $v), created: "1970-01-01T00:00:00Z" }]
}' >"$work/config.json"
config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
config_size=$(stat -c %s "$work/config.json")
mv "$work/config.json" "$out/blobs/sha256/$config_digest"

jq -cn --arg c "sha256:$config_digest" --argjson cs "$config_size" --arg l "sha256:$layer_digest" --argjson ls "$layer_size" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs },
  layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls }]
}' >"$work/manifest.json"
manifest_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
manifest_size=$(stat -c %s "$work/manifest.json")
mv "$work/manifest.json" "$out/blobs/sha256/$manifest_digest"

jq -cn --arg m "sha256:$manifest_digest" --argjson ms "$manifest_size" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
                platform: { architecture: "amd64", os: "linux" },
                annotations: { "org.opencontainers.image.ref.name": "10.0" } }]
}' >"$out/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
echo "$version" >"$out/pgo-runtime"
log "base image: $(du -sh "$out" | cut -f1), layer sha256:${layer_digest:0:12}, ASP.NET Core $version"
