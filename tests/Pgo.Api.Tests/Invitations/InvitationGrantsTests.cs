using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pgo.Api.Invitations;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Tests.Invitations;

/// <summary>How one accepted invitation becomes a grant at the Api (in process, on the demo families; the feed itself
/// is proven end to end in EndToEnd/IdentityAndApiTests).</summary>
public sealed class InvitationGrantsTests : IAsyncLifetime
{
    private readonly ApiFactory api = new(demoData: true);
    private InvitationGrants grants = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ = api.Server; // start: schema and demo data
        grants = new InvitationGrants(api.Services.GetRequiredService<FhirRepository>(), NullLogger<InvitationGrants>.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await api.DisposeAsync();

    private static AcceptedInvitation Accepted(string id, string role, string patient, string[] sections, string acceptedByFhirUser,
        string inviter = "Person/strikwerda-tessa", string access = "read") =>
        new(id, $"{id}@example.org", role, patient, null, sections, access, null, "accepted", DateTime.UtcNow, "sub-" + id,
            acceptedByFhirUser, new Inviter("sub-inviter", "Inviter", inviter), "pgo-portal");

    private async Task<int> CountAsync(string query)
    {
        var bundle = await api.CreateClient().GetFromJsonAsync<JsonElement>("/fhir/" + query, Cancel); // the system client
        return bundle.TryGetProperty("entry", out var entries) ? entries.GetArrayLength() : 0;
    }

    [Fact]
    public async Task Applying_the_same_accepted_invitation_twice_makes_one_grant_one_Practitioner_and_one_Person_link()
    {
        var item = Accepted("inv-twice", "professional", "strikwerda-jesse", ["doelen", "agenda"], "Person/pgo-twice", access: "write");
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Granted);
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Granted);

        (await CountAsync("Consent?identifier=urn:pgo:invitation|inv-twice")).ShouldBe(1);
        (await CountAsync("Practitioner?identifier=urn:pgo:account|sub-inv-twice")).ShouldBe(1);
        var person = await api.CreateClient().GetFromJsonAsync<JsonElement>("/fhir/Person/pgo-twice", Cancel);
        person.GetProperty("link").GetArrayLength().ShouldBe(1);
        person.GetProperty("meta").GetProperty("versionId").GetString().ShouldBe("1");

        // The new account reads and writes the goals of Jesse, and nothing of his finances.
        using var client = api.ClientFor(TestTokens.Person("Person/pgo-twice"));
        (await client.GetAsync("/fhir/Goal/strikwerda-doel-rust", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/fhir/DocumentReference/strikwerda-financien-overzicht", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/fhir/Patient/strikwerda-jesse", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_invitees_Practitioner_and_Person_carry_the_name_of_their_account_so_the_family_sees_who_it_is()
    {
        var item = Accepted("inv-named", "supporter", "strikwerda-jesse", ["doelen"], "Person/pgo-named") with { AcceptedByName = "Femke Visser" };
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Granted);

        var found = await api.CreateClient().GetFromJsonAsync<JsonElement>("/fhir/Practitioner?identifier=urn:pgo:account|sub-inv-named", Cancel);
        found.GetProperty("entry")[0].GetProperty("resource").GetProperty("name")[0].GetProperty("text").GetString().ShouldBe("Femke Visser");
        var person = await api.CreateClient().GetFromJsonAsync<JsonElement>("/fhir/Person/pgo-named", Cancel);
        person.GetProperty("name")[0].GetProperty("text").GetString().ShouldBe("Femke Visser");
    }

    [Fact]
    public async Task An_invitation_by_someone_who_does_not_manage_that_dossier_grants_nothing()
    {
        // Identity checks only that a regiehouder invited; Gulan holds regie over Atilla, not over Jesse.
        var item = Accepted("inv-foreign", "family", "strikwerda-jesse", ["doelen"], "Person/pgo-foreign", inviter: "Person/bilic-gulan");
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Refused);

        (await CountAsync("Consent?identifier=urn:pgo:invitation|inv-foreign")).ShouldBe(0);
        (await CountAsync("RelatedPerson?identifier=urn:pgo:invitation|inv-foreign")).ShouldBe(0);
        (await api.CreateClient().GetAsync("/fhir/Person/pgo-foreign", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invitation_without_a_known_section_grants_nothing_rather_than_everything()
    {
        // A Consent without sections opens every section: an invitation that names none must not become one.
        var item = Accepted("inv-empty", "family", "strikwerda-jesse", ["toegang", "onbekend"], "Person/pgo-empty");
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Refused);
        (await CountAsync("Consent?identifier=urn:pgo:invitation|inv-empty")).ShouldBe(0);
    }

    [Fact]
    public async Task A_supporter_with_a_Practitioner_already_gets_the_grant_on_that_Practitioner()
    {
        // Ricardo (bondgenoot of the Strikwerdas) is invited by Gulan Bilic to Atilla's dossier as well.
        var item = Accepted("inv-ricardo", "supporter", "bilic-atilla", ["agenda"], "Person/bondgenoot-ricardo", inviter: "Person/bilic-gulan");
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Granted);

        var bundle = await api.CreateClient().GetFromJsonAsync<JsonElement>("/fhir/Consent?identifier=urn:pgo:invitation|inv-ricardo", Cancel);
        var consent = bundle.GetProperty("entry")[0].GetProperty("resource");
        consent.GetProperty("provision").GetProperty("actor")[0].GetProperty("reference").GetProperty("reference").GetString().ShouldBe("Practitioner/bondgenoot-ricardo");
        consent.GetProperty("patient").GetProperty("reference").GetString().ShouldBe("Patient/bilic-atilla");
        (await CountAsync("Practitioner?identifier=urn:pgo:account|sub-inv-ricardo")).ShouldBe(0);
    }

    [Fact]
    public void The_feed_cursor_survives_a_restart()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pgo-cursor-").FullName, "invitations-feed.json");
        new FeedCursor(path).Load().Since.ShouldBeNull();
        var at = new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
        new FeedCursor(path).Save(new FeedCursor.State(at, ["a", "b"]));
        var loaded = new FeedCursor(path).Load();
        loaded.Since.ShouldBe(at);
        loaded.DoneAtSince.ShouldBe(new[] { "a", "b" });
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
