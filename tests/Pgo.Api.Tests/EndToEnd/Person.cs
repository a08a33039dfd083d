using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using OtpNet;

namespace Pgo.Api.Tests.EndToEnd;

/// <summary>
/// A person with a browser (an HttpClient that keeps cookies and does not follow redirects) and the Portal's side
/// of the code flow: sign in on Identity's pages, authorize with PKCE, redeem the code, refresh, revoke, call the Api.
/// Client, secret and redirect are the Portal's (Identity/README.md, "Clients").
/// </summary>
internal sealed partial class Person(string identity) : IDisposable
{
    public const string Client = "pgo-portal";
    public const string Secret = "development-only-portal-secret";
    public const string Redirect = "http://localhost:5100/signin-oidc";
    public const string DemoPassword = "demo-wachtwoord-pgo";
    public const string DemoAuthenticatorKey = "PGODEMOAUTHENTICATORKEYFORDEVXYZ";

    private readonly HttpClient http = new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(identity),
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public HttpClient Http => http;

    /// <summary>Posts the form of the page at <paramref name="pageUrl"/> (with its antiforgery token) to <paramref name="postUrl"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, IDictionary<string, string> fields, string? postUrl = null)
    {
        var page = await http.GetStringAsync(pageUrl, Cancel);
        var token = AntiforgeryField().Match(page);
        token.Success.ShouldBeTrue($"no form on {pageUrl}");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        return await http.PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(form), Cancel);
    }

    /// <summary>Password, then (when asked) the code of the authenticator app.</summary>
    public async Task SignInAsync(string email, string password = DemoPassword, string? authenticatorKey = null)
    {
        var response = await SubmitAsync("/aanmelden", new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Password"] = password });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(Cancel));
        if (response.Headers.Location!.OriginalString.StartsWith("/aanmelden/code", StringComparison.Ordinal))
        {
            var code = new Totp(Base32Encoding.ToBytes(authenticatorKey ?? DemoAuthenticatorKey)).ComputeTotp(DateTime.UtcNow);
            var done = await SubmitAsync(response.Headers.Location.OriginalString, new Dictionary<string, string> { ["Code"] = code });
            done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync(Cancel));
        }
    }

    /// <summary>The authorization code flow with PKCE (S256) of the signed-in person, to the token response.</summary>
    public async Task<JsonElement> CodeFlowAsync(string scope)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = await http.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = Client, ["response_type"] = "code", ["redirect_uri"] = Redirect, ["scope"] = scope,
            ["state"] = "e2e-state", ["nonce"] = "e2e-nonce", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }), Cancel);
        authorize.StatusCode.ShouldBe(HttpStatusCode.Redirect, await authorize.Content.ReadAsStringAsync(Cancel));
        var back = authorize.Headers.Location!;
        back.GetLeftPart(UriPartial.Path).ShouldBe(Redirect);
        var query = QueryHelpers.ParseQuery(back.Query);
        query["state"].ToString().ShouldBe("e2e-state");
        var tokens = await TokenAsync(new()
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["code_verifier"] = verifier,
            ["redirect_uri"] = Redirect, ["client_id"] = Client, ["client_secret"] = Secret,
        });
        tokens.Status.ShouldBe(HttpStatusCode.OK, tokens.Json.ToString());
        return tokens.Json;
    }

    public Task<(HttpStatusCode Status, JsonElement Json)> RefreshAsync(string refreshToken) => TokenAsync(new()
    {
        ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = Client, ["client_secret"] = Secret,
    });

    public async Task<HttpStatusCode> RevokeAsync(string token) =>
        (await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["client_id"] = Client, ["client_secret"] = Secret,
        }), Cancel)).StatusCode;

    public async Task<(HttpStatusCode Status, JsonElement Json)> TokenAsync(Dictionary<string, string> form)
    {
        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form), Cancel);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone());
    }

    /// <summary>A GET with a bearer token (to the Api or Identity's own API).</summary>
    public static async Task<HttpResponseMessage> GetAsync(string url, string accessToken)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.SendAsync(request, Cancel);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
