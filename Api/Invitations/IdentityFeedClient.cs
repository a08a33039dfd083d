using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pgo.Api.Auth;

namespace Pgo.Api.Invitations;

/// <summary>
/// Talks to Identity as the <c>pgo-system</c> client: a client-credentials token (kept until shortly before it
/// expires) and one page of <c>GET /api/invitations/accepted</c>.
/// </summary>
public sealed class IdentityFeedClient(HttpClient http, IOptions<InvitationFeedOptions> options, IOptions<ApiIdentityOptions> identity, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string? token;
    private DateTimeOffset tokenExpires;

    private string Authority => ApiAuthentication.Authority(identity.Value);

    public async Task<AcceptedPage> AcceptedAsync(DateTime? since, CancellationToken ct)
    {
        var o = options.Value;
        var url = $"{Authority}/api/invitations/accepted?limit={o.PageSize}";
        if (since is { } s) url += "&since=" + Uri.EscapeDataString(s.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct));
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized) token = null; // e.g. Identity's keys rotated: ask again next time
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<AcceptedPage>(Json, ct) ?? new AcceptedPage([], null);
    }

    private async Task<string> TokenAsync(CancellationToken ct)
    {
        if (token is not null && clock.GetUtcNow() < tokenExpires) return token;
        var o = options.Value;
        using var response = await http.PostAsync($"{Authority}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = o.ClientId,
            ["client_secret"] = o.ClientSecret ?? "",
            ["scope"] = o.Scope,
        }), ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        if (!response.IsSuccessStatusCode || !body.TryGetProperty("access_token", out var accessToken))
            throw new HttpRequestException($"Identity refused the {o.ClientId} token: {(int)response.StatusCode} {body}");
        var lifetime = body.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
        tokenExpires = clock.GetUtcNow().AddSeconds(Math.Max(0, lifetime - 30));
        return token = accessToken.GetString()!;
    }
}
