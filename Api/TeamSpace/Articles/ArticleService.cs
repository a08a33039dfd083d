using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Safety;
using Pgo.Api.TeamSpace.Search;
using Pgo.Api.TeamSpace.Teams;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;
using Pgo.Shared.Text;
using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Articles;

/// <summary>
/// The kennisbank: Markdown articles edited by several people. Every edit is a new version (the old ones
/// stay, with a line diff between any two); an edit names the version it started from, so no edit is lost
/// silently. Tags, a category, a "laatst gecontroleerd" date, and links written as [[slug]] or [[slug|tekst]].
/// </summary>
public sealed partial class ArticleService(
    TeamSpaceDatabase db, TeamSearch search, DeidentificationGuard guard, MarkdownRenderer markdown, PostService posts, TeamDirectory directory,
    TimeProvider clock)
{
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<Outcome<IReadOnlyList<ArticleSummary>>> ListAsync(TeamAccess access, string? tag, string? category, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadArticles) is { } refused) return refused;
        var normalizedTag = TeamInput.NormalizeTag(tag);
        if (tag is not null && normalizedTag is null) return Outcome.Of<IReadOnlyList<ArticleSummary>>([]);
        var articles = (await db.ReadAsync(c => c.QueryAsync<ArticleRow>("""
            SELECT * FROM ts_article a WHERE a.team_id = @TeamId
              AND (@category IS NULL OR a.category = @category)
              AND (@tag IS NULL OR EXISTS (SELECT 1 FROM ts_article_tag t WHERE t.article_id = a.id AND t.tag = @tag))
            ORDER BY a.title;
            """, new { access.TeamId, tag = normalizedTag, category }), ct)).ToList();
        var tags = await TagsAsync(articles.Select(a => a.Id), ct);
        return Outcome.Of<IReadOnlyList<ArticleSummary>>(articles.Select(a => new ArticleSummary(a.Id, a.Slug, a.Title, a.Category,
            tags[a.Id].ToList(), (int)a.Version, PostViews.FromMs(a.UpdatedMs), a.LastReviewedMs is { } r ? PostViews.FromMs(r) : null)).ToList());
    }

    public async Task<Outcome<ArticleView>> GetAsync(TeamAccess access, string slug, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadArticles) is { } refused) return refused;
        var article = await LoadAsync(access.TeamId, slug, ct);
        return article is null ? ArticleNotFound() : await ViewAsync(article, ct);
    }

    public async Task<Outcome<ArticleView>> CreateAsync(TeamAccess access, WriteArticleRequest request, CancellationToken ct)
    {
        // The channel an article is written for must be one the author reads (a channel of another team, or one closed to
        // them, is "not found").
        if (request.ChannelId is { } channelId && Check(access, TeamOperation.WriteArticles) is null
            && (await directory.ChannelAsync(access.TeamId, channelId, ct) is null || !Can(access, TeamOperation.ReadChannel, channelId)))
            return TeamError.NotFound(ApiText.TeamChannelHidden);
        return await WriteAsync(access, null, request, sourcePostId: null, request.ChannelId, ct);
    }

    public async Task<Outcome<ArticleView>> EditAsync(TeamAccess access, string slug, WriteArticleRequest request, CancellationToken ct)
    {
        if (Check(access, TeamOperation.WriteArticles) is { } refused) return refused;
        var article = await LoadAsync(access.TeamId, slug, ct);
        if (article is null) return ArticleNotFound();
        return await WriteAsync(access, article, request, sourcePostId: null, channelId: null, ct);
    }

    /// <summary>One step from a useful post to a durable article: the post's text becomes version 1, linked to its source.</summary>
    public async Task<Outcome<ArticleView>> PromoteAsync(TeamAccess access, long postId, PromoteRequest request, CancellationToken ct)
    {
        var post = await posts.LoadAsync(access.TeamId, postId, ct);
        if (post is null || !Can(access, TeamOperation.ReadChannel, post.ChannelId))
            return Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamPostHidden);
        if (post.DeletedMs is not null) return TeamError.Conflict(ApiText.TeamPostDeleted);
        var tags = (request.Tags ?? []).Concat(PostViews.HashTags(post.Body)).ToList();
        return await WriteAsync(access, null, new WriteArticleRequest(request.Title, post.Body, request.Category, tags, request.Slug,
            "Gemaakt van een bericht in de teamruimte", null, request.Confirmed), post.Id, post.ChannelId, ct);
    }

    public async Task<Outcome<IReadOnlyList<ArticleVersionView>>> VersionsAsync(TeamAccess access, string slug, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadArticles) is { } refused) return refused;
        var article = await LoadAsync(access.TeamId, slug, ct);
        if (article is null) return ArticleNotFound();
        var rows = await db.ReadAsync(c => c.QueryAsync<ArticleVersionRow>(
            "SELECT * FROM ts_article_version WHERE article_id = @Id ORDER BY version DESC;", new { article.Id }), ct);
        return Outcome.Of<IReadOnlyList<ArticleVersionView>>(rows.Select(VersionView).ToList());
    }

    public async Task<Outcome<ArticleVersionView>> VersionAsync(TeamAccess access, string slug, int version, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadArticles) is { } refused) return refused;
        var article = await LoadAsync(access.TeamId, slug, ct);
        if (article is null) return ArticleNotFound();
        var row = await LoadVersionAsync(article.Id, version, ct);
        return row is null ? TeamError.NotFound(ApiProblem.Text(ApiText.TeamVersionNotFound, version)) : VersionView(row);
    }

    public async Task<Outcome<ArticleDiff>> DiffAsync(TeamAccess access, string slug, int? from, int? to, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadArticles) is { } refused) return refused;
        var article = await LoadAsync(access.TeamId, slug, ct);
        if (article is null) return ArticleNotFound();
        var toVersion = to ?? (int)article.Version;
        var fromVersion = from ?? toVersion - 1;
        var a = await LoadVersionAsync(article.Id, fromVersion, ct);
        var b = await LoadVersionAsync(article.Id, toVersion, ct);
        if (a is null || b is null) return TeamError.NotFound(ApiProblem.Text(ApiText.TeamVersionNotFound, a is null ? fromVersion : toVersion));
        var lines = LineDiff.Compute(a.Body, b.Body);
        return new ArticleDiff(fromVersion, toVersion, a.Title == b.Title ? null : a.Title, a.Title == b.Title ? null : b.Title,
            lines.Count(l => l.Op == '+'), lines.Count(l => l.Op == '-'), lines);
    }

    /// <summary>"Laatst gecontroleerd": a coach or expert confirms the article is still correct today.</summary>
    public async Task<Outcome<ArticleView>> ReviewAsync(TeamAccess access, string slug, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadArticles) is { } cannotRead) return cannotRead;
        var article = await LoadAsync(access.TeamId, slug, ct);
        if (article is null) return ArticleNotFound();
        if (Check(access, TeamOperation.ReviewArticle) is { } refused) return refused;
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE ts_article SET last_reviewed_ms = @now, last_reviewed_by = @Name WHERE id = @Id;",
            new { now = Now, access.Caller.Name, article.Id }, tx), ct);
        return await ViewAsync((await LoadAsync(access.TeamId, slug, ct))!, ct);
    }

    private async Task<Outcome<ArticleView>> WriteAsync(TeamAccess access, ArticleRow? existing, WriteArticleRequest request, long? sourcePostId,
        long? channelId, CancellationToken ct)
    {
        if (Check(access, TeamOperation.WriteArticles) is { } refused) return refused;
        var input = new TeamInput();
        var title = input.Text("title", request.Title, TeamInput.MaxTitleLength);
        var body = input.Text("body", request.Body, TeamInput.MaxArticleLength, multiline: true);
        var category = input.Text("category", string.IsNullOrWhiteSpace(request.Category) ? existing?.Category ?? "Algemeen" : request.Category, 60);
        var tags = input.Tags("tags", request.Tags);
        var note = input.Text("note", request.Note, 300, required: false);
        var slug = existing?.Slug ?? input.Slug("slug", request.Slug, title);
        if (existing is not null && request.BaseVersion is null) input.Fail("baseVersion", ApiText.TeamBaseVersionMissing);
        if (!input.IsValid) return input.Error();

        if (existing is not null && request.BaseVersion != existing.Version)
        {
            var current = await ViewAsync(existing, ct);
            return TeamError.Conflict(ApiProblem.Text(ApiText.TeamArticleChangedVersion, existing.Version),
                new Dictionary<string, object?> { ["currentVersion"] = existing.Version, ["current"] = current });
        }
        if (existing is not null && await IsUnchangedAsync(existing, title, body, category, tags, ct)) return await ViewAsync(existing, ct);

        var (guardRefusal, confirmed) = await guard.ReviewAsync(access.TeamId, access.Caller.Key, [("title", title), ("body", body), ("note", note)], request.Confirmed, ct);
        if (guardRefusal is not null) return guardRefusal;

        // A new article in a channel: its followers who may read the kennisbank and that channel are told (not the author).
        var followers = existing is null && channelId is { } followed ? await FollowersToTellAsync(access, followed, ct) : [];
        var now = Now;
        var caller = access.Caller;
        try
        {
            await db.WriteAsync(async (c, tx) =>
            {
                long id, version;
                if (existing is null)
                {
                    version = 1;
                    id = await c.ExecuteScalarAsync<long>("""
                        INSERT INTO ts_article (team_id, slug, title, category, version, created_by, created_ms, updated_ms, source_post_id, channel_id)
                        VALUES (@TeamId, @slug, @title, @category, 1, @Key, @now, @now, @sourcePostId, @channelId) RETURNING id;
                        """, new { access.TeamId, slug, title, category, caller.Key, now, sourcePostId, channelId }, tx);
                    await TeamNotifications.AddAsync(c, tx, db.IsPostgres, access.TeamId, TeamNotifications.Article, null, id, caller, followers, now);
                }
                else
                {
                    id = existing.Id;
                    version = existing.Version + 1;
                    // The version check again, inside the transaction: two edits of the same base cannot both win.
                    var updated = await c.ExecuteAsync("""
                        UPDATE ts_article SET title = @title, category = @category, version = @version, updated_ms = @now
                        WHERE id = @id AND version = @baseVersion;
                        """, new { title, category, version, now, id, baseVersion = existing.Version }, tx);
                    if (updated != 1) throw new TeamRefusal(TeamError.Conflict(ApiText.TeamArticleChanged));
                }
                await c.ExecuteAsync("""
                    INSERT INTO ts_article_version (article_id, version, title, category, body, note, author_key, author_name, created_ms, confirmed_findings)
                    VALUES (@id, @version, @title, @category, @body, @note, @Key, @Name, @now, @confirmed);
                    """, new { id, version, title, category, body, note, caller.Key, caller.Name, now, confirmed }, tx);
                await c.ExecuteAsync("DELETE FROM ts_article_tag WHERE article_id = @id;", new { id }, tx);
                foreach (var tag in tags) await c.ExecuteAsync("INSERT INTO ts_article_tag (article_id, tag) VALUES (@id, @tag);", new { id, tag }, tx);
                await WriteLinksAsync(c, tx, access.TeamId, id, body);
                await search.IndexAsync(c, tx, new SearchDocument(access.TeamId, TeamSearch.ArticleKind, id, null, existing?.CreatedBy ?? caller.Key,
                    title, MarkdownRenderer.ToPlainText(body), now, tags));
            }, ct);
        }
        catch (Exception e) when (TeamSpaceDatabase.IsUniqueViolation(e))
        {
            return TeamError.Conflict(ApiProblem.Text(ApiText.TeamArticleSlugTaken, slug));
        }
        return await ViewAsync((await LoadAsync(access.TeamId, slug, ct))!, ct);
    }

    private async Task<IReadOnlyList<string>> FollowersToTellAsync(TeamAccess access, long channelId, CancellationToken ct)
    {
        var result = new List<string>();
        foreach (var m in await directory.FollowersAsync(access.TeamId, channelId, ct))
        {
            if (m.MemberKey == access.Caller.Key) continue;
            var guestChannels = m.Role == TeamRoles.Guest ? await directory.GuestChannelsAsync(access.TeamId, m.MemberKey, ct) : new HashSet<long>();
            var theirs = new TeamAccess(new TeamCaller(m.MemberKey, "", m.DisplayName, []), access.TeamId, m, guestChannels);
            if (Can(theirs, TeamOperation.ReadArticles) && Can(theirs, TeamOperation.ReadChannel, channelId)) result.Add(m.MemberKey);
        }
        return result;
    }

    private async Task<bool> IsUnchangedAsync(ArticleRow a, string title, string body, string category, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var current = await LoadVersionAsync(a.Id, (int)a.Version, ct);
        var currentTags = (await TagsAsync([a.Id], ct))[a.Id].Order().ToList();
        return current is not null && current.Title == title && current.Body == body && current.Category == category && currentTags.SequenceEqual(tags.Order());
    }

    /// <summary>The [[slug]] links of the body, each to an article of the same team; an unknown slug refuses the write.</summary>
    private static async Task WriteLinksAsync(DbConnection c, DbTransaction tx, long teamId, long id, string body)
    {
        await c.ExecuteAsync("DELETE FROM ts_article_link WHERE from_id = @id;", new { id }, tx);
        var slugs = WikiLink().Matches(body).Select(m => m.Groups[1].Value).Distinct().ToList();
        if (slugs.Count == 0) return;
        var found = (await c.QueryAsync<(long Id, string Slug)>(
            "SELECT id, slug FROM ts_article WHERE team_id = @teamId;", new { teamId }, tx)).Where(a => slugs.Contains(a.Slug)).ToList();
        var missing = slugs.Except(found.Select(f => f.Slug)).ToList();
        if (missing.Count > 0)
            throw new TeamRefusal(new TeamError(422, ApiText.TeamUnknownLinkTitle, ApiProblem.Text(ApiText.TeamUnknownLink, string.Join(", ", missing.Select(m => $"[[{m}]]")))));
        foreach (var to in found.Where(f => f.Id != id))
            await c.ExecuteAsync("INSERT INTO ts_article_link (from_id, to_id) VALUES (@id, @toId);", new { id, toId = to.Id }, tx);
    }

    private async Task<ArticleView> ViewAsync(ArticleRow a, CancellationToken ct)
    {
        var version = (await LoadVersionAsync(a.Id, (int)a.Version, ct))!;
        var tags = (await TagsAsync([a.Id], ct))[a.Id].ToList();
        var (links, backlinks) = await db.ReadAsync(async c => (
            (await c.QueryAsync<ArticleLinkView>("SELECT t.slug, t.title FROM ts_article_link l JOIN ts_article t ON t.id = l.to_id WHERE l.from_id = @Id ORDER BY t.title;", new { a.Id })).ToList(),
            (await c.QueryAsync<ArticleLinkView>("SELECT f.slug, f.title FROM ts_article_link l JOIN ts_article f ON f.id = l.from_id WHERE l.to_id = @Id ORDER BY f.title;", new { a.Id })).ToList()), ct);
        var html = markdown.ToHtml(WikiLink().Replace(version.Body, m =>
            $"[{(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value)}](/team/{a.TeamId}/kennisbank/{m.Groups[1].Value})"));
        return new ArticleView(a.Id, a.TeamId, a.Slug, a.Title, a.Category, tags, version.Body, html, (int)a.Version,
            new PersonRef(version.AuthorKey, version.AuthorName), PostViews.FromMs(a.CreatedMs), PostViews.FromMs(a.UpdatedMs),
            a.LastReviewedMs is { } r ? PostViews.FromMs(r) : null, a.LastReviewedBy, a.SourcePostId, links, backlinks,
            version.ConfirmedFindings is { Length: > 0 } f ? f.Split(',') : []);
    }

    private Task<ArticleRow?> LoadAsync(long teamId, string slug, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ArticleRow>("SELECT * FROM ts_article WHERE team_id = @teamId AND slug = @slug;", new { teamId, slug }), ct);

    private Task<ArticleVersionRow?> LoadVersionAsync(long articleId, int version, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ArticleVersionRow>(
            "SELECT * FROM ts_article_version WHERE article_id = @articleId AND version = @version;", new { articleId, version }), ct);

    private async Task<ILookup<long, string>> TagsAsync(IEnumerable<long> articleIds, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var ids = SqlList.In("article_id", "A", articleIds, args);
        return (await db.ReadAsync(c => c.QueryAsync<(long ArticleId, string Tag)>($"SELECT article_id, tag FROM ts_article_tag WHERE {ids} ORDER BY tag;", args), ct))
            .ToLookup(t => t.ArticleId, t => t.Tag);
    }

    private static ArticleVersionView VersionView(ArticleVersionRow r) =>
        new((int)r.Version, r.Title, r.Category, new PersonRef(r.AuthorKey, r.AuthorName), PostViews.FromMs(r.CreatedMs), r.Note, r.Body);

    private static TeamError ArticleNotFound() => TeamError.NotFound(ApiText.TeamArticleNotFound);


    [GeneratedRegex(@"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)(?:\|([^\]\n]{1,100}))?\]\]", RegexOptions.CultureInvariant)]
    private static partial Regex WikiLink();
}
