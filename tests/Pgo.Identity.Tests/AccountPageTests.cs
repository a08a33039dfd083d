using System.Net;
using System.Text.RegularExpressions;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>The account page: profile, language, two-factor status, recent sign-ins, apps with access.</summary>
public class AccountPageTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recent_sign_ins_show_failures_lockout_and_the_successful_sign_in_with_address_and_browser()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "logboek");
        using var browser = app.Browser();
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd("TestBrowser/1.0");
        await browser.SignInAsync(email, "verkeerd wachtwoord 1");
        await browser.SignInSuccessfullyAsync(email, TestAccounts.Password);

        var page = await browser.GetStringAsync("/account");

        page.ShouldContain("Recente aanmeldingen");
        page.ShouldContain("Aanmelden mislukt: verkeerd wachtwoord");
        page.ShouldContain("Aangemeld (wachtwoord)");
        page.ShouldContain("TestBrowser/1.0");
        page.ShouldContain("class=\"failed\"");
        page.ShouldContain("Staat uit. Zet haar aan");

        var locked = await TestAccounts.CreateAsync(app, Roles.Family, "geblokkeerd");
        for (var attempt = 0; attempt < PasswordPolicy.MaxFailedAttempts; attempt++) await browser.SignInAsync(locked, $"fout {attempt}");
        (await TestAccounts.LogAsync(app, locked)).ShouldContain(SignInEventKind.LockedOut);
    }

    [Fact]
    public async Task Name_and_language_are_stored_on_the_account_and_the_pages_follow_the_language()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "taal");
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync(email, TestAccounts.Password);

        await browser.PostFormAsync("/account", "/account?handler=Profile", new Dictionary<string, string> { ["DisplayName"] = "Anna de Vries" });
        await browser.PostFormAsync("/account", "/account?handler=Language", new Dictionary<string, string> { ["language"] = "en" });

        var user = await TestAccounts.FindAsync(app, email);
        user.DisplayName.ShouldBe("Anna de Vries");
        user.Language.ShouldBe("en");
        var english = await browser.GetStringAsync("/account");
        english.ShouldContain("<html lang=\"en\">");
        english.ShouldContain("Your account");
        english.ShouldContain("Recent sign-ins");

        using var fresh = app.Browser(); // a new browser: the language comes from the account at sign-in
        await fresh.SignInSuccessfullyAsync(email, TestAccounts.Password);
        (await fresh.GetStringAsync("/account")).ShouldContain("Two-step verification");
    }

    [Fact]
    public async Task Revoking_a_connected_app_ends_its_refresh_token_and_the_app_must_ask_again()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("luc@vanassen.example");
        var pkce = Oidc.Pkce.Create();
        var consent = await browser.GetStringAsync(Oidc.AuthorizeUrl(Oidc.DemoApp, Oidc.DemoAppRedirect, "openid fhirUser offline_access patient/Goal.rs", pkce));
        var approved = await browser.PostAsync("/connect/authorize", consent, [.. Browser.HiddenFields(consent), new("decision", "approve")]);
        var tokens = await Oidc.RedeemAsync(browser, Oidc.RedirectParameters(approved)["code"], pkce.Verifier, Oidc.DemoApp, null, Oidc.DemoAppRedirect);
        tokens.Status.ShouldBe(HttpStatusCode.OK);

        var page = await browser.GetStringAsync("/account");
        page.ShouldContain("Voorbeeld-app van een andere partij");
        page.ShouldContain("Doelen: lezen en zoeken, in het dossier van de cliënt");
        var authorizationId = Regex.Match(page, "name=\"authorizationId\" value=\"([^\"]+)\"").Groups[1].Value;
        var revoked = await browser.PostAsync("/account?handler=Revoke", page, new Dictionary<string, string> { ["authorizationId"] = authorizationId });
        (await revoked.Content.ReadAsStringAsync(Cancel)).ShouldContain("heeft geen toegang meer");

        var refresh = await Oidc.TokenAsync(browser, new()
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.RefreshToken, ["client_id"] = Oidc.DemoApp,
        });
        refresh.Error.ShouldBe("invalid_grant");
        var again = await browser.GetAsync(Oidc.AuthorizeUrl(Oidc.DemoApp, Oidc.DemoAppRedirect, "openid fhirUser offline_access patient/Goal.rs", Oidc.Pkce.Create()));
        again.StatusCode.ShouldBe(HttpStatusCode.OK); // the consent screen again
        (await TestAccounts.LogAsync(app, "luc@vanassen.example")).ShouldContain(SignInEventKind.AppRevoked);
    }

    [Fact]
    public async Task Revoking_someone_elses_authorization_is_refused()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("karin@frank.example");
        var page = await browser.GetStringAsync("/account");

        var forged = await browser.PostAsync("/account?handler=Revoke", page, new Dictionary<string, string> { ["authorizationId"] = Guid.NewGuid().ToString() });

        forged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Account_page_needs_a_signed_in_person()
    {
        using var browser = app.Browser();
        (await browser.GetAsync("/account")).Headers.Location!.AbsolutePath.ShouldBe(AccountPaths.SignIn);
    }
}
