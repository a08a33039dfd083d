using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Old codes and tokens stop working; the clock is moved forward instead of waiting.</summary>
public class ExpiryTests
{
    [Fact]
    public async Task Refresh_token_older_than_its_lifetime_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = new IdentityApp("Development", services: s => s.AddSingleton<TimeProvider>(clock));
        using var browser = app.Browser();
        var tokens = await Oidc.PortalTokensAsync(browser, "tessa@strikwerda.example");

        clock.Advance(TimeSpan.FromDays(15)); // refresh tokens live 14 days

        var refresh = await Oidc.RefreshAsync(browser, tokens.RefreshToken);
        refresh.Status.ShouldBe(HttpStatusCode.BadRequest);
        refresh.Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Authorization_code_older_than_five_minutes_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = new IdentityApp("Development", services: s => s.AddSingleton<TimeProvider>(clock));
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var pkce = Oidc.Pkce.Create();
        var code = await Oidc.CodeAsync(browser, pkce);

        clock.Advance(TimeSpan.FromMinutes(6));

        (await Oidc.RedeemAsync(browser, code, pkce.Verifier)).Error.ShouldBe("invalid_grant");
    }
}
