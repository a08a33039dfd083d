using System.Net;
using System.Text.Json;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>One version of a kennisbank article as <c>GET .../articles/{slug}/versions</c> lists it (the Api's ArticleVersionView).</summary>
public sealed record ArticleVersionItem(int Version, string Title, string Category, PersonRef Author, DateTimeOffset CreatedAt, string Note, string Body);

/// <summary>One line of a diff: <see cref="Op"/> '+' added, '-' removed, ' ' the same (the Api's LineDiff).</summary>
public sealed record ArticleDiffLine(char Op, int? OldLine, int? NewLine, string Text);

/// <summary>The lines between two versions (<c>GET .../diff?from=&amp;to=</c>).</summary>
public sealed record ArticleDiffView(int From, int To, string? OldTitle, string? NewTitle, int Added, int Removed, IReadOnlyList<ArticleDiffLine> Lines);

/// <summary>What saving an article came to: saved (<see cref="Article"/>), held by the guard (<see cref="Findings"/>: nothing
/// saved until the writer confirms), or changed by someone else in between (<see cref="Current"/>: the article as it is now).</summary>
public sealed record ArticleSave(ArticleView? Article, IReadOnlyList<GuardFinding> Findings, ArticleView? Current = null);

/// <summary>The form of an article: what <c>POST/PUT .../articles</c> take.</summary>
public sealed record ArticleDraft(string Title, string Body, string? Category, IReadOnlyList<string> Tags, string? Note);

/// <summary>The kennisbank of the team space (/api/team/teams/{t}/articles, Api/TeamSpace/Articles): list, read, write with
/// versions and a diff, review requests and approval, and promoting a post.</summary>
public sealed class KennisbankClient(PgoApi api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Base(long teamId) => $"api/team/teams/{teamId}/articles";

    public async Task<IReadOnlyList<ArticleSummary>> ArticlesAsync(long teamId, string? tag = null, string? category = null, CancellationToken cancel = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(tag)) query.Add("tag=" + PgoApi.Esc(tag));
        if (!string.IsNullOrEmpty(category)) query.Add("category=" + PgoApi.Esc(category));
        return await api.GetJsonAsync<List<ArticleSummary>>(Base(teamId) + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancel);
    }

    public Task<ArticleView> ArticleAsync(long teamId, string slug, CancellationToken cancel = default) =>
        api.GetJsonAsync<ArticleView>($"{Base(teamId)}/{PgoApi.Esc(slug)}", cancel);

    public async Task<IReadOnlyList<ArticleVersionItem>> VersionsAsync(long teamId, string slug, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<ArticleVersionItem>>($"{Base(teamId)}/{PgoApi.Esc(slug)}/versions", cancel);

    public Task<ArticleDiffView> DiffAsync(long teamId, string slug, int from, int to, CancellationToken cancel = default) =>
        api.GetJsonAsync<ArticleDiffView>($"{Base(teamId)}/{PgoApi.Esc(slug)}/diff?from={from}&to={to}", cancel);

    /// <summary>A new article (<paramref name="baseVersion"/> null) or a new version of <paramref name="slug"/>.</summary>
    public Task<ArticleSave> SaveAsync(long teamId, string? slug, int? baseVersion, ArticleDraft draft, bool confirmed, CancellationToken cancel = default) =>
        SaveAsync(() => slug is null
            ? api.SendJsonAsync<ArticleView>(HttpMethod.Post, Base(teamId),
                new { title = draft.Title, body = draft.Body, category = draft.Category, tags = draft.Tags, note = draft.Note, confirmed }, cancel)
            : api.SendJsonAsync<ArticleView>(HttpMethod.Put, $"{Base(teamId)}/{PgoApi.Esc(slug)}",
                new { title = draft.Title, body = draft.Body, category = draft.Category, tags = draft.Tags, note = draft.Note, baseVersion, confirmed }, cancel));

    /// <summary>A post becomes version 1 of a new article, linked to it (<c>POST .../posts/{p}/promote</c>).</summary>
    public Task<ArticleSave> PromoteAsync(long teamId, long postId, ArticleDraft draft, bool confirmed, CancellationToken cancel = default) =>
        SaveAsync(() => api.SendJsonAsync<ArticleView>(HttpMethod.Post, $"api/team/teams/{teamId}/posts/{postId}/promote",
            new { title = draft.Title, category = draft.Category, tags = draft.Tags, confirmed }, cancel));

    /// <summary>"Vraag om controle": the team's coaches and experts are told.</summary>
    public Task<ArticleView> RequestReviewAsync(long teamId, string slug, string? note, CancellationToken cancel = default) =>
        api.SendJsonAsync<ArticleView>(HttpMethod.Post, $"{Base(teamId)}/{PgoApi.Esc(slug)}/review-request", new { note }, cancel);

    /// <summary>"Goedkeuren" (coach or expert): the article is checked today; a review request ends.</summary>
    public Task<ArticleView> ReviewAsync(long teamId, string slug, CancellationToken cancel = default) =>
        api.SendJsonAsync<ArticleView>(HttpMethod.Post, $"{Base(teamId)}/{PgoApi.Esc(slug)}/review", new { }, cancel);

    /// <summary>The kennisbank's articles that match <paramref name="query"/> (Dutch word forms: "aanvraag" finds "aanvragen").</summary>
    public async Task<IReadOnlyList<SearchResultView>> SearchAsync(long teamId, string query, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<SearchResultView>>($"api/team/teams/{teamId}/search?q={PgoApi.Esc(query)}&kind=article&limit=20", cancel);

    /// <summary>The slug of an article hit (the Api's Url ends in it when the hit does not carry it).</summary>
    public static string SlugOf(SearchResultView hit) => hit.Slug ?? hit.Url[(hit.Url.LastIndexOf('/') + 1)..];

    private static async Task<ArticleSave> SaveAsync(Func<Task<ArticleView>> send)
    {
        try
        {
            return new ArticleSave(await send(), []);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.UnprocessableEntity && Extension(e, "findings") is { } findings)
        {
            return new ArticleSave(null, findings.Deserialize<List<GuardFinding>>(Json) ?? []);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.Conflict && Extension(e, "current") is { } current)
        {
            return new ArticleSave(null, [], current.Deserialize<ArticleView>(Json));
        }
    }

    private static JsonElement? Extension(ApiException e, string name)
    {
        if (e.Body is not { } raw) return null;
        try
        {
            using var json = JsonDocument.Parse(raw);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) ? value.Clone() : null;
        }
        catch (JsonException) { return null; }
    }
}
