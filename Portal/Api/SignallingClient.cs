using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Api;

/// <summary>A knelpunt mark the Api took (<see cref="Post"/>), or the guard's findings in its short description (nothing stored).</summary>
public sealed record SignalResult(PostView? Post, IReadOnlyList<GuardFinding> Findings);

/// <summary>
/// Signalling (issue 19): a supporter marks a post as a knelpunt in het stelsel (<c>PUT /api/team/teams/{t}/posts/{p}/bottleneck</c>
/// with <see cref="SignalRequest"/>), and the landelijk coördinator's programme view over all teams (<c>/api/signalling</c>:
/// the bundles, one bundle, its status). The CSV export is streamed by the Portal's <c>/signalering/{id}/csv</c>
/// (<c>Files/SignallingFiles.cs</c>) so the token stays on the server. The Api decides who may do what.
/// </summary>
public sealed class SignallingClient(PgoApi api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The person's role per team, asked once per circuit: it only chooses whether the "Knelpunt signaleren" button shows.
    private readonly ConcurrentDictionary<long, Task<string?>> _roles = new();

    /// <summary>Whether the person is a full member of the team (supporter, coach, expert): only they mark knelpunten (the Api
    /// refuses guests too). A failure to ask counts as no.</summary>
    public async Task<bool> MayMarkAsync(long teamId)
    {
        var role = await _roles.GetOrAdd(teamId, async id =>
        {
            try { return (await api.GetJsonAsync<List<TeamSummary>>("api/team/teams", CancellationToken.None)).FirstOrDefault(t => t.Id == id)?.MyRole; }
            catch (ApiException) { return null; }
        });
        return role is "supporter" or "coach" or "expert";
    }

    /// <summary>Marks the post as a knelpunt (or changes its mark). A short description the guard refuses comes back as findings.</summary>
    public async Task<SignalResult> MarkAsync(long teamId, long postId, SignalRequest request, CancellationToken cancel = default)
    {
        try
        {
            return new SignalResult(await api.SendJsonAsync<PostView>(HttpMethod.Put, $"api/team/teams/{teamId}/posts/{postId}/bottleneck", request, cancel), []);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.UnprocessableEntity && Findings(e.Body) is { Count: > 0 } findings)
        {
            return new SignalResult(null, findings);
        }
    }

    /// <summary>Takes the knelpunt mark off the post.</summary>
    public async Task<PostView> UnmarkAsync(long teamId, long postId, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/team/teams/{teamId}/posts/{postId}/bottleneck");
        return PgoApi.Parse<PostView>(await api.SendAsync(request, cancel));
    }

    /// <summary>The bundles across all teams (coordinator only), filtered by status, theme and instantie codes (null: all).</summary>
    public async Task<IReadOnlyList<SignalBundleSummary>> BundlesAsync(string? status, string? theme, string? instantie, CancellationToken cancel = default)
    {
        var query = string.Join("&", new[] { ("status", status), ("theme", theme), ("instantie", instantie) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={PgoApi.Esc(p.Item2!)}"));
        return await api.GetJsonAsync<List<SignalBundleSummary>>("api/signalling/bundles" + (query.Length > 0 ? "?" + query : ""), cancel);
    }

    /// <summary>One bundle: per team, per month, the short descriptions, the history of its status.</summary>
    public Task<SignalBundleView> BundleAsync(long id, CancellationToken cancel = default) =>
        api.GetJsonAsync<SignalBundleView>($"api/signalling/bundles/{id}", cancel);

    /// <summary>Sets the bundle's status (with whom it was raised, the outcome); the Api tells the posts' authors. The screen
    /// reads the bundle again afterwards, whatever the answer's shape.</summary>
    public async Task UpdateAsync(long id, SignalBundleUpdate update, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/signalling/bundles/{id}") { Content = JsonContent.Create(update, options: Json) };
        await api.SendAsync(request, cancel);
    }

    private static List<GuardFinding> Findings(string? body)
    {
        if (string.IsNullOrEmpty(body)) return [];
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("findings", out var findings) && findings.ValueKind == JsonValueKind.Array
                ? findings.Deserialize<List<GuardFinding>>(Json) ?? []
                : [];
        }
        catch (JsonException) { return []; }
    }
}
