using System.Globalization;
using System.Net;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

public class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429_while_pages_still_open()
    {
        using var browser = app.Browser();
        for (var attempt = 0; attempt < RateLimitedApp.Limit; attempt++)
            (await browser.SignInAsync($"raden{attempt}@test.example", "verkeerd wachtwoord")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var limited = await browser.SignInAsync("raden@test.example", "verkeerd wachtwoord");

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await browser.GetAsync("/aanmelden")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_requests_beyond_the_limit_get_429()
    {
        using var browser = app.Browser();
        var form = new Dictionary<string, string?>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "pgo-system", ["client_secret"] = "fout", ["scope"] = "system/*.rs",
        };
        for (var attempt = 0; attempt < RateLimitedApp.Limit; attempt++)
            (await Oidc.TokenAsync(browser, form)).Status.ShouldBe(HttpStatusCode.Unauthorized);

        var limited = await browser.Http.PostAsync("/connect/token",
            new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value!))), TestContext.Current.CancellationToken);

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }
}

public sealed class RateLimitedApp() : IdentityApp("Development", settings: new Dictionary<string, string?>
{
    ["Pgo:RateLimits:SignInPerMinute"] = Limit.ToString(CultureInfo.InvariantCulture),
    ["Pgo:RateLimits:TokenPerMinute"] = Limit.ToString(CultureInfo.InvariantCulture),
})
{
    public const int Limit = 3;
}
