#!/usr/bin/env bash
# infra/images-check.sh ARCHIVE...: verify OCI/Docker image archives written by `./pgo images` (`./pgo images --check`)
# without a container runtime. For each archive:
#   1. unpack it and follow its index/manifest to the config and the layers;
#   2. the config: User is `app` (not root), an entrypoint, port 8080 exposed, ASPNETCORE_HTTP_PORTS=8080;
#   3. apply the layers in order to an empty folder (whiteouts honoured): the image's root filesystem; in it, user app
#      is uid 1654, Europe/Amsterdam is a zone, ICU and OpenSSL are there;
#   4. run the entrypoint from that root filesystem as uid 1654 (unshare: own mount namespace with /proc and /dev;
#      chroot --userspec=1654:1654; env -i with the image's environment, HOME from its passwd entry) on a free loopback
#      port, in Production, on SQLite in /tmp without demo data, and ask GET /health and /health/ready: both must be 200.
# Prints one line per check; exit 1 when any fails. Needs root (chroot, mounts).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=infra/lib.sh
source "$ROOT/infra/lib.sh"
[ $# -gt 0 ] || die "usage: infra/images-check.sh ARCHIVE..."
[ "$(id -u)" -eq 0 ] || die "images-check needs root (chroot and a private mount namespace)"
apt_ensure jq curl
work=$(mktemp -d /tmp/pgo-images-check.XXXXXX)
app_pid=""
cleanup() {
  [ -z "$app_pid" ] || { kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true; }
  [ -n "${PGO_IMAGES_CHECK_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
failed=0
ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; failed=1; }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }

# A secret long enough for Production's checks, made for this run only.
secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)

for archive in "$@"; do
  name=$(basename "$archive"); name=${name%%.tar*}
  echo "== $name ($archive, $(du -h "$archive" | cut -f1))"
  x=$work/$name/archive rootfs=$work/$name/rootfs
  mkdir -p "$x" "$rootfs"
  tar -xf "$archive" -C "$x"
  # OCI layout (index.json, maybe an index inside) or docker-archive (manifest.json).
  if [ -f "$x/index.json" ]; then
    manifest=$x/blobs/sha256/$(jq -r '.manifests[0].digest' "$x/index.json" | cut -d: -f2)
    while jq -e '.manifests' "$manifest" >/dev/null 2>&1; do
      manifest=$x/blobs/sha256/$(jq -r '[.manifests[] | select(.platform.os == "linux" and .platform.architecture == "amd64")][0].digest' "$manifest" | cut -d: -f2)
    done
    config=$x/blobs/sha256/$(jq -r '.config.digest' "$manifest" | cut -d: -f2)
    mapfile -t layers < <(jq -r '.layers[].digest' "$manifest" | cut -d: -f2 | sed "s|^|$x/blobs/sha256/|")
    format="OCI layout"
  else
    config=$x/$(jq -r '.[0].Config' "$x/manifest.json")
    mapfile -t layers < <(jq -r '.[0].Layers[]' "$x/manifest.json" | sed "s|^|$x/|")
    format="docker archive"
  fi
  echo "  $format, ${#layers[@]} layers; config: $(jq -c '.config | {User, Entrypoint, Cmd, WorkingDir, ExposedPorts}' "$config")"

  user=$(jq -r '.config.User // ""' "$config")
  check "User is app/1654, not root ('$user')" test "$user" = app -o "$user" = 1654
  check "an entrypoint" jq -e '.config.Entrypoint | length > 0' "$config"
  check "port 8080/tcp exposed" jq -e '.config.ExposedPorts["8080/tcp"]' "$config"
  check "ASPNETCORE_HTTP_PORTS=8080" jq -e '.config.Env | index("ASPNETCORE_HTTP_PORTS=8080")' "$config"

  for layer in "${layers[@]}"; do
    # OCI whiteouts, applied before the layer: .wh.NAME deletes NAME of a lower layer, .wh..wh..opq empties its folder.
    while IFS= read -r wh; do
      dir=$rootfs/$(dirname "$wh") base=$(basename "$wh")
      if [ "$base" = .wh..wh..opq ]; then find "$dir" -mindepth 1 -delete 2>/dev/null || true
      else rm -rf "${dir:?}/${base#.wh.}"; fi
    done < <(tar -tf "$layer" | sed 's|^\./||' | grep -E '(^|/)\.wh\.' || true)
    tar -xf "$layer" -C "$rootfs"
    find "$rootfs" -name '.wh.*' -delete
  done
  check "app is uid 1654 in /etc/passwd" grep -q '^app:x:1654:1654:' "$rootfs/etc/passwd"
  check "Europe/Amsterdam zone" test -s "$rootfs/usr/share/zoneinfo/Europe/Amsterdam"
  check "ICU (libicuuc)" sh -c "ls '$rootfs'/usr/lib/x86_64-linux-gnu/libicuuc.so.* >/dev/null"
  check "OpenSSL 3 (libssl.so.3)" test -e "$rootfs/usr/lib/x86_64-linux-gnu/libssl.so.3"
  check "ASP.NET Core runtime in /usr/share/dotnet" sh -c "ls -d '$rootfs'/usr/share/dotnet/shared/Microsoft.AspNetCore.App/10.0.* >/dev/null"

  # Run it: the image's environment, a free port instead of 8080 (8080 may be taken here), settings for this app.
  port=$(free_port)
  mapfile -t image_env < <(jq -r '.config.Env[]' "$config" | grep -v '^ASPNETCORE_HTTP_PORTS=')
  mapfile -t entrypoint < <(jq -r '(.config.Entrypoint // []) + (.config.Cmd // []) | .[]' "$config")
  workdir=$(jq -r '.config.WorkingDir // "/"' "$config")
  home=$(awk -F: '$3 == 1654 { print $6 }' "$rootfs/etc/passwd")
  settings=(ASPNETCORE_HTTP_PORTS="$port" HOME="${home:-/tmp}" Pgo__DataDirectory=/tmp/pgo-data)
  case "$name" in
    pgo-api) settings+=(Pgo__LoadDemoData=false Pgo__LoadTerminology=false Pgo__Identity__Authority=https://identity.example.invalid) ;;
    pgo-identity) settings+=(Pgo__Clients__Portal__Secret="portal-$secret" Pgo__Clients__System__Secret="system-$secret" Pgo__Issuer=https://identity.example.invalid) ;;
    pgo-portal) settings+=(Pgo__ClientSecret="portal-$secret" Pgo__Authority=https://identity.example.invalid Pgo__ApiUrl=https://api.example.invalid) ;;
  esac
  chmod 1777 "$rootfs/tmp"
  log_file=$work/$name.log
  # shellcheck disable=SC2016
  unshare --mount --propagation private sh -c 'set -e; r=$1; shift; mount -t proc proc "$r/proc"; mount --rbind /dev "$r/dev"; exec chroot --userspec=1654:1654 "$r" "$@"' \
    sh "$rootfs" /usr/bin/env -i -C "$workdir" "${image_env[@]}" "${settings[@]}" "${entrypoint[@]}" >"$log_file" 2>&1 &
  app_pid=$!
  health=""
  for _ in $(seq 1 120); do
    health=$(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$port/health" || true)
    [ "$health" = 200 ] && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
  done
  ready=$(curl -s -w ' %{http_code}' -m 10 "http://127.0.0.1:$port/health/ready" || true)
  process_user=$(ps -o uid= -p "$app_pid" 2>/dev/null | tr -d ' ' || true)
  check "started as uid 1654 (ps: ${process_user:-gone})" test "${process_user:-x}" = 1654 -o "${process_user:-x}" = app
  check "GET /health 200 (got ${health:-nothing})" test "$health" = 200
  check "GET /health/ready 200 (got: ${ready:-nothing})" test "${ready##* }" = 200
  if [ "$health" != 200 ]; then echo "  --- last lines of $name's output"; tail -15 "$log_file" | sed 's/^/  | /'; fi
  kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""
  rm -rf "${work:?}/$name"
done
[ "$failed" -eq 0 ] && echo "images check: passed" || { echo "images check: FAILED"; exit 1; }
