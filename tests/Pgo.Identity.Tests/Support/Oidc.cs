using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Pgo.Identity.Demo;

namespace Pgo.Identity.Tests.Support;

/// <summary>What a client app does: build authorization requests with PKCE, redeem codes, refresh, revoke.</summary>
public static class Oidc
{
    public const string Portal = "pgo-portal";
    public const string PortalRedirect = "http://localhost:5100/signin-oidc";
    public const string PortalLogoutRedirect = "http://localhost:5100/signout-callback-oidc";
    public const string PortalSecret = "development-only-portal-secret"; // Identity/appsettings.Development.json
    public const string DemoApp = "pgo-demo-app";
    public const string DemoAppRedirect = "http://localhost:5400/callback";
    public const string PortalScopes = "openid profile email roles fhirUser offline_access patient/*.rs user/Goal.cruds";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public sealed record Pkce(string Verifier, string Challenge)
    {
        public static Pkce Create()
        {
            var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            return new(verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        }
    }

    public static string AuthorizeUrl(string clientId = Portal, string redirectUri = PortalRedirect, string scope = PortalScopes,
        Pkce? pkce = null, string? challengeMethod = "S256", string? prompt = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = "state-123",
            ["nonce"] = "nonce-456",
        };
        if (pkce is not null)
        {
            query["code_challenge"] = pkce.Challenge;
            if (challengeMethod is not null) query["code_challenge_method"] = challengeMethod;
        }
        if (prompt is not null) query["prompt"] = prompt;
        return QueryHelpers.AddQueryString("/connect/authorize", query);
    }

    /// <summary>
    /// The error of a refused authorization request: sent back to the client when its redirect_uri could be
    /// trusted, otherwise shown on Identity's error page (status 400, never a redirect).
    /// </summary>
    public static async Task<string?> AuthorizationErrorAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect) return RedirectParameters(response).GetValueOrDefault("error");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        var match = System.Text.RegularExpressions.Regex.Match(page, "<code id=\"error-code\">([^<]+)</code>");
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The query parameters of a redirect back to the client.</summary>
    public static Dictionary<string, string> RedirectParameters(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public static async Task<string> CodeAsync(Browser browser, Pkce pkce, string scope = PortalScopes)
    {
        var response = await browser.GetAsync(AuthorizeUrl(scope: scope, pkce: pkce));
        response.Headers.Location?.GetLeftPart(UriPartial.Path).ShouldBe(PortalRedirect);
        var parameters = RedirectParameters(response);
        parameters["state"].ShouldBe("state-123");
        return parameters["code"];
    }

    public static Task<TokenResponse> RedeemAsync(Browser browser, string code, string verifier,
        string clientId = Portal, string? secret = PortalSecret, string redirectUri = PortalRedirect) =>
        TokenAsync(browser, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

    public static Task<TokenResponse> RefreshAsync(Browser browser, string refreshToken) =>
        TokenAsync(browser, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = Portal,
            ["client_secret"] = PortalSecret,
        });

    /// <summary>Sign in as <paramref name="email"/> and run the Portal's code flow to the tokens.</summary>
    public static async Task<TokenResponse> PortalTokensAsync(Browser browser, string email, string scope = PortalScopes,
        string password = DemoAccounts.Password)
    {
        await browser.SignInSuccessfullyAsync(email, password);
        var pkce = Pkce.Create();
        var tokens = await RedeemAsync(browser, await CodeAsync(browser, pkce, scope), pkce.Verifier);
        tokens.Status.ShouldBe(HttpStatusCode.OK, tokens.Json.ToString());
        return tokens;
    }

    public static async Task<TokenResponse> TokenAsync(Browser browser, Dictionary<string, string?> form) =>
        await PostAsync(browser, "/connect/token", form);

    public static async Task<TokenResponse> PostAsync(Browser browser, string path, Dictionary<string, string?> form)
    {
        var fields = form.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!));
        var response = await browser.Http.PostAsync(path, new FormUrlEncodedContent(fields), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        return new TokenResponse(response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }
}

public sealed record TokenResponse(HttpStatusCode Status, JsonElement Json)
{
    private string? Get(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) ? value.GetString() : null;

    public string AccessToken => Get("access_token") ?? throw new InvalidOperationException($"No access token: {Json}");
    public string RefreshToken => Get("refresh_token") ?? throw new InvalidOperationException($"No refresh token: {Json}");
    public string? IdToken => Get("id_token");
    public string? Error => Get("error");
    public string? Scope => Get("scope");
}
