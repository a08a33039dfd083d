using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;

namespace Pgo.Identity.Tests.Support;

/// <summary>Accounts made for one test, and what the tests read back from the database.</summary>
public static class TestAccounts
{
    public const string Password = "een lange zin als wachtwoord";

    public static async Task<string> CreateAsync(IdentityApp app, string role, string name = "test")
    {
        var email = $"{name}-{Guid.NewGuid():N}@test.example";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
        var user = new PgoUser { UserName = email, Email = email, DisplayName = name };
        user.FhirUser = user.NewFhirUser();
        (await users.CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        return email;
    }

    public static async Task<PgoUser> FindAsync(IdentityApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>().FindByEmailAsync(email)).ShouldNotBeNull();
    }

    public static async Task<List<SignInEventKind>> LogAsync(IdentityApp app, string email)
    {
        var user = await FindAsync(app, email);
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SignInLogbook>().RecentAsync(user.Id, 100)).Select(e => e.Kind).ToList();
    }

    /// <summary>Sets up two-factor sign-in on the set-up page like a person with an app; returns the key and recovery codes.</summary>
    public static async Task<(string Key, List<string> RecoveryCodes)> SetUpTwoFactorAsync(Browser browser)
    {
        var page = await browser.GetStringAsync(AccountPaths.TwoFactorSetup);
        var key = WebUtility.HtmlDecode(Regex.Match(page, "<code id=\"key\">([^<]+)</code>").Groups[1].Value).Replace(" ", "");
        key.Length.ShouldBe(32);
        var enabled = await browser.PostAsync(AccountPaths.TwoFactorSetup + "?handler=Enable", page,
            new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
        var done = await enabled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        enabled.StatusCode.ShouldBe(HttpStatusCode.OK, done);
        var codes = Regex.Matches(done, "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value).ToList();
        codes.Count.ShouldBe(10, done);
        return (key, codes);
    }
}
