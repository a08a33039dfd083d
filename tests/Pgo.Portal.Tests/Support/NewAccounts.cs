using Microsoft.Playwright;
using OtpNet;

namespace Pgo.Portal.Tests.Support;

/// <summary>An account a test makes itself (not a demo account): its address, name, password and, once set up, its authenticator key.</summary>
public sealed class NewAccount(string email, string name)
{
    public string Email { get; } = email;
    public string Name { get; } = name;
    public string Password { get; } = "fietsen langs de zee in mei " + email.Split('@')[0];
    public string? AuthenticatorKey { get; set; }

    private long _lastStep;

    /// <summary>A code of the authenticator app, never one this account used before (Identity accepts each code once,
    /// within two 30-second steps either side), as <see cref="DemoUsers.NextCode"/> does for the demo accounts.</summary>
    public string NextCode()
    {
        var key = AuthenticatorKey ?? throw new InvalidOperationException($"{Email} has no authenticator key yet");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        _lastStep = _lastStep >= now ? _lastStep + 1 : now;
        return new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(_lastStep * 30).UtcDateTime);
    }
}

/// <summary>What a new person does at Identity's pages: register from the Portal's sign-in, accept an invitation from its mail
/// link, set up two factors, sign in with them.</summary>
public static class NewAccounts
{
    /// <summary>Opens the Portal, follows "Maak een account aan" on Identity's sign-in page, registers, signs in from the
    /// "Controleer uw e-mail" page (registration signs nobody in: it answers alike for new and existing addresses), and
    /// waits until the Portal shows the person signed in.</summary>
    public static async Task<IPage> RegisterAsync(this IBrowserContext context, NewAccount account)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Maak een account aan" }).ClickAsync();
        await page.FillAsync("#Form_DisplayName", account.Name);
        await page.FillAsync("#Form_Email", account.Email);
        await page.FillAsync("#Form_Password", account.Password);
        await page.ClickAsync("button[type=submit].primary");
        await page.WaitForSelectorAsync("#check-mail");
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#Form_Email", account.Email);
        await page.FillAsync("#Form_Password", account.Password);
        await page.ClickAsync("button[type=submit].primary");
        await page.WaitForSelectorAsync("[data-testid=signed-in-as]", new() { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Opens the invitation link, makes the account for the invited address, accepts, and sets up two factors with
    /// the key the set-up page shows (as a person types it into an authenticator app).</summary>
    public static async Task AcceptInvitationAsync(this IBrowserContext context, string link, NewAccount account)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.ExpectAsync("#summary");
        await page.FillAsync("#Form_DisplayName", account.Name);
        await page.FillAsync("#Form_Password", account.Password);
        await page.ClickAsync("button[type=submit].primary");
        await page.ExpectAsync("#key");
        account.AuthenticatorKey = (await page.InnerTextAsync("#key")).Replace(" ", "", StringComparison.Ordinal);
        await page.FillAsync("#Code", account.NextCode());
        await page.ClickAsync("button[type=submit].primary");
        await page.ExpectAsync("#recovery-codes");
        await page.CloseAsync();
    }

    /// <summary>Signs in to the Portal with password and authenticator code.</summary>
    public static async Task<IPage> SignInAsync(this IBrowserContext context, NewAccount account)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("#Form_Email", account.Email);
        await page.FillAsync("#Form_Password", account.Password);
        await page.ClickAsync("button[type=submit].primary");
        await page.WaitForSelectorAsync("#Code");
        await page.FillAsync("#Code", account.NextCode());
        await page.ClickAsync("button[type=submit].primary");
        await page.WaitForSelectorAsync("[data-testid=signed-in-as]", new() { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Waits (reloading the home page, up to 60 s) until the dossier of <paramref name="name"/> is listed: a grant made
    /// elsewhere (the Api reads accepted invitations from Identity's feed) shows on the next visit, not by itself.</summary>
    public static async Task OpenDossierFromHomeAsync(this IPage page, string name)
    {
        var link = page.Locator("[data-testid=dossier-link]", new() { HasText = name });
        for (var i = 0; i < 60; i++)
        {
            await page.OpenAsync("/", "[data-testid=dossier-link], [data-testid=no-dossiers]");
            if (await link.CountAsync() > 0) break;
            await Task.Delay(1000);
        }
        await link.ClickAsync();
        await page.ExpectAsync($"main h1:has-text('{name}')");
    }
}
