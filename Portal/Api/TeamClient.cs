using System.Net;
using System.Text.Json;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>The team space (/api/team, Api/TeamSpace): teams, channels, threads, search, bottlenecks, articles.</summary>
public sealed class TeamClient(PgoApi api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<TeamSummary>> TeamsAsync(CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<TeamSummary>>("api/team/teams", cancel);

    public Task<TeamView> TeamAsync(long teamId, CancellationToken cancel = default) =>
        api.GetJsonAsync<TeamView>($"api/team/teams/{teamId}", cancel);

    public async Task<IReadOnlyList<PostView>> ThreadsAsync(long teamId, long channelId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<PostView>>($"api/team/teams/{teamId}/channels/{channelId}/threads?limit=30", cancel);

    public Task<ThreadView> ThreadAsync(long teamId, long postId, CancellationToken cancel = default) =>
        api.GetJsonAsync<ThreadView>($"api/team/teams/{teamId}/posts/{postId}/thread", cancel);

    /// <summary>Starts a thread (<paramref name="replyTo"/> null) or replies. A text the guard flags comes back as findings, not saved,
    /// unless <paramref name="confirmed"/>.</summary>
    public async Task<PostResult> PostAsync(long teamId, long channelId, long? replyTo, string body, bool confirmed, CancellationToken cancel = default)
    {
        var url = replyTo is { } root ? $"api/team/teams/{teamId}/posts/{root}/replies" : $"api/team/teams/{teamId}/channels/{channelId}/threads";
        try
        {
            return new PostResult(await api.SendJsonAsync<PostView>(HttpMethod.Post, url, new { body, confirmed }, cancel), []);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.UnprocessableEntity && e.Body is { } raw)
        {
            using var json = JsonDocument.Parse(raw);
            if (!json.RootElement.TryGetProperty("findings", out var findings)) throw;
            return new PostResult(null, findings.Deserialize<List<GuardFinding>>(Json) ?? []);
        }
    }

    public async Task<IReadOnlyList<SearchResultView>> SearchTeamAsync(long teamId, string query, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<SearchResultView>>($"api/team/teams/{teamId}/search?q={PgoApi.Esc(query)}&limit=20", cancel);

    public async Task<IReadOnlyList<BottleneckBundle>> BottlenecksAsync(long teamId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<BottleneckBundle>>($"api/team/teams/{teamId}/bottlenecks", cancel);

    public async Task<IReadOnlyList<ArticleSummary>> ArticlesAsync(long teamId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<ArticleSummary>>($"api/team/teams/{teamId}/articles", cancel);

    public Task<ArticleView> ArticleAsync(long teamId, string slug, CancellationToken cancel = default) =>
        api.GetJsonAsync<ArticleView>($"api/team/teams/{teamId}/articles/{PgoApi.Esc(slug)}", cancel);

    /// <summary>Per channel the caller reads: how many posts by others came after their read marker.</summary>
    public async Task<IReadOnlyList<UnreadView>> UnreadAsync(long teamId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<UnreadView>>($"api/team/teams/{teamId}/unread", cancel);

    /// <summary>Marks a channel read up to its newest post (opening it is reading it).</summary>
    public Task<UnreadView> MarkReadAsync(long teamId, long channelId, CancellationToken cancel = default) =>
        api.SendJsonAsync<UnreadView>(HttpMethod.Post, $"api/team/teams/{teamId}/channels/{channelId}/read", new { }, cancel);

    /// <summary>Follows a channel (a new kennisbank article there becomes a notification), or stops following it.</summary>
    public async Task<ChannelView> FollowAsync(long teamId, long channelId, bool follow, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(follow ? HttpMethod.Put : HttpMethod.Delete, $"api/team/teams/{teamId}/channels/{channelId}/follow");
        return PgoApi.Parse<ChannelView>(await api.SendAsync(request, cancel));
    }

    /// <summary>The bell's notifications about these team items (<c>team/1/post/5</c>, <c>team/1/article/slug</c>) are read: the
    /// person has the thread or article in front of them. A side effect of opening it: a refusal changes nothing on the screen.</summary>
    public async Task MarkBellReadAsync(IReadOnlyList<string> items, CancellationToken cancel = default)
    {
        if (items.Count == 0) return;
        try { await api.SendJsonAsync<UnreadCountMessage>(HttpMethod.Post, "api/notifications/read", new MarkRead(Items: items), cancel); }
        catch (ApiException) { /* the mark stays in the bell; the person still has what they opened */ }
    }
}
