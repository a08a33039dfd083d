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

    /// <summary>One post as the caller may see it (the guard's mark only for its author, coaches and experts).</summary>
    public Task<PostView> GetPostAsync(long teamId, long postId, CancellationToken cancel = default) =>
        api.GetJsonAsync<PostView>($"api/team/teams/{teamId}/posts/{postId}", cancel);

    public Task<ThreadView> ThreadAsync(long teamId, long postId, CancellationToken cancel = default) =>
        api.GetJsonAsync<ThreadView>($"api/team/teams/{teamId}/posts/{postId}/thread", cancel);

    /// <summary>Starts a thread (<paramref name="replyTo"/> null; with an optional <paramref name="title"/>) or replies, with the
    /// attachments uploaded for it. A text the guard flags comes back as findings, not saved, unless <paramref name="confirmed"/>.</summary>
    public Task<PostResult> PostAsync(long teamId, long channelId, long? replyTo, string? title, string body, bool confirmed,
        IReadOnlyList<long>? attachmentIds = null, CancellationToken cancel = default)
    {
        var url = replyTo is { } root ? $"api/team/teams/{teamId}/posts/{root}/replies" : $"api/team/teams/{teamId}/channels/{channelId}/threads";
        return GuardedAsync(HttpMethod.Post, url, new
        {
            title = replyTo is null && !string.IsNullOrWhiteSpace(title) ? title.Trim() : null,
            body,
            confirmed,
            attachmentIds = attachmentIds is { Count: > 0 } ? attachmentIds : null,
        }, cancel);
    }

    /// <summary>Edits a post (PUT /teams/{t}/posts/{p}): the author their own (title for a thread's first post), a coach or expert
    /// another's with a <paramref name="reason"/>. The guard reads the new text as it reads a new post.</summary>
    public Task<PostResult> EditPostAsync(long teamId, long postId, string? title, string body, bool confirmed, string? reason = null, CancellationToken cancel = default) =>
        GuardedAsync(HttpMethod.Put, $"api/team/teams/{teamId}/posts/{postId}", new { title = string.IsNullOrWhiteSpace(title) ? null : title.Trim(), body, confirmed, reason }, cancel);

    /// <summary>Sends a text the guard reads: a 422 with findings is an answer (shown to the author), not an error.</summary>
    private async Task<PostResult> GuardedAsync(HttpMethod method, string url, object body, CancellationToken cancel)
    {
        try
        {
            return new PostResult(await api.SendJsonAsync<PostView>(method, url, body, cancel), []);
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

    // ---------------------------------------------------------------- i19 threads: the conversation

    /// <summary>Deletes a post: one's own, or (a coach or expert) another's with a reason, which the moderation log keeps.</summary>
    public Task<PostView> DeletePostAsync(long teamId, long postId, string? reason, CancellationToken cancel = default)
    {
        var query = string.IsNullOrWhiteSpace(reason) ? "" : $"?reason={PgoApi.Esc(reason.Trim())}";
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/team/teams/{teamId}/posts/{postId}{query}");
        return SendPostAsync(request, cancel);
    }

    /// <summary>Adds or takes back one's reaction (one of the fixed set).</summary>
    public Task<PostView> ReactAsync(long teamId, long postId, string emoji, bool add, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(add ? HttpMethod.Put : HttpMethod.Delete, $"api/team/teams/{teamId}/posts/{postId}/reactions/{PgoApi.Esc(emoji)}");
        return SendPostAsync(request, cancel);
    }

    /// <summary>Pins a post on top of its channel, or unpins it (coach and expert).</summary>
    public Task<PostView> PinAsync(long teamId, long postId, bool pin, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(pin ? HttpMethod.Put : HttpMethod.Delete, $"api/team/teams/{teamId}/posts/{postId}/pin");
        return SendPostAsync(request, cancel);
    }

    private async Task<PostView> SendPostAsync(HttpRequestMessage request, CancellationToken cancel) => PgoApi.Parse<PostView>(await api.SendAsync(request, cancel));

    /// <summary>The team's members (the mention picker offers their handles).</summary>
    public async Task<IReadOnlyList<MemberView>> MembersAsync(long teamId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<MemberView>>($"api/team/teams/{teamId}/members", cancel);

    /// <summary>Leaves the team (DELETE /teams/{t}/members/me): access ends at once, also on the hub.</summary>
    public Task LeaveAsync(long teamId, CancellationToken cancel = default) => api.DeleteAsync($"api/team/teams/{teamId}/members/me", cancel);

    /// <summary>Uploads an attachment into a channel (streamed on, never held whole here); the post that names its id takes it.
    /// The Api checks type and size and stores nothing of a refused file.</summary>
    public async Task<AttachmentView> UploadAttachmentAsync(long teamId, long channelId, Stream content, long length, string contentType, string fileName, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/team/teams/{teamId}/channels/{channelId}/attachments?name={PgoApi.Esc(fileName)}")
        {
            Content = new StreamContent(content, 64 * 1024),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = length;
        return PgoApi.Parse<AttachmentView>(await api.SendAsync(request, cancel, Files.DocumentFiles.Client));
    }

    /// <summary>The posts saved despite the guard's warning, for the coach and experts: open marks first, newest first.</summary>
    public async Task<IReadOnlyList<PostView>> FlaggedAsync(long teamId, CancellationToken cancel = default) =>
        await api.GetJsonAsync<List<PostView>>($"api/team/teams/{teamId}/flagged", cancel);

    /// <summary>The coach asks the author to edit a marked post, with a reason the author sees.</summary>
    public Task RequestEditAsync(long teamId, long postId, string reason, CancellationToken cancel = default) =>
        PostJsonAsync($"api/team/teams/{teamId}/posts/{postId}/edit-request", new EditRequestBody(reason), cancel);

    /// <summary>The coach finds a marked post in order: the mark is handled.</summary>
    public Task FlagHandledAsync(long teamId, long postId, CancellationToken cancel = default) =>
        PostJsonAsync($"api/team/teams/{teamId}/posts/{postId}/flag-handled", new { }, cancel);

    /// <summary>A POST whose answer the screen does not need (it reads the list again).</summary>
    private async Task PostJsonAsync(string url, object body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body, options: Json) };
        await api.SendAsync(request, cancel);
    }
}
