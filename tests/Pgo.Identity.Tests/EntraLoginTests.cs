using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Professionals sign in with their Entra ID work account; proven against a local stand-in provider.</summary>
public class EntraLoginTests(EntraApp fixture) : IClassFixture<EntraApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_professional_signs_in_with_Entra_and_must_set_up_two_factor_before_any_token()
    {
        var email = $"zorg-{Guid.NewGuid():N}@kdc.example";
        fixture.Entra.NextUser = ("work-" + Guid.NewGuid().ToString("N"), email, "Pieter de Jong", true);
        using var browser = fixture.App.Browser(https: true);

        var landed = await SignInWithEntraAsync(browser);

        landed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        landed.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.TwoFactorSetup);
        var user = await FindAsync(email);
        user.EmailConfirmed.ShouldBeTrue();
        user.DisplayName.ShouldBe("Pieter de Jong");
        (await Users().GetRolesAsync(user)).ShouldBe([Roles.Professional]);
        (await Users().GetLoginsAsync(user)).ShouldHaveSingleItem().LoginProvider.ShouldBe("entra");

        var authorize = await browser.GetAsync(Oidc.AuthorizeUrl(pkce: Oidc.Pkce.Create()));
        authorize.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.TwoFactorSetup);
    }

    [Fact]
    public async Task Work_account_with_a_verified_address_links_to_the_existing_account_and_still_asks_its_code()
    {
        fixture.Entra.NextUser = ("work-" + Guid.NewGuid().ToString("N"), "khadija@bondgenoten.example", "Khadija", true);
        using var browser = fixture.App.Browser(https: true);

        var landed = await SignInWithEntraAsync(browser);

        landed.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.SignInCode);
        var user = await FindAsync("khadija@bondgenoten.example");
        (await Users().GetLoginsAsync(user)).ShouldHaveSingleItem();
        var done = await browser.SubmitAsync(landed.Headers.Location.OriginalString,
            new Dictionary<string, string> { ["Code"] = Totp.Code(Demo.DemoAccounts.AuthenticatorKey) });
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetStringAsync("/account")).ShouldContain("Werkaccount gekoppeld");
    }

    [Fact]
    public async Task Unverified_address_from_the_work_account_is_not_linked_to_an_existing_account()
    {
        fixture.Entra.NextUser = ("work-" + Guid.NewGuid().ToString("N"), "loes@sterk.example", "Niet Loes", false);
        using var browser = fixture.App.Browser(https: true);

        var landed = await SignInWithEntraAsync(browser);

        landed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await landed.Content.ReadAsStringAsync(Cancel)).ShouldContain("geen bevestigd e-mailadres");
        (await Users().GetLoginsAsync(await FindAsync("loes@sterk.example"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Id_token_signed_with_a_key_the_provider_does_not_publish_is_refused()
    {
        var email = $"aanvaller-{Guid.NewGuid():N}@kdc.example";
        fixture.Entra.NextUser = ("work-" + Guid.NewGuid().ToString("N"), email, "Aanvaller", true);
        fixture.Entra.SignWithUnknownKey = true;
        try
        {
            using var browser = fixture.App.Browser(https: true);
            var start = await StartAsync(browser);
            var callback = await PostBackAsync(browser, start);

            callback.Headers.Location?.OriginalString.ShouldNotStartWith(AccountPaths.SignInExternal + "?handler=callback");
            (await Users().FindByEmailAsync(email)).ShouldBeNull();
            (await browser.GetAsync("/account")).Headers.Location!.AbsolutePath.ShouldBe(AccountPaths.SignIn);
        }
        finally
        {
            fixture.Entra.SignWithUnknownKey = false;
        }
    }

    [Fact]
    public async Task Sign_in_page_offers_the_work_account_when_Entra_is_configured()
    {
        using var browser = fixture.App.Browser(https: true);
        (await browser.GetStringAsync("/aanmelden")).ShouldContain("Aanmelden met uw werkaccount (Microsoft)");
    }

    private async Task<HttpResponseMessage> SignInWithEntraAsync(Browser browser)
    {
        var callback = await PostBackAsync(browser, await StartAsync(browser));
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync(Cancel));
        callback.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.SignInExternal);
        return await browser.GetAsync(callback.Headers.Location.OriginalString);
    }

    /// <summary>The sign-in page's work-account button: Identity sends the browser to the provider.</summary>
    private static async Task<Uri> StartAsync(Browser browser)
    {
        var start = await browser.PostFormAsync("/aanmelden", AccountPaths.SignInExternal, new Dictionary<string, string> { ["returnUrl"] = "/" });
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect, await start.Content.ReadAsStringAsync(Cancel));
        return start.Headers.Location!;
    }

    /// <summary>The provider approves and its page posts the code back to Identity (form_post), as a browser would.</summary>
    private async Task<HttpResponseMessage> PostBackAsync(Browser browser, Uri authorize)
    {
        using var provider = new HttpClient(fixture.Entra.TrustingHandler());
        var page = await provider.GetStringAsync(authorize, Cancel);
        var action = WebUtility.HtmlDecode(Regex.Match(page, "action=\"([^\"]+)\"").Groups[1].Value);
        var fields = Regex.Matches(page, "name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .Select(m => KeyValuePair.Create(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        return await browser.Http.PostAsync(new Uri(action).PathAndQuery, new FormUrlEncodedContent(fields), Cancel);
    }

    private UserManager<PgoUser> Users() => fixture.App.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<PgoUser>>();

    private async Task<PgoUser> FindAsync(string email) => (await Users().FindByEmailAsync(email)).ShouldNotBeNull();
}

/// <summary>The stand-in Entra ID and an Identity configured to use it.</summary>
public sealed class EntraApp : IAsyncLifetime
{
    public StandInEntra Entra { get; private set; } = null!;
    public IdentityApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Entra = await StandInEntra.StartAsync();
        App = new IdentityApp("Development", settings: Entra.Settings(), services: Entra.Trust);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Entra.DisposeAsync();
    }
}
