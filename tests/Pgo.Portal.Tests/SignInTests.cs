using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Every demo account signs in through Identity (code flow + PKCE) and sees its own world, and nobody else's.</summary>
public sealed class SignInTests(PortalStack stack)
{
    public static TheoryData<string> Accounts() =>
        new(DemoUsers.All.Select(u => u.Email).Where(e => Environment.GetEnvironmentVariable("PGO_PORTAL_ONLY") is not { } only || e.StartsWith(only, StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Accounts))]
    public async Task Each_demo_user_signs_in_and_sees_only_their_own_dossiers(string email)
    {
        var user = DemoUsers.All.Single(u => u.Email == email);
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(user, reuseSession: false);

        (await page.TextContentAsync("[data-testid=signed-in-as]")).ShouldBe(user.Name);
        await page.ExpectAsync(user.Dossiers.Length > 0 ? "[data-testid=dossier-link]" : "[data-testid=no-dossiers]");
        var shown = await page.Locator("[data-testid=dossier-link]").AllTextContentsAsync();
        shown.Select(s => s.Trim()).Order().ShouldBe(user.Dossiers.Order(), $"{user.Email} sees the wrong dossiers");
    }
}
