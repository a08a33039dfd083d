using System.Net;
using System.Text.RegularExpressions;
using Pgo.Identity.Demo;

namespace Pgo.Identity.Tests.Support;

/// <summary>What a person's browser does: open pages, fill in forms (with the antiforgery token), keep cookies.</summary>
public sealed partial class Browser(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public Task<HttpResponseMessage> GetAsync(string url) => http.GetAsync(url, Cancel);

    public Task<string> GetStringAsync(string url) => http.GetStringAsync(url, Cancel);

    /// <summary>Opens the page at <paramref name="url"/>, then posts its form with these fields.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, IDictionary<string, string> fields)
    {
        var page = await GetStringAsync(url);
        return await PostAsync(url, page, fields);
    }

    /// <summary>Posts the form of an already opened page (its antiforgery token) to <paramref name="url"/>.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, string page, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var form = new List<KeyValuePair<string, string>>(fields)
        {
            new("__RequestVerificationToken", AntiforgeryToken(page)),
        };
        return http.PostAsync(url, new FormUrlEncodedContent(form), Cancel);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password = DemoAccounts.Password) =>
        SubmitAsync("/aanmelden", new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Password"] = password });

    public async Task SignInSuccessfullyAsync(string email, string password = DemoAccounts.Password)
    {
        var response = await SignInAsync(email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>Password, then the code from the authenticator app (the demo key unless another is given).</summary>
    public async Task SignInWithCodeAsync(string email, string? key = null, string password = DemoAccounts.Password)
    {
        var response = await SignInAsync(email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(Cancel));
        response.Headers.Location!.OriginalString.ShouldStartWith("/aanmelden/code");
        // A code works once per account: when another sign-in of this account just used the current one, take the next.
        HttpResponseMessage? done = null;
        foreach (var code in Totp.Acceptable(key ?? DemoAccounts.AuthenticatorKey))
        {
            done = await SubmitAsync(response.Headers.Location.OriginalString, new Dictionary<string, string> { ["Code"] = code });
            if (done.StatusCode == HttpStatusCode.Redirect) break;
        }
        done!.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>Opens a page and posts one of its forms (the handler in <paramref name="url"/>'s query).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string postUrl, IDictionary<string, string> fields)
    {
        var page = await GetStringAsync(pageUrl);
        return await PostAsync(postUrl, page, fields);
    }

    public static string AntiforgeryToken(string page)
    {
        var match = AntiforgeryField().Match(page);
        match.Success.ShouldBeTrue("the page has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The hidden fields of the page's form, as the browser would post them back.</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string page) =>
        HiddenField().Matches(page)
            .Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
            .Where(f => f.Key != "__RequestVerificationToken")
            .ToList();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();

    public void Dispose() => http.Dispose();
}
