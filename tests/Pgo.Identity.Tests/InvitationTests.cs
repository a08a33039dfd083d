using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Invitations end to end: the API, the mail read from the SMTP listener, the accept page, the Api's feed.</summary>
public class InvitationTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Identity checks an invitation's sections against its own list: a section the dossier gains (issue 20's
    /// gebeurtenissen) must be invitable too, or the Portal's invitation is refused.</summary>
    [Fact]
    public void The_invitable_sections_are_the_dossier_sections_but_the_zorgtestament()
    {
        Pgo.Identity.Invitations.InvitationTexts.Sections.Keys.ShouldBe(
            Pgo.Shared.Codes.DossierSections.Dossier.Where(s => s != Pgo.Shared.Codes.DossierSections.Zorgtestament), ignoreOrder: true);
    }

    [Fact]
    public async Task A_read_only_invitation_mail_says_meekijken_and_names_the_sections()
    {
        var email = $"meekijker-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        await CreateAsync(browser, await TokenAsync(browser, "tessa@strikwerda.example"), email, access: "read");
        var body = (await app.Mail.WaitForAsync(email)).Body();
        body.ShouldContain("Tessa Strikwerda nodigt u uit om mee te kijken in het dossier van Jesse Strikwerda op PGO");
        body.ShouldNotContain("mee te werken");
        body.ShouldContain("U kunt meekijken in: Doelen, Logboek (alleen lezen).");
    }

    [Fact]
    public async Task A_second_regiehouder_is_invited_without_sections_and_the_account_becomes_regiehouder()
    {
        var email = $"tweede-ouder-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        var body = Body(email, "regiehouder", "frank-leo", "Leo Frank");
        body["sections"] = Array.Empty<string>();
        using var request = Bearer(HttpMethod.Post, "/api/invitations", await TokenAsync(browser, "karin@frank.example"), body);
        var response = await browser.Http.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        JsonDocument.Parse(text).RootElement.GetProperty("access").GetString().ShouldBe("write");

        var mail = await app.Mail.WaitForAsync(email);
        mail.Body().ShouldContain("U krijgt de regie over het hele dossier");
        var link = mail.LinkTo(AccountPaths.Invitation);
        var page = await browser.GetStringAsync(link);
        page.ShouldContain("als tweede regiehouder.");
        await browser.PostAsync(link.Replace("?", "?handler=CreateAccount&"), page, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Tweede Ouder", ["Form.Password"] = "een lange zin als wachtwoord",
        });
        var account = await TestAccounts.FindAsync(app, email);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PgoUser>>();
        (await users.IsInRoleAsync((await users.FindByIdAsync(account.Id))!, "regiehouder")).ShouldBeTrue();
    }

    [Fact]
    public async Task Invited_supporter_creates_an_account_accepts_once_and_the_Api_sees_it_only_after_acceptance()
    {
        var email = $"bondgenoot-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        var since = DateTime.UtcNow.AddSeconds(-1).ToString("O");
        var created = await CreateAsync(browser, await TokenAsync(browser, "tessa@strikwerda.example"), email, role: "supporter");
        created.GetProperty("status").GetString().ShouldBe("pending");
        (await FeedIdsAsync(browser, since)).ShouldNotContain(created.GetProperty("id").GetString());

        var mail = await app.Mail.WaitForAsync(email);
        mail.Subject.ShouldBe("Tessa Strikwerda nodigt u uit in het dossier van Jesse Strikwerda");
        mail.Body().ShouldContain("Er wordt niets gedeeld voordat u de uitnodiging aanneemt.");
        var link = mail.LinkTo(AccountPaths.Invitation);
        var page = await browser.GetStringAsync(link);
        page.ShouldContain("Tessa Strikwerda nodigt u uit in het dossier van Jesse Strikwerda, als cliëntondersteuner.");
        page.ShouldContain("Doelen");

        var accepted = await browser.PostAsync(link.Replace("?", "?handler=CreateAccount&"), page, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Nieuwe Bondgenoot", ["Form.Password"] = "een lange zin als wachtwoord",
        });

        // A supporter must set up two-factor sign-in before anything else.
        accepted.Headers.Location!.OriginalString.ShouldStartWith(AccountPaths.TwoFactorSetup);
        var account = await TestAccounts.FindAsync(app, email);
        account.EmailConfirmed.ShouldBeTrue();
        var feed = await FeedAsync(browser, since);
        var item = feed.Single(i => i.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        item.GetProperty("status").GetString().ShouldBe("accepted");
        item.GetProperty("acceptedBy").GetString().ShouldBe(account.Id);
        item.GetProperty("acceptedByFhirUser").GetString().ShouldBe(account.FhirUser);
        item.GetProperty("acceptedByName").GetString().ShouldBe("Nieuwe Bondgenoot");
        item.GetProperty("patient").GetString().ShouldBe("strikwerda-jesse");
        item.GetProperty("invitedBy").GetProperty("fhirUser").GetString().ShouldBe("Person/strikwerda-tessa");

        using var again = app.Browser();
        (await again.GetStringAsync(link)).ShouldContain("Deze uitnodiging is al aangenomen.");
    }

    [Fact]
    public async Task Person_invited_by_two_families_has_one_account_with_two_dossiers_and_picks_one_at_launch()
    {
        var email = $"zorg-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        await CreateAsync(browser, await TokenAsync(browser, "ilona@dewit.example"), email, role: "family", patient: "dewit-kim", patientName: "Kim de Wit");
        var first = (await app.Mail.WaitForAsync(email)).LinkTo(AccountPaths.Invitation);
        var page = await browser.GetStringAsync(first);
        (await browser.PostAsync(first.Replace("?", "?handler=CreateAccount&"), page, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Oma de Wit", ["Form.Password"] = "een lange zin als wachtwoord",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await CreateAsync(browser, await TokenAsync(browser, "loes@sterk.example"), email, role: "family", patient: "sterk-johan", patientName: "Johan Sterk");
        var second = (await app.Mail.WaitForAsync(email, m => m.Subject.Contains("Johan"))).LinkTo(AccountPaths.Invitation);
        var secondPage = await browser.GetStringAsync(second); // still signed in as the invitee
        (await browser.PostAsync(second.Replace("?", "?handler=Accept&"), secondPage, [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var account = await browser.GetStringAsync("/account");
        account.ShouldContain("Kim de Wit");
        account.ShouldContain("Johan Sterk");

        var pkce = Oidc.Pkce.Create();
        var picker = await browser.GetAsync(Oidc.AuthorizeUrl(scope: "openid fhirUser launch/patient patient/*.rs", pkce: pkce));
        var pickerPage = await picker.Content.ReadAsStringAsync(Cancel);
        pickerPage.ShouldContain("Over wie gaat het?");
        var picked = await browser.PostAsync("/connect/authorize", pickerPage, [.. Browser.HiddenFields(pickerPage), new("pgo_patient", "sterk-johan")]);
        var tokens = await Oidc.RedeemAsync(browser, Oidc.RedirectParameters(picked)["code"], pkce.Verifier);

        tokens.Json.GetProperty("patient").GetString().ShouldBe("sterk-johan");
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(tokens.AccessToken).GetClaim("patient").Value.ShouldBe("sterk-johan");
    }

    [Fact]
    public async Task Launch_with_one_dossier_needs_no_picking_and_the_token_response_names_the_patient()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.PortalTokensAsync(browser, "gulan@bilic.example", scope: "openid fhirUser launch/patient patient/*.rs");
        tokens.Json.GetProperty("patient").GetString().ShouldBe("bilic-atilla");
    }

    [Fact]
    public async Task Invitation_accepted_while_signed_in_with_another_address_is_refused()
    {
        var email = $"ander-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        await CreateAsync(browser, await TokenAsync(browser, "karin@frank.example"), email, patient: "frank-leo", patientName: "Leo Frank");
        var link = (await app.Mail.WaitForAsync(email)).LinkTo(AccountPaths.Invitation);

        await browser.SignInSuccessfullyAsync("ruben@frank.example");
        var page = await browser.GetStringAsync(link);
        var refused = await browser.PostAsync(link.Replace("?", "?handler=Accept&"), page, []);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync(Cancel)).ShouldContain("voor een ander e-mailadres");
        using var fresh = app.Browser();
        (await fresh.GetStringAsync(link)).ShouldContain("Maak uw account"); // still open for the right person
    }

    [Fact]
    public async Task Withdrawn_invitation_is_refused_and_never_reaches_the_Api()
    {
        var email = $"ingetrokken-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        var token = await TokenAsync(browser, "tessa@strikwerda.example");
        var created = await CreateAsync(browser, token, email);
        var link = (await app.Mail.WaitForAsync(email)).LinkTo(AccountPaths.Invitation);

        using (var someoneElse = Bearer(HttpMethod.Delete, $"/api/invitations/{created.GetProperty("id").GetString()}",
                   await TokenAsync(browser, "karin@frank.example")))
            (await browser.Http.SendAsync(someoneElse, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var withdraw = Bearer(HttpMethod.Delete, $"/api/invitations/{created.GetProperty("id").GetString()}", token))
            (await browser.Http.SendAsync(withdraw, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var page = await browser.GetStringAsync(link);
        page.ShouldContain("heeft deze uitnodiging ingetrokken");
        (await browser.PostAsync(link.Replace("?", "?handler=CreateAccount&"), page, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Te Laat", ["Form.Password"] = "een lange zin als wachtwoord",
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestAccountsExist(email)).ShouldBeFalse();
        (await FeedIdsAsync(browser, null)).ShouldNotContain(created.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Expired_invitation_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var clocked = new IdentityApp("Development", services: s => s.AddSingleton<TimeProvider>(clock));
        var email = $"verlopen-{Guid.NewGuid():N}@test.example";
        using var browser = clocked.Browser();
        await CreateAsync(browser, await TokenAsync(browser, "tessa@strikwerda.example"), email);
        var link = (await clocked.Mail.WaitForAsync(email)).LinkTo(AccountPaths.Invitation);

        clock.Advance(TimeSpan.FromDays(15)); // invitations work 14 days

        var page = await browser.GetStringAsync(link);
        page.ShouldContain("Deze uitnodiging is verlopen.");
        page.ShouldNotContain("Maak uw account");
    }

    [Fact]
    public async Task Only_a_regiehouder_or_the_system_client_may_invite_and_only_the_system_client_reads_the_feed()
    {
        using var browser = app.Browser();
        var body = Body($"x-{Guid.NewGuid():N}@test.example", "family", "strikwerda-jesse", "Jesse");

        using (var anonymous = new HttpRequestMessage(HttpMethod.Post, "/api/invitations") { Content = JsonContent.Create(body) })
            (await browser.Http.SendAsync(anonymous, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var supporter = await TokenAsync(browser, "ricardo@bondgenoten.example");
        using (var bySupporter = Bearer(HttpMethod.Post, "/api/invitations", supporter, body))
            (await browser.Http.SendAsync(bySupporter, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var withoutScope = (await Oidc.TokenAsync(browser, DevPassword("tessa@strikwerda.example", "openid fhirUser"))).AccessToken;
        using (var apiToken = Bearer(HttpMethod.Post, "/api/invitations", withoutScope, body))
            (await browser.Http.SendAsync(apiToken, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized); // a token for the Api, not for Identity
        using (var personFeed = Bearer(HttpMethod.Get, "/api/invitations/accepted", await TokenAsync(browser, "tessa@strikwerda.example")))
            (await browser.Http.SendAsync(personFeed, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var system = await SystemTokenAsync(browser);
        using (var withoutInviter = Bearer(HttpMethod.Post, "/api/invitations", system, body))
            (await browser.Http.SendAsync(withoutInviter, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var onBehalf = new Dictionary<string, object?>(body) { ["invitedBy"] = new { fhirUser = "Person/bondgenoot-ricardo", name = "Ricardo (bondgenoot)" } };
        using (var bySystem = Bearer(HttpMethod.Post, "/api/invitations", system, onBehalf))
        {
            var response = await browser.Http.SendAsync(bySystem, Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
            json.GetProperty("invitedByClient").GetString().ShouldBe("pgo-system");
            json.GetProperty("invitedBy").GetProperty("name").GetString().ShouldBe("Ricardo (bondgenoot)");
        }
    }

    [Theory]
    [InlineData("geen-adres", "family", "strikwerda-jesse", "doelen", "email")]
    [InlineData("{0}", "admin", "strikwerda-jesse", "doelen", "role")]
    [InlineData("{0}", "family", "Patient/../../etc", "doelen", "patient")]
    [InlineData("{0}", "family", "strikwerda-jesse", "alles", "sections")]
    [InlineData("tessa@strikwerda.example", "family", "strikwerda-jesse", "doelen", "email")]
    public async Task Bad_invitation_requests_are_refused_with_the_field_named(string email, string role, string patient, string section, string field)
    {
        using var browser = app.Browser();
        var body = Body(string.Format(CultureInfo.InvariantCulture, email, $"x-{Guid.NewGuid():N}@test.example"), role, patient, "Jesse");
        body["sections"] = new[] { section };
        using var request = Bearer(HttpMethod.Post, "/api/invitations", await TokenAsync(browser, "tessa@strikwerda.example"), body);

        var response = await browser.Http.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    private async Task<bool> TestAccountsExist(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PgoUser>>().FindByEmailAsync(email) is not null;
    }

    private static Dictionary<string, object?> Body(string email, string role, string patient, string patientName, string access = "write") => new()
    {
        ["email"] = email, ["role"] = role, ["patient"] = patient, ["patientName"] = patientName,
        ["sections"] = new[] { "doelen", "logboek" }, ["access"] = access, ["message"] = "Fijn als je meekijkt.",
    };

    private static async Task<JsonElement> CreateAsync(Browser browser, string token, string email, string role = "family",
        string patient = "strikwerda-jesse", string patientName = "Jesse Strikwerda", string access = "write")
    {
        using var request = Bearer(HttpMethod.Post, "/api/invitations", token, Body(email, role, patient, patientName, access));
        var response = await browser.Http.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<JsonElement>> FeedAsync(Browser browser, string? since)
    {
        using var request = Bearer(HttpMethod.Get, "/api/invitations/accepted" + (since is null ? "" : $"?since={Uri.EscapeDataString(since)}"),
            await SystemTokenAsync(browser));
        var response = await browser.Http.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<List<string?>> FeedIdsAsync(Browser browser, string? since) =>
        (await FeedAsync(browser, since)).Select(i => i.GetProperty("id").GetString()).ToList();

    private static HttpRequestMessage Bearer(HttpMethod method, string url, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    private static Dictionary<string, string?> DevPassword(string email, string scope, string? otp = null) => new()
    {
        ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = Demo.DemoAccounts.Password,
        ["scope"] = scope, ["otp"] = otp ?? Totp.Code(Demo.DemoAccounts.AuthenticatorKey),
    };

    private static async Task<string> TokenAsync(Browser browser, string email)
    {
        // Each authenticator code works once per account: take the next one when this account just used the current one.
        TokenResponse tokens = null!;
        foreach (var otp in Totp.Acceptable(Demo.DemoAccounts.AuthenticatorKey))
            if ((tokens = await Oidc.TokenAsync(browser, DevPassword(email, "openid fhirUser profile email roles invitations", otp))).Status == HttpStatusCode.OK) break;
        tokens.Status.ShouldBe(HttpStatusCode.OK, tokens.Json.ToString());
        return tokens.AccessToken;
    }

    private static async Task<string> SystemTokenAsync(Browser browser) =>
        (await Oidc.TokenAsync(browser, new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "pgo-system", ["client_secret"] = "development-only-system-secret",
            ["scope"] = "system/*.rs invitations",
        })).AccessToken;
}
