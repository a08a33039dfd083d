using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.Smart;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>
/// <c>GET /api/accounts/contact</c>: the Api (client credentials, scope <c>account-contact</c>) learns where and in which
/// language to mail a person; nobody else learns anything from it.
/// </summary>
public class ContactApiTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task System_client_with_account_contact_gets_the_address_confirmation_language_and_name_of_a_Person()
    {
        using var browser = app.Browser();
        var token = await SystemTokenAsync(browser, "account-contact");
        var (status, json) = await ContactAsync(browser, "Person/strikwerda-tessa", token);
        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        json.GetProperty("email").GetString().ShouldBe("tessa@strikwerda.example");
        json.GetProperty("confirmed").GetBoolean().ShouldBeTrue();
        json.GetProperty("language").GetString().ShouldBe("nl");
        json.GetProperty("name").GetString().ShouldBe("Tessa Strikwerda");
        // Nothing else of the account: no roles, no dossiers, no id.
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["email", "confirmed", "language", "name"], ignoreOrder: true);
    }

    [Fact]
    public async Task An_unconfirmed_English_account_says_so_and_is_found_by_sub_too()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "contact");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            user.Language = Languages.English;
            (await users.UpdateAsync(user)).Succeeded.ShouldBeTrue();
        }
        var account = await TestAccounts.FindAsync(app, email);
        using var browser = app.Browser();
        var token = await SystemTokenAsync(browser, "account-contact");

        foreach (var person in new[] { account.FhirUser!, "sub:" + account.Id })
        {
            var (status, json) = await ContactAsync(browser, person, token);
            status.ShouldBe(HttpStatusCode.OK, json.ToString());
            json.GetProperty("email").GetString().ShouldBe(email);
            json.GetProperty("confirmed").GetBoolean().ShouldBeFalse();
            json.GetProperty("language").GetString().ShouldBe("en");
        }
    }

    [Fact]
    public async Task Unknown_person_is_404_and_a_malformed_one_400()
    {
        using var browser = app.Browser();
        var token = await SystemTokenAsync(browser, "account-contact");
        (await ContactAsync(browser, "Person/bestaat-niet", token)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await ContactAsync(browser, "sub:bestaat-niet", token)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await ContactAsync(browser, "Patient/strikwerda-jesse", token)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await ContactAsync(browser, "", token)).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Without_the_account_contact_scope_a_system_client_is_refused()
    {
        using var browser = app.Browser();
        var token = await SystemTokenAsync(browser, "system/*.rs invitations");
        (await ContactAsync(browser, "Person/strikwerda-tessa", token)).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401()
    {
        using var browser = app.Browser();
        (await ContactAsync(browser, "Person/strikwerda-tessa", null)).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_person_can_neither_get_the_scope_nor_use_the_endpoint_with_a_token_for_Identity()
    {
        using var browser = app.Browser();
        // The person's own token for Identity (the invitations scope gives it Identity's audience) does not open it.
        var person = await Oidc.TokenAsync(browser, DevPassword("tessa@strikwerda.example", "openid fhirUser invitations"));
        person.Status.ShouldBe(HttpStatusCode.OK, person.Json.ToString());
        (await ContactAsync(browser, "Person/strikwerda-tessa", person.AccessToken)).Status.ShouldBe(HttpStatusCode.Forbidden);

        var asked = await Oidc.TokenAsync(browser, DevPassword("tessa@strikwerda.example", "openid account-contact"));
        asked.Status.ShouldBe(HttpStatusCode.BadRequest);
        asked.Error.ShouldBe("invalid_scope");
    }

    [Fact]
    public void The_scope_is_for_system_clients_with_its_permission_only()
    {
        string[] system = ["scp:system/*.rs", "scp:invitations", "scp:account-contact"];
        ScopePolicy.Refusal(ScopePolicy.AccountContact, system, clientCredentials: true).ShouldBeNull();
        ScopePolicy.Refusal(ScopePolicy.AccountContact, system, clientCredentials: false).ShouldNotBeNull();
        ScopePolicy.Refusal(ScopePolicy.AccountContact, ["scp:system/*.rs", "scp:invitations"], clientCredentials: true).ShouldNotBeNull();
    }

    private static Dictionary<string, string?> DevPassword(string email, string scope) => new()
    {
        ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = Demo.DemoAccounts.Password,
        ["scope"] = scope,
    };

    private static async Task<string> SystemTokenAsync(Browser browser, string scope)
    {
        var tokens = await Oidc.TokenAsync(browser, new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "pgo-system", ["client_secret"] = "development-only-system-secret",
            ["scope"] = scope,
        });
        tokens.Status.ShouldBe(HttpStatusCode.OK, tokens.Json.ToString());
        return tokens.AccessToken;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> ContactAsync(Browser browser, string person, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ContactApi.Path + "?person=" + Uri.EscapeDataString(person));
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        var response = await browser.Http.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
