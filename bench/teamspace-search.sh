#!/usr/bin/env bash
# Team-space search at scale: loads generated Dutch posts (default 100,000) into a fresh team-space database per
# provider and times SearchService (in-process, no HTTP) for a set of queries; writes docs/benchmarks-teamspace.md.
# Environment: PGO_BENCH_TEAM_POSTS (default 100000), PGO_BENCH_TEAM_ROUNDS (default 200),
#   PGO_BENCH_PROVIDERS (default "sqlite postgres").
# Never part of ./pgo test: figures come from here, never from timed assertions.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source infra/lib.sh
require_dotnet

POSTS=${PGO_BENCH_TEAM_POSTS:-100000}
ROUNDS=${PGO_BENCH_TEAM_ROUNDS:-200}
PROVIDERS=${PGO_BENCH_PROVIDERS:-sqlite postgres}
OUT="$ROOT/docs/benchmarks-teamspace.md"

log "building bench/TeamSpaceBench (Release)"
dotnet build bench/TeamSpaceBench -c Release -v quiet -nologo 2>&1 | tail -n 2

WORK=$(mktemp -d /tmp/pgo-team-bench.XXXXXX)
chmod 755 "$WORK"
cleanup() { pg_stop "$WORK/pg"; rm -rf "$WORK"; }
trap cleanup EXIT

SECTIONS="$WORK/sections.md"
: >"$SECTIONS"
for provider in $PROVIDERS; do
  if [ "$provider" = postgres ]; then
    PG_PORT=$(free_port)
    pg_start "$WORK/pg" "$PG_PORT"
    cs="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  else
    cs="$WORK/teamspace.db"
  fi
  log "$provider: loading $POSTS posts, then $ROUNDS rounds per query"
  dotnet bench/TeamSpaceBench/bin/Release/net10.0/TeamSpaceBench.dll "$provider" "$cs" "$POSTS" "$ROUNDS" "$SECTIONS"
  [ "$provider" = postgres ] && pg_stop "$WORK/pg"
done

{
  cat <<MD
# Team-space search benchmark

Written by \`bench/teamspace-search.sh\` (never by the test suite). Each provider gets a fresh team-space database
with $POSTS generated Dutch posts in one team of six channels, indexed by the real \`TeamSearch.IndexAsync\`
(1,000 posts per transaction). Every query then runs $ROUNDS times through \`SearchService.SearchAsync\`, the call
behind \`GET /api/team/teams/{id}/search\` (access decision, ranking, top 20 with snippets), in-process: HTTP is not
included. "Matching posts" is how many posts the query matches in all; ranked are all matching articles plus the
newest 2,000 matching posts (\`TeamSearch.RankWindow\`, see docs/adr/0003). The generated posts repeat a small
vocabulary, so single words match 10-36% of all posts: harder than real text. Machine: $(nproc) cores,
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), shared with other work.

SQLite: FTS5 over Snowball Dutch stems, bm25, snippets built in C# from the original text.
PostgreSQL: \`to_tsvector('dutch', ...)\` in a stored generated column with a GIN index, \`websearch_to_tsquery\`,
\`ts_rank\`, \`ts_headline\` for the 20 rows shown.

MD
  cat "$SECTIONS"
} >"$OUT"
log "results written to $OUT"
