using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Access;

/// <summary>The agency's side of a share package: "what was shared with us, for which purpose, until when" (GET
/// /api/access/share-packages), open while it runs, listed as expired (without its items) once it ended.</summary>
public class SharePackageTests
{
    private const string Child = "sp-child";

    private static async Task<(ApiFactory Api, MutableClock Clock)> FamilyAsync(string provider)
    {
        var clock = new MutableClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var api = new ApiFactory(provider, clock: clock);
        var system = api.CreateClient();
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2015-03-08", Name = [new HumanName { Family = "Deelpakket" }] },
            new RelatedPerson { Id = "sp-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new Organization { Id = "sp-gemeente", Name = "Gemeente" },
            new Organization { Id = "sp-zorgkantoor", Name = "Zorgkantoor" },
            new Practitioner { Id = "sp-wmo" },
            new Practitioner { Id = "sp-zk" },
            new PractitionerRole { Id = "sp-wmo-role", Practitioner = new ResourceReference("Practitioner/sp-wmo"), Organization = new ResourceReference("Organization/sp-gemeente") },
            new PractitionerRole { Id = "sp-zk-role", Practitioner = new ResourceReference("Practitioner/sp-zk"), Organization = new ResourceReference("Organization/sp-zorgkantoor") },
            Link("sp-parent", "RelatedPerson/sp-parent"), Link("sp-wmo", "Practitioner/sp-wmo"), Link("sp-zk", "Practitioner/sp-zk"),
            Named(Grants.Regie(null, Child, ["RelatedPerson/sp-parent"]), "sp-regie"),
            Doc("sp-aanvraag", "Aanvraag"), Doc("sp-rapport", "Rapport"),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();
        return (api, clock);

        static Person Link(string id, string target) => new()
        {
            Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [new Person.LinkComponent { Target = new ResourceReference(target) }],
        };
        static Consent Named(Consent c, string id) { c.Id = id; return c; }
        static DocumentReference Doc(string id, string title) => new()
        {
            Id = id, Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{Child}"), Description = title,
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = title } }],
        };
    }

    private sealed record Package(string Id, string PatientId, string Organization, string? Purpose, DateTimeOffset? Until, string State, string[] Items);

    private static async Task<List<Package>> PackagesAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/access/share-packages");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<List<Package>>(JsonSerializerOptions.Web))!;
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_agency_sees_its_package_with_purpose_and_end_and_after_the_end_only_that_it_expired(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/sp-parent");
        var wmo = api.ClientAs("Person/sp-wmo");
        var until = clock.GetUtcNow().AddMinutes(30);
        var created = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/share-packages",
            new { organization = "Organization/sp-gemeente", purpose = "Aanvraag Wmo", until, items = new[] { "DocumentReference/sp-aanvraag" } }, AccessApiClient.Json);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var open = (await PackagesAsync(wmo)).ShouldHaveSingleItem();
        (open.PatientId, open.Organization, open.Purpose, open.Until, open.State).ShouldBe((Child, "Organization/sp-gemeente", "Aanvraag Wmo", until, "open"));
        open.Items.ShouldBe(["DocumentReference/sp-aanvraag"]);
        (await wmo.GetAsync("/fhir/DocumentReference/sp-aanvraag")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wmo.GetAsync("/fhir/DocumentReference/sp-rapport")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Another organisation's user and the family see no package of the gemeente here.
        (await PackagesAsync(api.ClientAs("Person/sp-zk"))).ShouldBeEmpty();
        (await PackagesAsync(parent)).ShouldBeEmpty();

        clock.Advance(TimeSpan.FromMinutes(31));
        var expired = (await PackagesAsync(wmo)).ShouldHaveSingleItem();
        (expired.Id, expired.State, expired.Purpose).ShouldBe((open.Id, "verlopen", "Aanvraag Wmo"));
        expired.Items.ShouldBeEmpty();
        (await wmo.GetAsync("/fhir/DocumentReference/sp-aanvraag")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The family's "wie heeft wat bekeken" shows the agency's reads, the refused one after the end too.
        var audit = await parent.GetStringAsync($"/api/dossiers/{Child}/audit?person=Person/sp-wmo");
        audit.ShouldContain("DocumentReference");
        audit.ShouldContain("read-share-package");
        audit.ShouldContain("\"whoName\":\"Naam sp-wmo\"");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_clients_name_in_my_dossiers_is_a_platform_read_the_family_sees_with_its_purpose(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/sp-parent");
        var wmo = api.ClientAs("Person/sp-wmo");
        (await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/share-packages",
            new { organization = "Organization/sp-gemeente", purpose = "Aanvraag Wmo", until = clock.GetUtcNow().AddDays(1), items = new[] { "DocumentReference/sp-aanvraag" } },
            AccessApiClient.Json)).StatusCode.ShouldBe(HttpStatusCode.Created);

        // The agency may not read the profile (no section profiel), yet its list names the client.
        (await wmo.GetAsync($"/fhir/Patient/{Child}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await wmo.GetStringAsync("/api/access/dossiers")).ShouldContain("Deelpakket");

        var audit = await parent.GetStringAsync($"/api/dossiers/{Child}/audit?person=Person/sp-wmo");
        audit.ShouldContain("\"action\":\"platform-read\"");
        audit.ShouldContain("\"detail\":\"patient-names\"");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_package_the_family_ends_early_is_listed_as_withdrawn(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/sp-parent");
        var wmo = api.ClientAs("Person/sp-wmo");
        var created = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/share-packages",
            new { organization = "Organization/sp-gemeente", purpose = "Aanvraag Wmo", until = clock.GetUtcNow().AddDays(7), items = new[] { "DocumentReference/sp-aanvraag" } }, AccessApiClient.Json);
        var id = await created.GrantIdAsync();
        (await parent.DeleteAsync($"/api/dossiers/{Child}/access/grants/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var withdrawn = (await PackagesAsync(wmo)).ShouldHaveSingleItem();
        (withdrawn.State, withdrawn.Items.Length).ShouldBe(("ingetrokken", 0));
        (await wmo.GetAsync("/fhir/DocumentReference/sp-aanvraag")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
