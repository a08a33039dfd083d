using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Pgo.Identity.Accounts;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Requests an attacker (or a broken client) would make; every one must fail.</summary>
public class AttackTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://evil.example/signin-oidc")]
    [InlineData("http://localhost:5100/signin-oidc/../steal")]
    [InlineData("http://localhost:5100/signin-oidc?next=evil")]
    public async Task Unregistered_redirect_uri_is_refused_without_redirecting(string redirectUri)
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");

        var response = await browser.GetAsync(Oidc.AuthorizeUrl(redirectUri: redirectUri, pkce: Oidc.Pkce.Create()));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await Oidc.AuthorizationErrorAsync(response)).ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Authorization_request_without_PKCE_is_refused()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");

        var response = await browser.GetAsync(Oidc.AuthorizeUrl(pkce: null));

        (await Oidc.AuthorizationErrorAsync(response)).ShouldBe("invalid_request");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(null)] // without a method the challenge counts as plain
    public async Task Plain_PKCE_is_refused(string? method)
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var pkce = Oidc.Pkce.Create();

        var response = await browser.GetAsync(Oidc.AuthorizeUrl(pkce: pkce with { Challenge = pkce.Verifier }, challengeMethod: method));

        (await Oidc.AuthorizationErrorAsync(response)).ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Code_redeemed_with_the_wrong_verifier_is_refused()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var code = await Oidc.CodeAsync(browser, Oidc.Pkce.Create());

        var tokens = await Oidc.RedeemAsync(browser, code, Oidc.Pkce.Create().Verifier);

        tokens.Status.ShouldBe(HttpStatusCode.BadRequest);
        tokens.Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Code_redeemed_without_a_verifier_is_refused()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var code = await Oidc.CodeAsync(browser, Oidc.Pkce.Create());

        var tokens = await Oidc.TokenAsync(browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Oidc.PortalRedirect,
            ["client_id"] = Oidc.Portal, ["client_secret"] = Oidc.PortalSecret,
        });

        tokens.Error.ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Reused_authorization_code_is_refused_and_revokes_what_it_gave()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var pkce = Oidc.Pkce.Create();
        var code = await Oidc.CodeAsync(browser, pkce);
        var first = await Oidc.RedeemAsync(browser, code, pkce.Verifier);
        first.Status.ShouldBe(HttpStatusCode.OK);

        var second = await Oidc.RedeemAsync(browser, code, pkce.Verifier);

        second.Error.ShouldBe("invalid_grant");
        (await Oidc.RefreshAsync(browser, first.RefreshToken)).Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Code_issued_to_one_client_cannot_be_redeemed_by_another()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var pkce = Oidc.Pkce.Create();
        var code = await Oidc.CodeAsync(browser, pkce);

        var stolen = await Oidc.RedeemAsync(browser, code, pkce.Verifier, clientId: Oidc.DemoApp, secret: null,
            redirectUri: Oidc.DemoAppRedirect);

        stolen.Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Wrong_client_secret_is_refused()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");
        var pkce = Oidc.Pkce.Create();
        var code = await Oidc.CodeAsync(browser, pkce);

        var tokens = await Oidc.RedeemAsync(browser, code, pkce.Verifier, secret: "not-the-secret");

        tokens.Status.ShouldBe(HttpStatusCode.Unauthorized);
        tokens.Error.ShouldBe("invalid_client");
    }

    [Fact]
    public async Task Revoked_refresh_token_is_refused()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.PortalTokensAsync(browser, "tessa@strikwerda.example");

        var revoked = await Oidc.PostAsync(browser, "/connect/revoke", new()
        {
            ["token"] = tokens.RefreshToken, ["token_type_hint"] = "refresh_token",
            ["client_id"] = Oidc.Portal, ["client_secret"] = Oidc.PortalSecret,
        });
        revoked.Status.ShouldBe(HttpStatusCode.OK);

        (await Oidc.RefreshAsync(browser, tokens.RefreshToken)).Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Refresh_token_of_another_client_is_refused()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.TokenAsync(browser, DevPassword("tessa@strikwerda.example", "openid offline_access"));

        var refresh = await Oidc.RefreshAsync(browser, tokens.RefreshToken); // presented by pgo-portal

        refresh.Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Refresh_token_of_a_removed_account_is_refused()
    {
        using var browser = app.Browser();
        var email = await CreateAccountAsync("verwijderd");
        var tokens = await Oidc.PortalTokensAsync(browser, email, password: AccountPassword);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
            await users.DeleteAsync((await users.FindByEmailAsync(email))!);
        }

        (await Oidc.RefreshAsync(browser, tokens.RefreshToken)).Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Brute_force_locks_the_account_so_even_the_right_password_is_refused()
    {
        var email = await CreateAccountAsync("doelwit");
        using var browser = app.Browser();

        for (var attempt = 1; attempt <= PasswordPolicy.MaxFailedAttempts; attempt++)
        {
            var wrong = await browser.SignInAsync(email, $"geraden wachtwoord {attempt}");
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK); // the page again, with an error
        }

        var right = await browser.SignInAsync(email, AccountPassword);
        right.StatusCode.ShouldBe(HttpStatusCode.OK); // the page again, with the one message for every failure
        (await right.Content.ReadAsStringAsync(Cancel)).ShouldContain("Het e-mailadres of het wachtwoord klopt niet.");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
            (await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!)).ShouldBeTrue();
        }

        var viaToken = await Oidc.TokenAsync(browser, DevPassword(email, "openid"));
        viaToken.Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Account_without_a_FHIR_person_gets_no_patient_or_user_scopes()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.TokenAsync(browser, DevPassword("beheer@pgo.example", "openid patient/*.rs user/Goal.cruds"));

        tokens.Status.ShouldBe(HttpStatusCode.OK);
        var access = new JsonWebToken(tokens.AccessToken);
        access.GetClaim("scope").Value.ShouldBe("openid");
        access.TryGetClaim("fhirUser", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("system/*.rs")]          // a person's token never carries system scopes
    [InlineData("patient/Goal.read")]    // SMART v1 form
    [InlineData("patient/Goal.xyz")]
    [InlineData("admin")]
    public async Task Unknown_or_system_scopes_are_refused_in_a_persons_flow(string scope)
    {
        using var browser = app.Browser();

        var tokens = await Oidc.TokenAsync(browser, DevPassword("tessa@strikwerda.example", $"openid {scope}"));

        tokens.Error.ShouldBe("invalid_scope");
    }

    [Fact]
    public async Task Demo_app_may_not_ask_for_more_than_it_was_registered_for()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("tessa@strikwerda.example");

        // pgo-demo-app is registered for patient/*.rs: writing goals is more than that.
        var response = await browser.GetAsync(Oidc.AuthorizeUrl(Oidc.DemoApp, Oidc.DemoAppRedirect, "openid patient/Goal.cruds",
            Oidc.Pkce.Create()));

        (await Oidc.AuthorizationErrorAsync(response)).ShouldBe("invalid_scope");
    }

    [Fact]
    public async Task System_client_gets_system_scopes_and_nothing_of_a_person()
    {
        using var browser = app.Browser();
        var granted = await Oidc.TokenAsync(browser, SystemClient("system/Goal.rs"));
        granted.Status.ShouldBe(HttpStatusCode.OK);
        var access = new JsonWebToken(granted.AccessToken);
        access.Subject.ShouldBe("pgo-system");
        access.Audiences.ShouldBe(["pgo-api"]);
        access.TryGetClaim("fhirUser", out _).ShouldBeFalse();

        (await Oidc.TokenAsync(browser, SystemClient("system/Goal.cruds"))).Error.ShouldBe("invalid_scope");
        (await Oidc.TokenAsync(browser, SystemClient("patient/*.rs"))).Error.ShouldBe("invalid_scope");
        (await Oidc.TokenAsync(browser, SystemClient("openid"))).Error.ShouldBe("invalid_scope");
    }

    private const string AccountPassword = "een lange zin als wachtwoord";

    private async Task<string> CreateAccountAsync(string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@test.example";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
        var created = await users.CreateAsync(
            new PgoUser { UserName = email, Email = email, DisplayName = name, FhirUser = $"Person/{name}" }, AccountPassword);
        created.Succeeded.ShouldBeTrue();
        return email;
    }

    private static Dictionary<string, string?> DevPassword(string email, string scope) => new()
    {
        ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email,
        ["password"] = email.EndsWith("@test.example", StringComparison.Ordinal) ? AccountPassword : Pgo.Identity.Demo.DemoAccounts.Password,
        ["scope"] = scope,
        ["otp"] = Totp.Code(Pgo.Identity.Demo.DemoAccounts.AuthenticatorKey), // ignored for accounts without two-factor sign-in
    };

    private static Dictionary<string, string?> SystemClient(string scope) => new()
    {
        ["grant_type"] = "client_credentials", ["client_id"] = "pgo-system",
        ["client_secret"] = "development-only-system-secret", ["scope"] = scope,
    };
}
