using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;
using Pgo.Identity.Tests.Support;
using Pgo.Identity.TwoFactor;

namespace Pgo.Identity.Tests;

/// <summary>
/// Issue 13, W8: nothing Identity answers tells whether an address has an account or an account is locked
/// (registration is in RegistrationTests, the reset page in PasswordResetAndMailTests); and refused authenticator
/// codes in the Development password grant do not lock the account.
/// </summary>
public class SameAnswerTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_page_says_the_same_for_an_unknown_address_a_wrong_password_and_a_locked_account()
    {
        var known = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "bekend");
        var locked = await LockedAccountAsync();
        using var browser = app.Browser();

        var unknown = await browser.SignInAsync($"niemand-{Guid.NewGuid():N}@test.example", "een verkeerd lang wachtwoord");
        var wrong = await browser.SignInAsync(known, "een verkeerd lang wachtwoord");
        var whileLocked = await browser.SignInAsync(locked, TestAccounts.Password); // even the right password

        foreach (var response in new[] { unknown, wrong, whileLocked }) response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var messages = new[] { unknown, wrong, whileLocked }.Select(r => Alert(r.Content.ReadAsStringAsync(Cancel).Result)).ToList();
        messages.Distinct().ShouldHaveSingleItem().ShouldStartWith("Het e-mailadres of het wachtwoord klopt niet.");
        messages[0].ShouldNotContain("geblokkeerd");
    }

    [Fact]
    public async Task Token_endpoint_answers_the_same_for_an_unknown_address_a_wrong_password_and_a_locked_account()
    {
        var known = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "bekend");
        var locked = await LockedAccountAsync();
        using var browser = app.Browser();

        var unknown = await Oidc.TokenAsync(browser, DevPassword($"niemand-{Guid.NewGuid():N}@test.example", "een verkeerd lang wachtwoord"));
        var wrong = await Oidc.TokenAsync(browser, DevPassword(known, "een verkeerd lang wachtwoord"));
        var whileLocked = await Oidc.TokenAsync(browser, DevPassword(locked, TestAccounts.Password));

        foreach (var answer in new[] { unknown, wrong, whileLocked })
        {
            answer.Status.ShouldBe(HttpStatusCode.BadRequest);
            answer.Error.ShouldBe("invalid_grant");
        }
        new[] { unknown, wrong, whileLocked }.Select(a => a.Json.ToString()).Distinct().ShouldHaveSingleItem();
        unknown.Json.ToString().ShouldNotContain("The account is locked");
    }

    [Fact]
    public async Task Refused_authenticator_codes_in_the_development_password_grant_do_not_lock_the_account()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "script");
        string key;
        using (var setUp = app.Browser())
        {
            await setUp.SignInSuccessfullyAsync(email, TestAccounts.Password);
            (key, _) = await TestAccounts.SetUpTwoFactorAsync(setUp); // spends the current step's code
        }
        using var browser = app.Browser();

        // A script that keeps sending a spent code, more often than the lockout allows wrong passwords.
        var spent = Totp.Code(key);
        for (var attempt = 0; attempt < PasswordPolicy.MaxFailedAttempts + 2; attempt++)
            (await Oidc.TokenAsync(browser, DevPassword(email, TestAccounts.Password, spent))).Error.ShouldBe("invalid_grant");

        var account = await TestAccounts.FindAsync(app, email);
        account.AccessFailedCount.ShouldBe(0);
        account.LockoutEnd.ShouldBeNull();
        (await TestAccounts.LogAsync(app, email)).ShouldContain(SignInEventKind.TwoFactorFailed);
        // The interactive sign-in still takes the password and asks for the code.
        var signIn = await browser.SignInAsync(email, TestAccounts.Password);
        signIn.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.SignInCode);
    }

    [Fact]
    public async Task Refused_codes_are_bounded_per_account_instead_so_after_the_limit_no_code_is_checked()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "raden");
        string key;
        using (var setUp = app.Browser())
        {
            await setUp.SignInSuccessfullyAsync(email, TestAccounts.Password);
            (key, _) = await TestAccounts.SetUpTwoFactorAsync(setUp);
        }
        using var browser = app.Browser();
        var spent = Totp.Code(key);
        for (var attempt = 0; attempt < RefusedCodeLimit.MaxPerWindow; attempt++)
            await Oidc.TokenAsync(browser, DevPassword(email, TestAccounts.Password, spent));

        var right = await Oidc.TokenAsync(browser, DevPassword(email, TestAccounts.Password, Totp.Step(key, 1)));

        right.Error.ShouldBe("invalid_grant");
        right.Json.ToString().ShouldContain("Too many refused authenticator codes");
        (await TestAccounts.FindAsync(app, email)).LockoutEnd.ShouldBeNull();
    }

    private async Task<string> LockedAccountAsync()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "geblokkeerd");
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        (await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.Add(PasswordPolicy.LockoutDuration))).Succeeded.ShouldBeTrue();
        return email;
    }

    private static string Alert(string page) =>
        System.Net.WebUtility.HtmlDecode(Regex.Match(page, "<p class=\"error\" role=\"alert\">([^<]*)</p>").Groups[1].Value);

    private static Dictionary<string, string?> DevPassword(string email, string password, string? otp = null) => new()
    {
        ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = password,
        ["scope"] = "openid", ["otp"] = otp,
    };
}
