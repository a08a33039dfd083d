#!/usr/bin/env bash
# ./pgo cluster (or ./pgo up --cluster): the platform scaled out on one machine, as ARCHITECTURE.md "Beyond one machine"
# describes it. On loopback: PostgreSQL, Redis (the SignalR backplane) and Azurite, two Api, two Identity and two Portal
# processes (Release builds, demo data loaded once, by the first Api), and nginx (apt) in front with one public port per
# app. Every instance shares its keys: Identity's token and data-protection keys in its PostgreSQL database
# (Pgo:Keys:Store=Database), the Portal's data-protection keys in blob storage (Pgo:DataProtectionBlobs); see
# docs/adr/0014-cluster.md. Everything is throw-away: it lives in a temporary work folder. Ctrl-C stops everything.
#
#   --no-build                   use the Release builds that are there (the cluster test builds first)
#   PGO_CLUSTER_PORTAL_PORT      public Portal port (default 5100), likewise PGO_CLUSTER_API_PORT (5200) and
#                                PGO_CLUSTER_IDENTITY_PORT (5300)
#   PGO_CLUSTER_WORK             the work folder (default: a new /tmp/pgo-cluster.XXXXXX); logs in WORK/logs, the
#                                instances' pids and ports in WORK/pids/<name>.pid and .port (api1, api2, identity1, ...)
# When everything answers, one line on stdout starts with "PGO_CLUSTER_READY" (tests/Pgo.Api.Tests/Cluster waits for it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet
apt_ensure nginx

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build="" ;;
    --cluster) ;; # from ./pgo up --cluster
    *) die "unknown option $arg (see infra/cluster.sh)" ;;
  esac
done

HOST=127.0.0.1
PORTAL_PORT=${PGO_CLUSTER_PORTAL_PORT:-5100}
API_PORT=${PGO_CLUSTER_API_PORT:-5200}
IDENTITY_PORT=${PGO_CLUSTER_IDENTITY_PORT:-5300}
WORK=${PGO_CLUSTER_WORK:-$(mktemp -d /tmp/pgo-cluster.XXXXXX)}
mkdir -p "$WORK/logs" "$WORK/pids" "$WORK/nginx/tmp" "$WORK/data/api" "$WORK/data/identity"
chmod 755 "$WORK" # PostgreSQL runs as 'postgres' under root and must reach its folder inside

if [ -n "$build" ]; then
  log "building (Release)"
  dotnet build Pgo.sln -c Release -v quiet -nologo 2>&1 | tail -n 3
fi

pids=()
nginx_pid=""
stop_all() {
  local status=$?
  trap - INT TERM EXIT
  log "stopping the cluster"
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}" $nginx_pid; do wait "$p" 2>/dev/null || true; done
  azurite_stop "$WORK/azurite"
  redis_stop "$WORK/redis"
  pg_stop "$WORK/pg"
  log "logs kept in $WORK/logs"
  exit "$status"
}
trap stop_all INT TERM EXIT

# Shared services, each on a free loopback port, the same helpers as ./pgo test.
PG_PORT=$(free_port)
pg_start "$WORK/pg" "$PG_PORT"
for db in pgo_fhir pgo_teamspace pgo_identity; do
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE $db" >/dev/null
done
pg() { printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=%s;Maximum Pool Size=30' "$PG_PORT" "$1"; }
REDIS_PORT=$(free_port)
redis_start "$WORK/redis" "$REDIS_PORT"
AZURITE_PORT=$(free_port)
azurite_start "$WORK/azurite" "$AZURITE_PORT" --memory
BLOBS=$(azurite_connection_string "$AZURITE_PORT")

PORTAL_URL="http://$HOST:$PORTAL_PORT" API_URL="http://$HOST:$API_PORT" IDENTITY_URL="http://$HOST:$IDENTITY_PORT"
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development} Logging__LogLevel__Default=Warning

declare -A port_of
# start NAME PROJECT [VAR=VALUE...]: one instance on a free port, its pid in WORK/pids/NAME.pid.
start() {
  local name=$1 proj=$2; shift 2
  local port; port=$(free_port)
  port_of[$name]=$port
  env "$@" dotnet "$proj/bin/Release/net10.0/Pgo.$proj.dll" --urls "http://$HOST:$port" --contentRoot "$ROOT/$proj" \
    >"$WORK/logs/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$WORK/pids/$name.pid"
  echo "$port" >"$WORK/pids/$name.port"
}
wait_for() { # name: its /health answers, or the script stops with its log
  local name=$1 i
  for i in $(seq 1 600); do
    curl -fsS -o /dev/null "http://$HOST:${port_of[$name]}/health" 2>/dev/null && return 0
    kill -0 "$(cat "$WORK/pids/$name.pid")" 2>/dev/null || { tail -n 30 "$WORK/logs/$name.log" >&2; die "$name stopped while starting"; }
    sleep 0.2
  done
  tail -n 30 "$WORK/logs/$name.log" >&2; die "$name did not start"
}

identity=(ConnectionStrings__Identity="$(pg pgo_identity)" Pgo__Cluster__Enabled=true Pgo__Keys__Store=Database
  Pgo__Issuer="$IDENTITY_URL" Pgo__Clients__Portal__BaseUrl="$PORTAL_URL" Pgo__DataDirectory="$WORK/data/identity")
api=(ConnectionStrings__Fhir="$(pg pgo_fhir)" ConnectionStrings__TeamSpace="$(pg pgo_teamspace)" SignalR__Redis="127.0.0.1:$REDIS_PORT"
  Storage__Blobs="$BLOBS" Pgo__Identity__Authority="$IDENTITY_URL" Pgo__DataDirectory="$WORK/data/api"
  Pgo__Invitations__ClientSecret=development-only-system-secret Pgo__Cluster__Enabled=true)
portal=(Pgo__Authority="$IDENTITY_URL" Pgo__ApiUrl="$API_URL" Pgo__Cluster__Enabled=true Pgo__DataProtectionBlobs="$BLOBS")

# First of each: migrates the databases, creates the shared keys, loads the demo data (once). Then the second ones,
# which find all of it there.
log "starting the first instances"
start identity1 Identity "${identity[@]}"
start api1 Api "${api[@]}" Pgo__LoadDemoData=true
start portal1 Portal "${portal[@]}"
# Each second instance starts as soon as its first one answers (the first Api, loading the demo data, is the slowest).
wait_for identity1; start identity2 Identity "${identity[@]}"
wait_for portal1; start portal2 Portal "${portal[@]}"
wait_for api1; start api2 Api "${api[@]}" Pgo__LoadDemoData=false
log "second instances started"
wait_for identity2; wait_for portal2; wait_for api2

# nginx as the current user with its own prefix and configuration: no system file is read or written.
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user $(id -un);" # as root, workers would otherwise switch to 'nobody'
cat >"$WORK/nginx/nginx.conf" <<NGINX
$user_line
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log $WORK/logs/nginx-access.log;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  client_max_body_size 30m;  # the Api's upload limit is 25 MB (Files:MaxUploadBytes)

  # WebSockets (the Portal's Blazor circuit, the Api's SignalR hubs): pass Upgrade on, keep the connection open.
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  proxy_http_version 1.1;
  proxy_set_header Upgrade \$http_upgrade;
  proxy_set_header Connection \$connection_upgrade;
  proxy_set_header Host \$http_host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  proxy_read_timeout 1h;
  proxy_send_timeout 1h;
  proxy_buffering off;

  # Portal sessions are sticky: a Blazor Server circuit lives in one process. nginx OSS has no 'sticky cookie', so
  # nginx sets its own cookie pgo_node to the first request's id and hashes on it ('hash ... consistent'). The first
  # request (no cookie yet) hashes on that same id, so it lands where every later request with the cookie will. The
  # client's address would not do: on loopback (and behind another proxy) every person has the same one. If that
  # instance dies, the hash moves the person to the other one; the Blazor page reconnects and the shared
  # data-protection keys keep them signed in.
  map \$cookie_pgo_node \$portal_node { '' \$request_id; default \$cookie_pgo_node; }
  map \$cookie_pgo_node \$portal_node_cookie { '' "pgo_node=\$request_id; Path=/; HttpOnly; SameSite=Lax"; default ''; }
  upstream portal {
    hash \$portal_node consistent;
    server $HOST:${port_of[portal1]} max_fails=1 fail_timeout=5s;
    server $HOST:${port_of[portal2]} max_fails=1 fail_timeout=5s;
  }
  # Api and Identity are stateless: round robin. Hub clients connect by WebSocket without negotiating first
  # (Portal/Live/ApiHub.cs), so no stickiness is needed; SignalR's Redis backplane carries messages between instances.
  # A request that could not be sent (instance gone) goes to the other; a POST already sent is not repeated.
  upstream api {
    server $HOST:${port_of[api1]} max_fails=1 fail_timeout=5s;
    server $HOST:${port_of[api2]} max_fails=1 fail_timeout=5s;
  }
  upstream identity {
    server $HOST:${port_of[identity1]} max_fails=1 fail_timeout=5s;
    server $HOST:${port_of[identity2]} max_fails=1 fail_timeout=5s;
  }
  server {
    listen $HOST:$PORTAL_PORT;
    location / { proxy_pass http://portal; add_header Set-Cookie \$portal_node_cookie always; }
  }
  server {
    listen $HOST:$API_PORT;
    location / { proxy_pass http://api; }
  }
  server {
    listen $HOST:$IDENTITY_PORT;
    location / { proxy_pass http://identity; }
  }
}
NGINX
nginx -t -q -p "$WORK/nginx" -e "$WORK/logs/nginx-error.log" -c "$WORK/nginx/nginx.conf" || die "nginx refused its configuration ($WORK/nginx/nginx.conf)"
nginx -p "$WORK/nginx" -e "$WORK/logs/nginx-error.log" -c "$WORK/nginx/nginx.conf" &
nginx_pid=$!
echo "$nginx_pid" >"$WORK/pids/nginx.pid"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$API_URL/health" 2>/dev/null && curl -fsS -o /dev/null "$IDENTITY_URL/health" 2>/dev/null \
    && curl -fsS -o /dev/null "$PORTAL_URL/health" 2>/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || die "nginx stopped; see $WORK/logs/nginx-error.log"
  sleep 0.1
done

cat >&2 <<MSG

  PGO-cluster draait (stoppen met Ctrl-C): nginx voor twee exemplaren van elke app
    Portal    $PORTAL_URL
    Api       $API_URL        FHIR: $API_URL/fhir/metadata
    Identity  $IDENTITY_URL
  Logs: $WORK/logs/

MSG
echo "PGO_CLUSTER_READY portal=$PORTAL_URL api=$API_URL identity=$IDENTITY_URL work=$WORK"
# The cluster lives as long as nginx does: one instance stopping (or being killed) is what it is built to survive.
while kill -0 "$nginx_pid" 2>/dev/null; do wait "$nginx_pid" || true; done
die "nginx stopped; see $WORK/logs/nginx-error.log"
