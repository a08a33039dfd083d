using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Pgo.Portal.Auth;

/// <summary>The tokens of one sign-in: the access token the Api gets, and the refresh token that renews it.</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Keeps each sign-in's tokens on the server, keyed by a session id claim in the cookie. Blazor circuits have no
/// HttpContext, so the Api client asks here; refreshes rotate the refresh token (Identity refuses a replayed one and
/// then revokes the chain), so one place must hold the newest and refresh one at a time per session.
/// </summary>
public sealed class SessionTokens(IHttpClientFactory http, IOptions<PortalOptions> options, TimeProvider clock, ILogger<SessionTokens> log)
{
    public const string SessionClaim = "pgo_session";

    private readonly ConcurrentDictionary<string, TokenSet> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public static string? SessionOf(ClaimsPrincipal user) => user.FindFirst(SessionClaim)?.Value;

    public bool Has(string session) => _tokens.ContainsKey(session);

    public void Store(string session, TokenSet tokens) => _tokens[session] = tokens;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    /// <summary>Signed out or refused: the cookie of this session no longer counts, even though it still holds tokens.</summary>
    public void End(string session)
    {
        _tokens.TryRemove(session, out _);
        _locks.TryRemove(session, out _);
        _ended[session] = clock.GetUtcNow();
    }

    public bool HasEnded(string session) => _ended.ContainsKey(session);

    /// <summary>A valid access token for the session (refreshed when less than a minute is left), or null when the
    /// person must sign in again (no tokens, or the refresh was refused).</summary>
    public async Task<string?> AccessTokenAsync(string session, CancellationToken cancel)
    {
        if (!_tokens.TryGetValue(session, out var current)) return null;
        if (current.ExpiresAt - clock.GetUtcNow() > TimeSpan.FromMinutes(1)) return current.AccessToken;
        var gate = _locks.GetOrAdd(session, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancel);
        try
        {
            if (!_tokens.TryGetValue(session, out current)) return null;
            if (current.ExpiresAt - clock.GetUtcNow() > TimeSpan.FromMinutes(1)) return current.AccessToken;
            if (current.RefreshToken is null) return null;
            var renewed = await RefreshAsync(current.RefreshToken, cancel);
            if (renewed is null) { End(session); return null; }
            _tokens[session] = renewed;
            return renewed.AccessToken;
        }
        finally { gate.Release(); }
    }

    private async Task<TokenSet?> RefreshAsync(string refreshToken, CancellationToken cancel)
    {
        var o = options.Value;
        using var response = await http.CreateClient(nameof(SessionTokens)).PostAsync($"{o.Authority.TrimEnd('/')}/connect/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
                ["client_id"] = o.ClientId, ["client_secret"] = o.ClientSecret ?? "",
            }), cancel);
        if (!response.IsSuccessStatusCode)
        {
            log.LogInformation("Refreshing the access token was refused ({Status}); the person signs in again", (int)response.StatusCode);
            return null;
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel));
        var root = json.RootElement;
        var expiresIn = root.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 300;
        return new TokenSet(root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var r) ? r.GetString() : refreshToken,
            clock.GetUtcNow().AddSeconds(expiresIn));
    }
}
