using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pgo.Api.Auth;
using Pgo.Api.Invitations;

namespace Pgo.Api.Notifications.Mail;

/// <summary>How to reach a person: their address at Identity, whether it is confirmed, their language and own name.</summary>
public sealed record MailContact(string Email, bool Confirmed, string Language, string Name);

/// <summary>Where the mail sender learns how to reach a person (Identity; a stand-in in tests).</summary>
public interface IContactDirectory
{
    /// <summary>The person's contact, or null when Identity has no account for the key.</summary>
    Task<MailContact?> FindAsync(string recipient, CancellationToken ct);
}

/// <summary>
/// Asks Identity's <c>GET /api/accounts/contact</c> as the <c>pgo-system</c> client with the <c>account-contact</c> scope
/// only (Identity/README.md, "Account contact"); the token is kept until shortly before it expires.
/// </summary>
public sealed class IdentityContactClient(HttpClient http, IOptions<NotificationMailOptions> options, IOptions<InvitationFeedOptions> feed,
    IOptions<ApiIdentityOptions> identity, TimeProvider clock) : IContactDirectory
{
    public const string Scope = "account-contact";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    private string Authority => ApiAuthentication.Authority(identity.Value);

    public async Task<MailContact?> FindAsync(string recipient, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Authority}/api/accounts/contact?person={Uri.EscapeDataString(recipient)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct));
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode == HttpStatusCode.Unauthorized) _token = null; // Identity's keys rotated, say: a new token next time
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MailContact>(Json, ct);
    }

    private async Task<string> TokenAsync(CancellationToken ct)
    {
        // One sender per instance asks one contact at a time: no lock needed around the cached token.
        if (_token is not null && clock.GetUtcNow() < _tokenExpires) return _token;
        var o = options.Value;
        using var response = await http.PostAsync($"{Authority}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = o.ClientId,
            ["client_secret"] = (string.IsNullOrEmpty(o.ClientSecret) ? feed.Value.ClientSecret : o.ClientSecret) ?? "",
            ["scope"] = Scope,
        }), ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        if (!response.IsSuccessStatusCode || !body.TryGetProperty("access_token", out var accessToken))
            throw new HttpRequestException($"Identity refused the {o.ClientId} token for {Scope}: {(int)response.StatusCode}");
        var lifetime = body.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
        _tokenExpires = clock.GetUtcNow().AddSeconds(Math.Max(0, lifetime - 30));
        return _token = accessToken.GetString()!;
    }
}
