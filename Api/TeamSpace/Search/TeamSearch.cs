using System.Data.Common;
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
/// </summary>
public sealed class TeamSearch(TeamSpaceDatabase db)
{
    public const string PostKind = "post";
    public const string ArticleKind = "article";
    public const int MaxLimit = 100;

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
            await conn.ExecuteAsync("DELETE FROM ts_search_fts WHERE rowid = @id;", new { id }, tx);
            await conn.ExecuteAsync("INSERT INTO ts_search_fts (rowid, title, body) VALUES (@id, @title, @body);",
                new { id, title = DutchText.StemmedText(title), body = DutchText.StemmedText(body) }, tx);
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
        var limit = Math.Clamp(request.Limit, 1, MaxLimit);
        var args = new DynamicParameters(new
        {
            request.TeamId,
            request.ChannelId,
            request.Tag,
            request.AuthorKey,
            request.Kind,
            Limit = limit,
        });
        var filter = Filter(request, args);
        return db.IsPostgres
            ? await SearchPostgresAsync(request.Query, filter, args, ct)
            : await SearchSqliteAsync(query, filter, args, ct);
    }

    // Access first (team, readable channels, articles only for those who may read them), then the filters asked for.
    private static string Filter(SearchRequest r, DynamicParameters args)
    {
        var channels = SqlList.In("d.channel_id", "Ch", r.ReadableChannelIds, args);
        var readable = r.IncludeArticles
            ? $"(d.kind = '{ArticleKind}' OR (d.kind = '{PostKind}' AND {channels}))"
            : $"(d.kind = '{PostKind}' AND {channels})";
        var sql = $"d.team_id = @TeamId AND {readable}";
        if (r.ChannelId is not null) sql += " AND d.channel_id = @ChannelId";
        if (r.Kind is not null) sql += " AND d.kind = @Kind";
        if (r.AuthorKey is not null) sql += " AND d.author_key = @AuthorKey";
        if (r.Tag is not null) sql += " AND EXISTS (SELECT 1 FROM ts_search_tag t WHERE t.doc_id = d.id AND t.tag = @Tag)";
        return sql;
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

    private async Task<IReadOnlyList<SearchHit>> SearchPostgresAsync(string raw, string filter, DynamicParameters args, CancellationToken ct)
    {
        args.Add("Raw", raw);
        // Rank and limit first; ts_headline (which re-parses the text) only for the rows shown.
        var sql = $"""
            WITH q AS (SELECT websearch_to_tsquery('dutch', @Raw) AS query),
            top AS (
                SELECT d.id, d.kind, d.ref_id, d.channel_id, d.title, d.body, d.author_key, d.updated_ms,
                       ts_rank(d.tsv, q.query) AS rank
                FROM ts_search_doc d, q
                WHERE d.tsv @@ q.query AND {filter}
                ORDER BY rank DESC, d.id DESC
                LIMIT @Limit)
            SELECT top.*, ts_headline('dutch', top.body, q.query,
                   'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS headline
            FROM top, q
            ORDER BY top.rank DESC, top.id DESC;
            """;
        var rows = await db.ReadAsync(c => c.QueryAsync<HitRow>(new CommandDefinition(sql, args, cancellationToken: ct)), ct);
        return rows.Select(r => new SearchHit(r.Kind, r.RefId, r.ChannelId, r.Title, r.AuthorKey, r.UpdatedMs, r.Rank, Snippets.ToHtml(r.Headline ?? ""))).ToList();
    }

    private async Task<IReadOnlyList<SearchHit>> SearchSqliteAsync(SearchQuery query, string filter, DynamicParameters args, CancellationToken ct)
    {
        args.Add("Match", query.ToFts5());
        // bm25: lower is better; a hit in the title weighs more than one in the body.
        var sql = $"""
            SELECT d.id, d.kind, d.ref_id, d.channel_id, d.title, d.body, d.author_key, d.updated_ms,
                   -bm25(ts_search_fts, 4.0, 1.0) AS rank
            FROM ts_search_fts JOIN ts_search_doc d ON d.id = ts_search_fts.rowid
            WHERE ts_search_fts MATCH @Match AND {filter}
            ORDER BY bm25(ts_search_fts, 4.0, 1.0), d.id DESC
            LIMIT @Limit;
            """;
        var rows = await db.ReadAsync(c => c.QueryAsync<HitRow>(new CommandDefinition(sql, args, cancellationToken: ct)), ct);
        var stems = query.PositiveStems;
        return rows.Select(r => new SearchHit(r.Kind, r.RefId, r.ChannelId, r.Title, r.AuthorKey, r.UpdatedMs, r.Rank,
            Snippets.ToHtml(Snippets.Build(r.Body, stems)))).ToList();
    }
}
