using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Pgo.Api.TeamSpace.Data;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>What the index holds of a post or an article: plain text, and the filters beside it.</summary>
public sealed record SearchDocument(
    long TeamId, string Kind, long RefId, long? ChannelId, string AuthorKey, string Title, string Body, long UpdatedMs,
    IReadOnlyCollection<string> Tags);

/// <summary>A search as asked, with what the caller may read already decided (channels, articles).</summary>
public sealed record SearchRequest(
    long TeamId, string Query, IReadOnlyCollection<long> ReadableChannelIds, bool IncludeArticles,
    long? ChannelId = null, string? Tag = null, string? AuthorKey = null, string? Kind = null, int Limit = 20);

public sealed record SearchHit(string Kind, long RefId, long? ChannelId, string Title, string AuthorKey, long UpdatedMs, double Rank, string Snippet);

/// <summary>
/// Full-text search over posts and articles, the one place that knows both engines: PostgreSQL's
/// <c>dutch</c> configuration (websearch_to_tsquery, ts_rank, ts_headline) and SQLite FTS5 over Dutch
/// stems (bm25, snippets built from the original words). Index writes join the caller's transaction.
/// <para>
/// Ranking reads every candidate's index entry, which grows with the number of matches, not with the top 20
/// shown. So the candidates are all matching articles plus the newest <see cref="RankWindow"/> matching posts:
/// a query that matches tens of thousands of posts is ranked among the most recent of them (see
/// docs/benchmarks-teamspace.md for what that buys). On SQLite the filters (team, readable channels, tag, author,
/// kind) are tokens in the FTS5 <c>facets</c> column, so they are applied by FTS5 itself, without a join per match.
/// </para>
/// </summary>
public sealed class TeamSearch(TeamSpaceDatabase db)
{
    public const string PostKind = "post";
    public const string ArticleKind = "article";
    public const int MaxLimit = 100;

    /// <summary>How many of the newest matching posts are ranked.</summary>
    public const int RankWindow = 2000;

    public async Task IndexAsync(DbConnection conn, DbTransaction tx, SearchDocument doc)
    {
        var title = Snippets.StripMarks(doc.Title);
        var body = Snippets.StripMarks(doc.Body);
        var id = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO ts_search_doc (team_id, kind, ref_id, channel_id, author_key, title, body, updated_ms)
            VALUES (@TeamId, @Kind, @RefId, @ChannelId, @AuthorKey, @title, @body, @UpdatedMs)
            ON CONFLICT (kind, ref_id) DO UPDATE SET channel_id = excluded.channel_id, author_key = excluded.author_key,
                title = excluded.title, body = excluded.body, updated_ms = excluded.updated_ms
            RETURNING id;
            """, new { doc.TeamId, doc.Kind, doc.RefId, doc.ChannelId, doc.AuthorKey, title, body, doc.UpdatedMs }, tx);
        await conn.ExecuteAsync("DELETE FROM ts_search_tag WHERE doc_id = @id;", new { id }, tx);
        foreach (var tag in doc.Tags.Distinct())
            await conn.ExecuteAsync("INSERT INTO ts_search_tag (doc_id, tag) VALUES (@id, @tag);", new { id, tag }, tx);
        if (!db.IsPostgres)
        {
            var facets = new List<string> { Facets.Team(doc.TeamId), Facets.Kind(doc.Kind), Facets.Author(doc.AuthorKey) };
            if (doc.ChannelId is { } channel) facets.Add(Facets.Channel(channel));
            facets.AddRange(doc.Tags.Distinct().Select(Facets.Tag));
            await conn.ExecuteAsync("DELETE FROM ts_search_fts WHERE rowid = @id;", new { id }, tx);
            await conn.ExecuteAsync("INSERT INTO ts_search_fts (rowid, title, body, facets) VALUES (@id, @title, @body, @facets);",
                new { id, title = DutchText.StemmedText(title), body = DutchText.StemmedText(body), facets = string.Join(' ', facets) }, tx);
        }
    }

    public async Task RemoveAsync(DbConnection conn, DbTransaction tx, string kind, long refId)
    {
        var id = await conn.ExecuteScalarAsync<long?>("SELECT id FROM ts_search_doc WHERE kind = @kind AND ref_id = @refId;", new { kind, refId }, tx);
        if (id is null) return;
        await conn.ExecuteAsync("DELETE FROM ts_search_tag WHERE doc_id = @id;", new { id }, tx);
        if (!db.IsPostgres) await conn.ExecuteAsync("DELETE FROM ts_search_fts WHERE rowid = @id;", new { id }, tx);
        await conn.ExecuteAsync("DELETE FROM ts_search_doc WHERE id = @id;", new { id }, tx);
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var query = SearchQuery.Parse(request.Query);
        if (query.IsEmpty) return [];
        // Posts only from readable channels (and the one asked for); articles only when they may be read and no channel is asked.
        var posts = request.Kind is null or PostKind && request.ReadableChannelIds.Count > 0
            && (request.ChannelId is null || request.ReadableChannelIds.Contains(request.ChannelId.Value));
        var articles = request.Kind is null or ArticleKind && request.IncludeArticles && request.ChannelId is null;
        if (!posts && !articles) return [];
        var limit = Math.Clamp(request.Limit, 1, MaxLimit);
        return db.IsPostgres
            ? await SearchPostgresAsync(request, posts, articles, limit, ct)
            : await SearchSqliteAsync(request, query, posts, articles, limit, ct);
    }

    private sealed class HitRow
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public long RefId { get; set; }
        public long? ChannelId { get; set; }
        public string Title { get; set; } = "";
        public string Body { get; set; } = "";
        public string AuthorKey { get; set; } = "";
        public long UpdatedMs { get; set; }
        public double Rank { get; set; }
        public string? Headline { get; set; }
    }

    private async Task<IReadOnlyList<SearchHit>> SearchPostgresAsync(SearchRequest r, bool posts, bool articles, int limit, CancellationToken ct)
    {
        var args = new DynamicParameters(new { r.TeamId, Raw = r.Query, r.ChannelId, r.Tag, r.AuthorKey, Limit = limit, Window = RankWindow });
        var filters = "d.team_id = @TeamId"
            + (r.AuthorKey is null ? "" : " AND d.author_key = @AuthorKey")
            + (r.Tag is null ? "" : " AND EXISTS (SELECT 1 FROM ts_search_tag t WHERE t.doc_id = d.id AND t.tag = @Tag)");
        var channels = SqlList.In("d.channel_id", "Ch", r.ChannelId is { } only ? [only] : r.ReadableChannelIds, args);
        // The query is written out in each place rather than in a CTE: with its value visible the planner can
        // estimate how many rows match, and takes the newest posts by a backward scan of the primary key when a
        // word is common, or the GIN index when it is rare.
        const string Query = "websearch_to_tsquery('dutch', @Raw)";
        var candidates = new List<string>();
        if (posts)
            candidates.Add($"""
                (SELECT d.* FROM ts_search_doc d WHERE d.tsv @@ {Query} AND {filters} AND d.kind = '{PostKind}' AND {channels}
                 ORDER BY d.id DESC LIMIT @Window)
                """);
        if (articles)
            candidates.Add($"(SELECT d.* FROM ts_search_doc d WHERE d.tsv @@ {Query} AND {filters} AND d.kind = '{ArticleKind}')");
        // Rank the candidates, keep the top; ts_headline (which re-parses the text) only for those.
        var sql = $"""
            WITH top AS (
                SELECT c.id, c.kind, c.ref_id, c.channel_id, c.title, c.body, c.author_key, c.updated_ms, ts_rank(c.tsv, {Query}) AS rank
                FROM ({string.Join(" UNION ALL ", candidates)}) c
                ORDER BY rank DESC, c.id DESC
                LIMIT @Limit)
            SELECT top.*, ts_headline('dutch', top.body, {Query},
                   'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS headline
            FROM top
            ORDER BY top.rank DESC, top.id DESC;
            """;
        var rows = await db.ReadAsync(c => c.QueryAsync<HitRow>(new CommandDefinition(sql, args, cancellationToken: ct)), ct);
        return rows.Select(h => new SearchHit(h.Kind, h.RefId, h.ChannelId, h.Title, h.AuthorKey, h.UpdatedMs, h.Rank, Snippets.ToHtml(h.Headline ?? ""))).ToList();
    }

    private async Task<IReadOnlyList<SearchHit>> SearchSqliteAsync(SearchRequest r, SearchQuery query, bool posts, bool articles, int limit, CancellationToken ct)
    {
        // The words only in title and body; the filters as facet tokens, matched by FTS5 itself. For posts the
        // channel tokens are enough (a channel belongs to one team and holds posts only); articles carry their team.
        var words = "{title body} : " + query.ToFts5();
        var optional = (r.AuthorKey is null ? "" : Facets.Author(r.AuthorKey) + " AND ") + (r.Tag is null ? "" : Facets.Tag(r.Tag) + " AND ");
        IReadOnlyCollection<long> channels = r.ChannelId is { } only ? [only] : r.ReadableChannelIds;
        var args = new DynamicParameters(new { Limit = limit, Window = RankWindow, Words = words });
        args.Add("Posts", $"{words} AND facets : ({optional}({string.Join(" OR ", channels.Select(Facets.Channel))}))");
        args.Add("Articles", $"{words} AND facets : ({optional}{Facets.Team(r.TeamId)} AND {Facets.Kind(ArticleKind)})");

        // Two steps. First the candidates, by the filters and words, newest first, without ranking: FTS5 stops after
        // the window. Then bm25 for the candidates only, in a query over the words alone, because bm25 counts the
        // matches of every phrase in its query, and the facet tokens match nearly everything.
        // (+rowid: a plain filter, not a rowid lookup per candidate.)
        var candidates = new List<string>();
        if (posts) candidates.Add("SELECT * FROM (SELECT rowid AS id FROM ts_search_fts WHERE ts_search_fts MATCH @Posts ORDER BY rowid DESC LIMIT @Window)");
        if (articles) candidates.Add("SELECT rowid AS id FROM ts_search_fts WHERE ts_search_fts MATCH @Articles");
        // bm25: lower is better; a hit in the title weighs more than one in the body; facets weigh nothing.
        var sql = $"""
            SELECT d.id, d.kind, d.ref_id, d.channel_id, d.title, d.body, d.author_key, d.updated_ms, -c.score AS rank
            FROM (SELECT rowid AS id, bm25(ts_search_fts, 4.0, 1.0, 0.0) AS score FROM ts_search_fts
                  WHERE ts_search_fts MATCH @Words AND +rowid IN ({string.Join(" UNION ALL ", candidates)})
                  ORDER BY score, rowid DESC LIMIT @Limit) c
            JOIN ts_search_doc d ON d.id = c.id
            ORDER BY c.score, d.id DESC;
            """;
        var rows = await db.ReadAsync(c => c.QueryAsync<HitRow>(new CommandDefinition(sql, args, cancellationToken: ct)), ct);
        var stems = query.PositiveStems;
        return rows.Select(h => new SearchHit(h.Kind, h.RefId, h.ChannelId, h.Title, h.AuthorKey, h.UpdatedMs, h.Rank,
            Snippets.ToHtml(Snippets.Build(h.Body, stems)))).ToList();
    }

    /// <summary>
    /// Filter values as single FTS5 tokens (letters and digits only, so unicode61 keeps each whole): ids as they
    /// are, free text (tags, member keys) as a short hash.
    /// </summary>
    private static class Facets
    {
        public static string Team(long id) => "team" + id;
        public static string Channel(long id) => "ch" + id;
        public static string Kind(string kind) => "kind" + kind;
        public static string Tag(string tag) => "tag" + Hash(tag);
        public static string Author(string key) => "au" + Hash(key);

        private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 10));
    }
}
