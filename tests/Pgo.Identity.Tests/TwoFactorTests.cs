using System.Net;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Two-factor sign-in with an authenticator app: required for those who work with other people's dossiers.</summary>
public class TwoFactorTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Family_member_sets_up_the_app_with_key_uri_and_QR_and_then_signs_in_with_a_code()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Family, "gezin");
        using (var browser = app.Browser())
        {
            await browser.SignInSuccessfullyAsync(email, TestAccounts.Password);
            var page = await browser.GetStringAsync(AccountPaths.TwoFactorSetup);
            page.ShouldContain("otpauth://totp/PGO:" + Uri.EscapeDataString(email));
            page.ShouldContain("src=\"data:image/png;base64,");
            await TestAccounts.SetUpTwoFactorAsync(browser);
        }

        using var again = app.Browser();
        var password = await again.SignInAsync(email, TestAccounts.Password);
        password.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.SignInCode);
        (await again.GetAsync("/account")).Headers.Location!.AbsolutePath.ShouldBe(AccountPaths.SignIn); // not signed in yet
        (await TestAccounts.LogAsync(app, email)).ShouldContain(SignInEventKind.TwoFactorEnabled);
    }

    [Fact]
    public async Task Wrong_code_is_refused_and_logged_and_the_right_one_works()
    {
        using var browser = app.Browser();
        var password = await browser.SignInAsync("sven@bondgenoten.example");
        var codePage = password.Headers.Location!.OriginalString;
        var current = Totp.Code(Demo.DemoAccounts.AuthenticatorKey);

        var wrong = await browser.SubmitAsync(codePage, new Dictionary<string, string> { ["Code"] = current == "123456" ? "654321" : "123456" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wrong.Content.ReadAsStringAsync(Cancel)).ShouldContain("Deze code klopt niet");
        var old = await browser.SubmitAsync(codePage, new Dictionary<string, string> { ["Code"] = Totp.OldCode(Demo.DemoAccounts.AuthenticatorKey) });
        old.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestAccounts.LogAsync(app, "sven@bondgenoten.example")).ShouldContain(SignInEventKind.TwoFactorFailed);

        var right = await browser.SubmitAsync(codePage, new Dictionary<string, string> { ["Code"] = Totp.Code(Demo.DemoAccounts.AuthenticatorKey) });
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetAsync("/account")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Recovery_code_signs_in_once_and_its_reuse_is_refused()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "herstel");
        List<string> codes;
        using (var browser = app.Browser())
        {
            await browser.SignInSuccessfullyAsync(email, TestAccounts.Password);
            (_, codes) = await TestAccounts.SetUpTwoFactorAsync(browser);
        }

        using (var first = app.Browser())
        {
            await first.SignInAsync(email, TestAccounts.Password);
            var used = await first.SubmitAsync(AccountPaths.SignInRecoveryCode, new Dictionary<string, string> { ["Code"] = codes[0] });
            used.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        using var second = app.Browser();
        await second.SignInAsync(email, TestAccounts.Password);
        var reused = await second.SubmitAsync(AccountPaths.SignInRecoveryCode, new Dictionary<string, string> { ["Code"] = codes[0] });
        reused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reused.Content.ReadAsStringAsync(Cancel)).ShouldContain("klopt niet of is al gebruikt");
        (await TestAccounts.LogAsync(app, email)).ShouldContain(SignInEventKind.RecoveryCodeUsed);
    }

    [Fact]
    public async Task Professional_without_two_factor_gets_no_token_until_it_is_set_up()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Professional, "zorgverlener");
        using var browser = app.Browser();

        var signedIn = await browser.SignInAsync(email, TestAccounts.Password);
        signedIn.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.TwoFactorSetup);
        var authorize = await browser.GetAsync(Oidc.AuthorizeUrl(pkce: Oidc.Pkce.Create()));
        authorize.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.TwoFactorSetup);
        (await browser.GetStringAsync(AccountPaths.TwoFactorSetup)).ShouldContain("verplicht");
        var viaPassword = await Oidc.TokenAsync(browser, new()
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = TestAccounts.Password, ["scope"] = "openid",
        });
        viaPassword.Error.ShouldBe("invalid_grant");

        await TestAccounts.SetUpTwoFactorAsync(browser);
        var pkce = Oidc.Pkce.Create();
        var tokens = await Oidc.RedeemAsync(browser, await Oidc.CodeAsync(browser, pkce), pkce.Verifier);
        tokens.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Supporter_cannot_switch_two_factor_off_but_a_family_member_can_with_a_current_code()
    {
        using (var supporter = app.Browser())
        {
            await supporter.SignInWithCodeAsync("hans@bondgenoten.example");
            var page = await supporter.GetStringAsync(AccountPaths.TwoFactorSetup);
            page.ShouldNotContain("Tweestapsverificatie uitzetten");
            var forced = await supporter.PostAsync(AccountPaths.TwoFactorSetup + "?handler=Disable", page,
                new Dictionary<string, string> { ["Code"] = Totp.Code(Demo.DemoAccounts.AuthenticatorKey) });
            (await forced.Content.ReadAsStringAsync(Cancel)).ShouldContain("verplicht");
            (await TestAccounts.FindAsync(app, "hans@bondgenoten.example")).TwoFactorEnabled.ShouldBeTrue();
        }

        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "uitzetten");
        using var family = app.Browser();
        await family.SignInSuccessfullyAsync(email, TestAccounts.Password);
        var (key, _) = await TestAccounts.SetUpTwoFactorAsync(family);
        var setup = await family.GetStringAsync(AccountPaths.TwoFactorSetup);
        var withoutCode = await family.PostAsync(AccountPaths.TwoFactorSetup + "?handler=Disable", setup, new Dictionary<string, string> { ["Code"] = "" });
        (await withoutCode.Content.ReadAsStringAsync(Cancel)).ShouldContain("Deze code klopt niet");
        // The set-up just used the current code; each code works once, so the next one.
        await family.PostAsync(AccountPaths.TwoFactorSetup + "?handler=Disable", setup, new Dictionary<string, string> { ["Code"] = Totp.Step(key, 1) });
        (await TestAccounts.FindAsync(app, email)).TwoFactorEnabled.ShouldBeFalse();
        (await TestAccounts.LogAsync(app, email)).ShouldContain(SignInEventKind.TwoFactorDisabled);
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "nieuwecodes");
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync(email, TestAccounts.Password);
        var (_, old) = await TestAccounts.SetUpTwoFactorAsync(browser);

        var page = await browser.GetStringAsync(AccountPaths.TwoFactorSetup);
        var renewed = await (await browser.PostAsync(AccountPaths.TwoFactorSetup + "?handler=RecoveryCodes", page, [])).Content.ReadAsStringAsync(Cancel);

        renewed.ShouldContain("De oude werken niet meer");
        renewed.ShouldNotContain(old[0]);
        using var other = app.Browser();
        await other.SignInAsync(email, TestAccounts.Password);
        var withOld = await other.SubmitAsync(AccountPaths.SignInRecoveryCode, new Dictionary<string, string> { ["Code"] = old[1] });
        withOld.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestAccounts.LogAsync(app, email)).ShouldContain(SignInEventKind.RecoveryCodesRenewed);
    }

    [Fact]
    public async Task Password_grant_of_a_two_factor_account_needs_the_authenticator_code()
    {
        using var browser = app.Browser();
        Dictionary<string, string?> Form(string? otp) => new()
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = "elise@bondgenoten.example",
            ["password"] = Demo.DemoAccounts.Password, ["scope"] = "openid fhirUser", ["otp"] = otp,
        };

        (await Oidc.TokenAsync(browser, Form(null))).Error.ShouldBe("invalid_grant");
        (await Oidc.TokenAsync(browser, Form(Totp.OldCode(Demo.DemoAccounts.AuthenticatorKey)))).Error.ShouldBe("invalid_grant");
        (await Oidc.TokenAsync(browser, Form(Totp.Code(Demo.DemoAccounts.AuthenticatorKey)))).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_accepted_authenticator_code_cannot_be_used_again_by_the_same_account()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "eenmalig");
        string key;
        using (var setUp = app.Browser())
        {
            await setUp.SignInSuccessfullyAsync(email, TestAccounts.Password);
            (key, _) = await TestAccounts.SetUpTwoFactorAsync(setUp); // uses the current step's code
        }
        var code = Totp.Step(key, 1);

        using (var first = app.Browser())
        {
            var password = await first.SignInAsync(email, TestAccounts.Password);
            var accepted = await first.SubmitAsync(password.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = code });
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        // Someone who saw the code (over a shoulder, in transit) tries it within its window: refused on the page ...
        using var replay = app.Browser();
        var again = await replay.SignInAsync(email, TestAccounts.Password);
        var replayed = await replay.SubmitAsync(again.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = code });
        replayed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replayed.Content.ReadAsStringAsync(Cancel)).ShouldContain("Deze code klopt niet");
        (await replay.GetAsync("/account")).Headers.Location!.AbsolutePath.ShouldBe(AccountPaths.SignIn);

        // ... and at the token endpoint (the dev password grant's otp goes through the same check).
        var grant = await Oidc.TokenAsync(replay, new()
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email,
            ["password"] = TestAccounts.Password, ["scope"] = "openid", ["otp"] = code,
        });
        grant.Error.ShouldBe("invalid_grant");

        // The current step's code was used by the set-up, so it is spent too; a fresh step still works.
        var fresh = await replay.SubmitAsync(again.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = Totp.Step(key, 2) });
        fresh.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_same_code_works_for_two_accounts_that_share_a_key()
    {
        // Replay is refused per account: the demo accounts share one key, and one's use does not spend the other's code.
        var code = Totp.Step(Demo.DemoAccounts.AuthenticatorKey, -1);
        foreach (var email in new[] { "ricardo@bondgenoten.example", "khadija@bondgenoten.example" })
        {
            using var browser = app.Browser();
            var password = await browser.SignInAsync(email);
            var done = await browser.SubmitAsync(password.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Code"] = code });
            done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
    }
}
