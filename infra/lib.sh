# Shared shell helpers for ./pgo: installing what is missing and starting local services.
# Sourced, not run. Every function is idempotent so a second run is fast.

log() { printf '\033[1;34m[pgo]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[pgo] %s\033[0m\n' "$*" >&2; exit 1; }

APT_UPDATED=""
# apt_ensure PACKAGE... : installs the Debian packages that are not installed yet.
apt_ensure() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root or install them: apt-get install ${missing[*]})"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported a problem; trying the install anyway"
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed (https://dot.net); dotnet was not found"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# free_port : prints a free TCP port on 127.0.0.1.
free_port() {
  python3 - 2>/dev/null <<'PY' || shuf -i 20000-40000 -n 1
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

PG_BIN=""
find_pg_bin() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$PG_BIN" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
}

# pg_start DIR PORT : a throw-away PostgreSQL cluster in DIR on 127.0.0.1:PORT, trust auth.
# As root the server runs as the 'postgres' user (PostgreSQL refuses to run as root).
pg_start() {
  local dir=$1 port=$2
  apt_ensure postgresql
  find_pg_bin
  mkdir -p "$dir"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  log "PostgreSQL on 127.0.0.1:$port (data in $dir)"
}

pg_stop() {
  local dir=$1
  [ -d "$dir/data" ] || return 0
  find_pg_bin
  local as=(); [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# redis_start DIR PORT : a throw-away Redis (apt redis-server) in DIR on 127.0.0.1:PORT, no persistence.
# Used as the SignalR backplane of several Api instances (SignalR__Redis=127.0.0.1:PORT).
redis_start() {
  local dir=$1 port=$2
  apt_ensure redis-server
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    || die "Redis did not start"
  local i
  for i in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && { log "Redis on 127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  cat "$dir/redis.log" >&2
  die "Redis did not answer on port $port"
}

redis_stop() {
  local dir=$1 pid="" i
  [ -f "$dir/redis.pid" ] && pid=$(cat "$dir/redis.pid")
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    # Redis writes its last log lines while it shuts down: removing its folder before it is gone fails ("not empty").
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir" 2>/dev/null || { sleep 0.5; rm -rf "$dir" || true; }
}

# azurite_start DIR PORT [--memory] : Azurite's blob service (the local Azure Storage emulator, npm package
# pinned by infra/azurite/package-lock.json) on 127.0.0.1:PORT. With --memory nothing is written to disk (tests);
# otherwise its data lives in DIR. The pid is kept in DIR/azurite.pid for azurite_stop.
azurite_start() {
  local dir=$1 port=$2 mode=${3:-}
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  command -v node >/dev/null || die "Node.js is needed for Azurite; node was not found"
  [ -x "$root/infra/azurite/node_modules/.bin/azurite-blob" ] \
    || npm ci --prefix "$root/infra/azurite" --silent --no-audit --no-fund >/dev/null || die "installing Azurite failed"
  mkdir -p "$dir"
  local storage=(--location "$dir/blobs")
  [ "$mode" = "--memory" ] && storage=(--inMemoryPersistence)
  "$root/infra/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" "${storage[@]}" \
    --skipApiVersionCheck --disableTelemetry --silent >"$dir/azurite.log" 2>&1 &
  echo $! >"$dir/azurite.pid"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { log "Azurite (blobs) on 127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  cat "$dir/azurite.log" >&2; die "Azurite did not start"
}

azurite_stop() {
  local dir=$1
  [ -f "$dir/azurite.pid" ] || return 0
  kill "$(cat "$dir/azurite.pid")" 2>/dev/null || true
  rm -f "$dir/azurite.pid"
}

# azurite_connection_string PORT : the connection string of a local Azurite with its well-known development account
# (public, documented key; Pgo.Api refuses it outside Development).
azurite_connection_string() {
  local port=$1
  printf 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:%s/devstoreaccount1;' "$port"
}

# smtp_start DIR PORT : a local SMTP listener (apt python3-aiosmtpd) on 127.0.0.1:PORT that keeps every mail it gets
# in the Maildir DIR/maildir (new mails in DIR/maildir/new, one file each; open them with any mail program).
# Identity sends to it with Pgo__Mail__Host=127.0.0.1 Pgo__Mail__Port=PORT Pgo__Mail__Security=None.
# Debian's /usr/bin/python3 on purpose: the apt module is installed for it, not for another python3 on the PATH.
smtp_start() {
  local dir=$1 port=$2
  apt_ensure python3-aiosmtpd
  mkdir -p "$dir/maildir/new" "$dir/maildir/cur" "$dir/maildir/tmp"
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" >"$dir/smtp.log" 2>&1 &
  echo $! >"$dir/smtp.pid"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { log "SMTP listener on 127.0.0.1:$port (mail in $dir/maildir/new)"; return 0; }
    sleep 0.1
  done
  cat "$dir/smtp.log" >&2; die "the SMTP listener did not start"
}

# smtp_stop DIR : stops the listener of smtp_start; the mails stay in DIR/maildir.
smtp_stop() {
  local dir=$1
  [ -f "$dir/smtp.pid" ] || return 0
  kill "$(cat "$dir/smtp.pid")" 2>/dev/null || true
  rm -f "$dir/smtp.pid"
}
