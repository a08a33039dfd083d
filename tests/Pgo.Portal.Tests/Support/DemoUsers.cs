using System.Collections.Concurrent;
using Microsoft.Playwright;
using OtpNet;

namespace Pgo.Portal.Tests.Support;

/// <summary>A demo account of Identity/README.md: who they are and what their own world holds.</summary>
public sealed record DemoUser(string Email, string Name, string Role, bool TwoFactor, string[] Dossiers);

public static class DemoUsers
{
    public const string Password = "demo-wachtwoord-pgo";

    /// <summary>Identity/README.md: the Development authenticator key of every demo account with two factors.</summary>
    public const string AuthenticatorKey = "PGODEMOAUTHENTICATORKEYFORDEVXYZ";

    public static readonly DemoUser Tessa = new("tessa@strikwerda.example", "Tessa Strikwerda", "regiehouder", false, ["Jesse Strikwerda"]);
    public static readonly DemoUser Ricardo = new("ricardo@bondgenoten.example", "Ricardo (bondgenoot)", "supporter", true, ["Jesse Strikwerda", "Cheryl Strikwerda"]);
    public static readonly DemoUser Bos = new("casemanager@dementiezorg.example", "Annelies Bos (casemanager dementie)", "professional", true, ["Jesse Strikwerda"]);
    public static readonly DemoUser DeGroot = new("wmo@gemeente.example", "Peter de Groot (Wmo-consulent)", "agency", true, ["Jesse Strikwerda"]);
    public static readonly DemoUser Gulan = new("gulan@bilic.example", "Gulan Bilic", "regiehouder", false, ["Atilla Bilic"]);
    public static readonly DemoUser Luc = new("luc@vanassen.example", "Luc van Assen", "regiehouder", false, ["Luc van Assen"]);
    public static readonly DemoUser Elise = new("elise@bondgenoten.example", "Elise (bondgenoot)", "supporter", true, ["Luc van Assen"]);
    public static readonly DemoUser Coach = new("coach@bondgenoten.example", "Marieke Smit (coach)", "supporter", true, []);
    /// <summary>Issue 20: the school social worker who refers families (no dossier; not in <see cref="All"/>, ReferralTests signs her in).</summary>
    public static readonly DemoUser Sanne = new("smw@school.example", "Sanne Visser (schoolmaatschappelijk werker)", "professional", true, []);

    /// <summary>Every demo account of Identity/README.md with the dossiers it must see in the Portal.</summary>
    public static readonly DemoUser[] All =
    [
        Tessa, Ricardo, Bos, DeGroot, Gulan,
        new("cheryl@strikwerda.example", "Cheryl Strikwerda", "regiehouder", false, ["Cheryl Strikwerda"]),
        new("khadija@bondgenoten.example", "Khadija (bondgenoot)", "supporter", true, ["Atilla Bilic"]),
        new("loes@sterk.example", "Loes Sterk", "regiehouder", false, ["Johan Sterk"]),
        new("sven@bondgenoten.example", "Sven (bondgenoot)", "supporter", true, ["Johan Sterk"]),
        new("karin@frank.example", "Karin Frank", "regiehouder", false, ["Leo Frank"]),
        new("ruben@frank.example", "Ruben Frank", "regiehouder", false, ["Leo Frank"]),
        new("hans@bondgenoten.example", "Hans (bondgenoot)", "supporter", true, ["Leo Frank"]),
        new("ilona@dewit.example", "Ilona de Wit", "regiehouder", false, ["Kim de Wit", "Lex de Wit"]),
        new("ilse@bondgenoten.example", "Ilse (bondgenoot)", "supporter", true, ["Kim de Wit", "Lex de Wit"]),
        Luc, Elise, Coach,
        new("beheer@pgo.example", "Beheerder PGO", "admin", true, []),
    ];

    private static readonly Dictionary<string, HashSet<long>> UsedSteps = new(StringComparer.Ordinal);

    /// <summary>
    /// An authenticator code this account has not used yet. Identity accepts each code once per account (replay guard),
    /// from two 30-second steps before to two after its own: a sign-in takes the lowest unused step from one before now
    /// to two after (four per step), and when all of them are taken, waits for the next step to begin (the only event
    /// that frees a code), rather than sending a code Identity would refuse.
    /// </summary>
    public static async Task<string> NextCodeAsync(DemoUser user)
    {
        while (true)
        {
            long now;
            lock (UsedSteps)
            {
                now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
                if (!UsedSteps.TryGetValue(user.Email, out var used)) UsedSteps[user.Email] = used = [];
                used.RemoveWhere(step => step < now - 2);
                for (var step = now - 1; step <= now + 2; step++)
                    if (used.Add(step))
                        return new Totp(Base32Encoding.ToBytes(AuthenticatorKey)).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
            }
            var next = DateTimeOffset.FromUnixTimeSeconds((now + 1) * 30);
            var wait = next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// Each demo user's Identity session (the <c>pgo.identity</c> cookie) from their first sign-in in this run. A later
    /// sign-in starts a fresh browser context with it, as a person's browser that is still signed in to Identity: the
    /// Portal's own sign-in (authorization code + PKCE, a new Portal cookie and tokens) still runs in full, but the
    /// password and the authenticator code are not asked again. This keeps a run from waiting up to 30 s for a fresh
    /// authenticator code each time the same 2FA account signs in (Identity accepts each code once per account).
    /// </summary>
    private static readonly ConcurrentDictionary<string, Cookie[]> Sessions = new(StringComparer.Ordinal);

    /// <summary>Signs in through Identity's pages (password, then the authenticator code when the account has two factors)
    /// and waits until the Portal shows the person's name. With <paramref name="reuseSession"/> (the default) a user who
    /// signed in before in this run goes through Identity on their kept session; the sign-in tests pass false.</summary>
    public static async Task<IPage> SignInAsync(this IBrowserContext context, DemoUser user, string path = "/", bool reuseSession = true)
    {
        if (reuseSession && Sessions.TryGetValue(user.Email, out var session)) await context.AddCookiesAsync(session);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        var signedIn = page.Locator("[data-testid=signed-in-as]");
        var form = page.Locator("#Form_Email");
        await signedIn.Or(form).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        if (await form.CountAsync() == 0)
        {
            // Identity knew the session: the Portal must now show this person, nobody else.
            var shown = (await signedIn.TextContentAsync())?.Trim();
            if (shown != user.Name) throw new InvalidOperationException($"Signed in as '{shown}' instead of {user.Name}.");
            return page;
        }
        await page.FillAsync("#Form_Email", user.Email);
        await page.FillAsync("#Form_Password", Password);
        await page.ClickAsync("button[type=submit].primary");
        if (user.TwoFactor)
        {
            await page.WaitForSelectorAsync("#Code");
            await page.FillAsync("#Code", await NextCodeAsync(user));
            await page.ClickAsync("button[type=submit].primary");
        }
        await signedIn.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Sessions[user.Email] = [.. (await context.CookiesAsync())
            .Where(c => c.Name.StartsWith("pgo.identity", StringComparison.Ordinal))
            .Select(c => new Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires,
                HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
            })];
        return page;
    }
}
