using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pgo.Api.Tests.Fhir;

namespace Pgo.Api.Tests.EndToEnd;

/// <summary>Pgo.Identity and Pgo.Api as real processes on real ports, the Api validating Identity's tokens with its JWKS
/// and reading its accepted-invitations feed as the pgo-system client. Started once for the class.</summary>
public sealed class IdentityAndApi : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("pgo-e2e-").FullName;
    internal IdentityProcess Identity { get; private set; } = null!;
    internal ApiProcess Api { get; private set; } = null!;
    public string ApiUrl => Api.BaseAddress.ToString().TrimEnd('/');

    public async ValueTask InitializeAsync()
    {
        Identity = await IdentityProcess.StartAsync(Path.Combine(root, "identity"));
        Api = await ApiProcess.StartAsync(Path.Combine(root, "api"), new Dictionary<string, string>
        {
            ["Pgo__LoadDemoData"] = "true",
            ["Pgo__Invitations__ClientSecret"] = "development-only-system-secret", // Identity/appsettings.Development.json
            ["Pgo__Invitations__PollSeconds"] = "0.5",
        }, identityAuthority: Identity.BaseUrl);
    }

    public ValueTask DisposeAsync()
    {
        Api?.Dispose();
        Identity?.Dispose();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

public sealed class IdentityAndApiTests(IdentityAndApi system) : IClassFixture<IdentityAndApi>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> Api(string path, string token) => Person.GetAsync(system.ApiUrl + path, token);

    [Fact]
    public async Task A_professional_signs_in_with_code_PKCE_and_TOTP_reads_her_granted_dossier_and_not_another_familys()
    {
        using var annelies = new Person(system.Identity.BaseUrl);
        await annelies.SignInAsync("casemanager@dementiezorg.example"); // a professional: password and authenticator code
        var tokens = await annelies.CodeFlowAsync("openid fhirUser offline_access user/*.rs");
        var access = tokens.GetProperty("access_token").GetString()!;
        Claims(access).GetProperty("fhirUser").GetString().ShouldBe("Person/casemanager-dementie-bos");

        (await Api("/fhir/Patient/strikwerda-jesse", access)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Api("/fhir/Goal/strikwerda-doel-rust", access)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Her grant leaves out the finances; another family's dossier does not exist for her.
        (await Api("/fhir/DocumentReference/strikwerda-financien-overzicht", access)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api("/fhir/Patient/bilic-atilla", access)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api("/fhir/Patient/bilic-atilla", access + "x")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_revoked_refresh_token_gets_no_new_access_token_while_access_tokens_stay_short()
    {
        using var tessa = new Person(system.Identity.BaseUrl);
        await tessa.SignInAsync("tessa@strikwerda.example");
        var first = await tessa.CodeFlowAsync("openid fhirUser offline_access user/*.rs");
        // The Api validates access tokens locally (Identity/README.md, "Revocation"): they live 10 minutes at most.
        first.GetProperty("expires_in").GetInt32().ShouldBeLessThanOrEqualTo(600);
        var claims = Claims(first.GetProperty("access_token").GetString()!);
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).ShouldBeLessThanOrEqualTo(600);

        var (status, refreshed) = await tessa.RefreshAsync(first.GetProperty("refresh_token").GetString()!);
        status.ShouldBe(HttpStatusCode.OK, refreshed.ToString());
        (await Api("/fhir/Patient/strikwerda-jesse", refreshed.GetProperty("access_token").GetString()!)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tessa.RefreshAsync(first.GetProperty("refresh_token").GetString()!)).Status.ShouldBe(HttpStatusCode.BadRequest); // rotated: the old one is spent

        var latest = await tessa.CodeFlowAsync("openid fhirUser offline_access user/*.rs");
        (await tessa.RevokeAsync(latest.GetProperty("refresh_token").GetString()!)).ShouldBe(HttpStatusCode.OK);
        var afterRevoke = await tessa.RefreshAsync(latest.GetProperty("refresh_token").GetString()!);
        afterRevoke.Status.ShouldBe(HttpStatusCode.BadRequest);
        afterRevoke.Json.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task An_accepted_invitation_becomes_a_Consent_at_the_Api_and_the_invitee_reads_the_shared_section_and_nothing_else()
    {
        // Tessa, regiehouder of Jesse's dossier, invites a family member to read the goals, through Identity's API.
        using var tessa = new Person(system.Identity.BaseUrl);
        await tessa.SignInAsync("tessa@strikwerda.example");
        var tessaToken = (await tessa.CodeFlowAsync("openid fhirUser invitations user/*.rs")).GetProperty("access_token").GetString()!;
        var email = $"neef-{Guid.NewGuid():N}@strikwerda.example";
        using var request = new HttpRequestMessage(HttpMethod.Post, system.Identity.BaseUrl + "/api/invitations")
        {
            Content = JsonContent.Create(new { email, role = "family", patient = "strikwerda-jesse", patientName = "Jesse Strikwerda", sections = new[] { "doelen" }, access = "read" }),
        };
        request.Headers.Authorization = new("Bearer", tessaToken);
        using var http = new HttpClient();
        var created = await http.SendAsync(request, Cancel);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Cancel));
        var invitationId = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

        // The invitee follows the link in the mail, makes an account and accepts.
        var link = await InvitationLinkAsync(email);
        using var invitee = new Person(system.Identity.BaseUrl);
        var accepted = await invitee.SubmitAsync(link, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Neef Strikwerda", ["Form.Password"] = "een lange zin als wachtwoord",
        }, postUrl: link.Replace("?", "?handler=CreateAccount&"));
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await accepted.Content.ReadAsStringAsync(Cancel));
        var token = (await invitee.CodeFlowAsync("openid fhirUser user/*.rs")).GetProperty("access_token").GetString()!;
        var fhirUser = Claims(token).GetProperty("fhirUser").GetString()!;
        fhirUser.ShouldStartWith("Person/pgo-");

        // The Api picks the acceptance up from the feed (it polls every half second here).
        var goal = await EventuallyAsync(() => Api("/fhir/Goal/strikwerda-doel-rust", token), r => r.StatusCode == HttpStatusCode.OK);
        goal.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Only the goals: not the profile, the medical or the financial sections, not the grants, not another family.
        (await Api("/fhir/Patient/strikwerda-jesse", token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api("/fhir/Condition/strikwerda-dementie", token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api("/fhir/DocumentReference/strikwerda-financien-overzicht", token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api("/fhir/Goal/vanassen-doel-thuis", token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Total(await Api("/fhir/Consent", token))).ShouldBe(0);
        // Jesse's goals, but not the one labelled finances (the debt goal: section financien, not shared), and no goal
        // of anyone else.
        var goals = await Total(await Api("/fhir/Goal?subject=Patient/strikwerda-jesse", token));
        goals.ShouldBeGreaterThan(0);
        (await Total(await Api("/fhir/Goal", token))).ShouldBe(goals);
        (await Api("/fhir/Goal/strikwerda-doel-bewind", token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api("/fhir/Goal/strikwerda-doel-bewind", tessaToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var financeLabelled = await Total(await Api("/fhir/Goal?subject=Patient/strikwerda-jesse&_security=https://fhir.pgo-platform.nl/CodeSystem/dossier-section|financien", tessaToken));
        financeLabelled.ShouldBeGreaterThan(0);
        goals.ShouldBe(await Total(await Api("/fhir/Goal?subject=Patient/strikwerda-jesse", tessaToken)) - financeLabelled);

        // The regiehouder sees the grant, made once under the invitation's identifier, naming a new RelatedPerson of
        // Jesse with the invitee's address. (The Goal read above already proves that her fhirUser Person exists and
        // links that RelatedPerson: the policy finds her grants through it.)
        var consents = await Api($"/fhir/Consent?identifier=urn:pgo:invitation|{invitationId}", tessaToken);
        var bundle = await consents.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        bundle.GetProperty("entry").GetArrayLength().ShouldBe(1);
        var consent = bundle.GetProperty("entry")[0].GetProperty("resource");
        var actor = consent.GetProperty("provision").GetProperty("actor")[0].GetProperty("reference").GetProperty("reference").GetString()!;
        actor.ShouldStartWith("RelatedPerson/");
        var related = await (await Api("/fhir/" + actor, tessaToken)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        related.GetProperty("telecom")[0].GetProperty("value").GetString().ShouldBe(email);
        related.GetProperty("patient").GetProperty("reference").GetString().ShouldBe("Patient/strikwerda-jesse");
    }

    private static async Task<int> Total(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bundle = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return bundle.TryGetProperty("entry", out var entries) ? entries.GetArrayLength() : 0;
    }

    /// <summary>Waits (up to 30 s) for something another process does in the background.</summary>
    private static async Task<HttpResponseMessage> EventuallyAsync(Func<Task<HttpResponseMessage>> call, Func<HttpResponseMessage, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await call();
            if (done(response) || DateTime.UtcNow > deadline) return response;
            await Task.Delay(250, Cancel);
        }
    }

    /// <summary>The invitation link from the mail Identity wrote to its pickup folder (quoted-printable undone).</summary>
    private async Task<string> InvitationLinkAsync(string email)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (Directory.Exists(system.Identity.MailDirectory))
            {
                foreach (var file in Directory.GetFiles(system.Identity.MailDirectory, "*.eml"))
                {
                    var text = await File.ReadAllTextAsync(file, Cancel);
                    if (!text.Contains(email, StringComparison.OrdinalIgnoreCase)) continue;
                    var plain = Regex.Replace(text, "=\r?\n", "").Replace("=3D", "=");
                    var match = Regex.Match(plain, @"https?://[^\s""<>]+(/uitnodiging\?code=[A-Za-z0-9_\-%]+)");
                    match.Success.ShouldBeTrue("no invitation link in " + file);
                    return match.Groups[1].Value;
                }
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No mail to {email} in {system.Identity.MailDirectory}");
            await Task.Delay(100, Cancel);
        }
    }

    private static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }

    /// <summary>Issue 13, W8, against the real processes: Identity does not tell who has an account, and the team hub
    /// refuses an anonymous negotiate at the door.</summary>
    [Fact]
    public async Task Identity_answers_alike_for_existing_and_unknown_accounts_and_the_team_hub_refuses_anonymous_negotiate()
    {
        var fresh = $"nieuw-{Guid.NewGuid():N}@e2e.example";
        const string existing = "tessa@strikwerda.example";
        using var visitor = new Person(system.Identity.BaseUrl);
        var forExisting = await visitor.SubmitAsync("/registreren", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Iemand", ["Form.Email"] = existing, ["Form.Password"] = "een heel lang nieuw wachtwoord",
        });
        var forNew = await visitor.SubmitAsync("/registreren", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Iemand", ["Form.Email"] = fresh, ["Form.Password"] = "een heel lang nieuw wachtwoord",
        });
        forExisting.StatusCode.ShouldBe(forNew.StatusCode);
        Comparable(await forExisting.Content.ReadAsStringAsync(Cancel), existing)
            .ShouldBe(Comparable(await forNew.Content.ReadAsStringAsync(Cancel), fresh));

        var unknown = await visitor.TokenAsync(DevPassword($"niemand-{Guid.NewGuid():N}@e2e.example", "een verkeerd wachtwoord"));
        var wrong = await visitor.TokenAsync(DevPassword(existing, "een verkeerd wachtwoord"));
        (unknown.Status, unknown.Json.ToString()).ShouldBe((wrong.Status, wrong.Json.ToString()));
        unknown.Json.GetProperty("error").GetString().ShouldBe("invalid_grant");

        using var anonymous = new HttpClient();
        var negotiate = await anonymous.PostAsync(system.ApiUrl + "/hubs/team/negotiate?negotiateVersion=1", null, Cancel);
        negotiate.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        static string Comparable(string page, string email) =>
            Regex.Replace(page.Replace(email, "ADRES"), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "TOKEN");

        static Dictionary<string, string> DevPassword(string email, string password) => new()
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = password, ["scope"] = "openid",
        };
    }
}
