using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Access;

/// <summary>Grants change at once: granted, limited, revoked, expired; share packages end by themselves; age rules.</summary>
public class GrantLifecycleTests
{
    private const string Child = "lc-child";

    /// <summary>A client, their parent as regiehouder, a supporter and a sister with accounts; returns the Api.</summary>
    private static async Task<(ApiFactory Api, MutableClock Clock)> FamilyAsync(string provider, string birthDate = "2015-03-08", string? legalBasis = null)
    {
        var clock = new MutableClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var api = new ApiFactory(provider, clock: clock);
        var system = api.CreateClient();
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = birthDate, Name = [new HumanName { Family = "Levensloop" }] },
            new RelatedPerson { Id = "lc-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "lc-sister", Patient = new ResourceReference($"Patient/{Child}") },
            new Practitioner { Id = "lc-supporter" },
            new Organization { Id = "lc-gemeente", Name = "Gemeente" },
            new Practitioner { Id = "lc-wmo" },
            new PractitionerRole { Id = "lc-wmo-role", Practitioner = new ResourceReference("Practitioner/lc-wmo"), Organization = new ResourceReference("Organization/lc-gemeente") },
            Link("lc-parent", "RelatedPerson/lc-parent"), Link("lc-sister", "RelatedPerson/lc-sister"), Link("lc-supporter", "Practitioner/lc-supporter"),
            Link("lc-wmo", "Practitioner/lc-wmo"), Link("lc-self", $"Patient/{Child}"),
            Named(Grants.Regie(null, Child, ["RelatedPerson/lc-parent"], legalBasis), "lc-regie"),
            new Goal { Id = "lc-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{Child}"), Description = new CodeableConcept { Text = "Zwemmen" }, Category = [new CodeableConcept(Pgo.Fhir.Access.PgoCodes.LifeDomain.System, "vrije-tijd")] },
            new DocumentReference { Id = "lc-doc", Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{Child}"), Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "Beschikking" } }] },
            new DocumentReference { Id = "lc-log", Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{Child}"),
                Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)], Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "Notitie" } }] },
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();
        return (api, clock);

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
        static Consent Named(Consent c, string id) { c.Id = id; return c; }
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Revoked_grant_hides_goals_from_the_next_search(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var supporter = api.ClientAs("Person/lc-supporter");
        (await supporter.CountAsync("Goal")).ShouldBe(0);

        var id = await (await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "doelen" }, write = true })).GrantIdAsync();
        (await supporter.CountAsync("Goal")).ShouldBe(1);

        (await parent.DeleteAsync($"/api/dossiers/{Child}/access/grants/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await supporter.CountAsync("Goal")).ShouldBe(0);
        (await supporter.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Expired_grant_stops_working_on_the_next_request(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var supporter = api.ClientAs("Person/lc-supporter");
        (await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "doelen" }, until = clock.GetUtcNow().AddHours(1) }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await supporter.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromHours(2));
        (await supporter.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Limiting_a_grant_takes_sections_and_write_away_at_once(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var supporter = api.ClientAs("Person/lc-supporter");
        var id = await (await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "doelen", "logboek" }, write = true })).GrantIdAsync();
        var goal = await (await supporter.GetAsync("/fhir/Goal/lc-goal")).ReadAs<Goal>();
        (await supporter.PutAsync("/fhir/Goal/lc-goal", goal)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var patch = await parent.PatchAsJsonAsync($"/api/dossiers/{Child}/access/grants/{id}", new { sections = new[] { "doelen" }, write = false }, AccessApiClient.Json);
        patch.StatusCode.ShouldBe(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        (await supporter.PutAsync("/fhir/Goal/lc-goal", goal)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await supporter.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await supporter.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_share_package_opens_the_selected_document_for_the_organisation_and_ends_by_itself(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var wmo = api.ClientAs("Person/lc-wmo");
        var package = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/share-packages",
            new { organization = "Organization/lc-gemeente", purpose = "Aanvraag Wmo", until = clock.GetUtcNow().AddDays(30), items = new[] { "DocumentReference/lc-doc" } }, AccessApiClient.Json);
        package.StatusCode.ShouldBe(HttpStatusCode.Created, await package.Content.ReadAsStringAsync());
        (await wmo.GetAsync("/fhir/DocumentReference/lc-doc")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wmo.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await wmo.CountAsync("Goal")).ShouldBe(0);
        clock.Advance(TimeSpan.FromDays(31));
        (await wmo.GetAsync("/fhir/DocumentReference/lc-doc")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var past = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/share-packages",
            new { organization = "Organization/lc-gemeente", purpose = "x", until = clock.GetUtcNow().AddDays(-1), items = new[] { "DocumentReference/lc-doc" } }, AccessApiClient.Json);
        past.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await past.ProblemTitleAsync()).ShouldBe("Einddatum ligt in het verleden");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_hidden_item_disappears_for_that_person_only(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var sister = api.ClientAs("Person/lc-sister");
        (await parent.GrantAsync(Child, new { actor = "RelatedPerson/lc-sister", role = "gezinslid", sections = new[] { "logboek", "documenten" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await sister.CountAsync("DocumentReference")).ShouldBe(2);
        var hide = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/hidden-items", new { item = "DocumentReference/lc-log", hiddenFrom = "RelatedPerson/lc-sister" }, AccessApiClient.Json);
        hide.StatusCode.ShouldBe(HttpStatusCode.Created, await hide.Content.ReadAsStringAsync());
        (await sister.CountAsync("DocumentReference")).ShouldBe(1);
        (await sister.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await parent.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_hide_is_undone_only_by_who_manages_access_and_the_undo_is_audited(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var sister = api.ClientAs("Person/lc-sister");
        var supporter = api.ClientAs("Person/lc-supporter");
        (await parent.GrantAsync(Child, new { actor = "RelatedPerson/lc-sister", role = "gezinslid", sections = new[] { "logboek", "documenten" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var supporterGrant = await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "logboek", "documenten" }, write = true });
        supporterGrant.StatusCode.ShouldBe(HttpStatusCode.Created);
        var hide = await parent.PostAsJsonAsync($"/api/dossiers/{Child}/access/hidden-items", new { item = "DocumentReference/lc-log", hiddenFrom = "RelatedPerson/lc-sister" }, AccessApiClient.Json);
        hide.StatusCode.ShouldBe(HttpStatusCode.Created, await hide.Content.ReadAsStringAsync());
        var hideId = (await hide.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var url = $"/api/dossiers/{Child}/access/hidden-items/{hideId}";

        // Who may not manage access cannot undo it: a supporter who writes in the section (403), nor the person it hides from.
        (await supporter.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await sister.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await sister.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Only a hide is undone here: a grant's id is "not found" (revoking a grant is its own endpoint).
        var grantId = (await supporterGrant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await parent.DeleteAsync($"/api/dossiers/{Child}/access/hidden-items/{grantId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await supporter.CountAsync("DocumentReference")).ShouldBe(2);

        var undo = await parent.DeleteAsync(url);
        undo.StatusCode.ShouldBe(HttpStatusCode.NoContent, await undo.Content.ReadAsStringAsync());
        (await sister.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sister.CountAsync("DocumentReference")).ShouldBe(2);
        // The undo is in the dossier's trail: an update of the hide's Consent, by the parent.
        var trail = await parent.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Child}/audit");
        trail.EnumerateArray().ShouldContain(r => r.GetProperty("action").GetString() == "update" && r.GetProperty("resource").GetString() == $"Consent/{hideId}"
            && r.GetProperty("status").GetInt32() < 400);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_audit_csv_opens_in_Dutch_Excel_with_a_byte_order_mark_local_time_and_Dutch_words(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        (await parent.GetAsync("/fhir/DocumentReference/lc-doc")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var bytes = await parent.GetByteArrayAsync($"/api/dossiers/{Child}/audit?format=csv");
        bytes.Take(3).ToArray().ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split('\n');
        lines[0].ShouldStartWith("nr;tijdstip;wie;rol");
        var read = lines.Select(l => l.Split(';')).First(l => l.Length > 9 && l[6] == "DocumentReference/lc-doc" && l[5] == "bekeek");
        read[9].ShouldBe("gelukt");
        // 22 November 2026 12:00 UTC is 13:00 in Amsterdam (winter time), written as Dutch Excel reads a date.
        read[1].ShouldStartWith("22-11-2026 13:");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Only_the_regiehouder_writes_consents_through_rest(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        (await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "doelen" }, write = true })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var selfGrant = Grants.Grant(null, Child, "Practitioner/lc-supporter", PgoCodes.GrantRole.Ondersteuner, null, write: true, manage: true);
        var bySupporter = await api.ClientAs("Person/lc-supporter").PostAsync("/fhir/Consent", selfGrant);
        bySupporter.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bySupporter.Outcome()).Issue[0].Diagnostics.ShouldContain("regiehouder");
        (await api.ClientAs("Person/lc-sister").PostAsync("/fhir/Consent", selfGrant)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var regie = await (await parent.GetAsync("/fhir/Consent/lc-regie")).ReadAs<Consent>();
        (await api.ClientAs("Person/lc-supporter").PutAsync("/fhir/Consent/lc-regie", regie)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs("Person/lc-supporter").DeleteAsync("/fhir/Consent/lc-regie")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await parent.GetAsync("/fhir/Consent/lc-regie")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_parents_regie_ends_at_18_unless_a_mentorship_is_recorded_and_is_announced_three_months_before(string provider)
    {
        // Born 2009-02-01: 17 on the clock's day (2026-11-22), 18 on 2027-02-01; the reminder is due from 2026-11-01.
        var (api, clock) = await FamilyAsync(provider, birthDate: "2009-02-01");
        await using var _api = api;
        var parent = api.ClientAs("Person/lc-parent");
        var reminders = await parent.GetFromJsonAsync<JsonElement>("/api/access/reminders", AccessApiClient.Json);
        reminders.EnumerateArray().Select(r => r.GetProperty("patientId").GetString()).ShouldBe([Child]);
        reminders[0].GetProperty("turnsEighteen").GetString().ShouldBe("2027-02-01");
        (await parent.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // From 16 the client decides: they hold regie over their own dossier too.
        var self = api.ClientAs("Person/lc-self", "openid fhirUser patient/*.cruds");
        (await self.GetAsync($"/api/dossiers/{Child}/access")).StatusCode.ShouldBe(HttpStatusCode.OK);

        clock.Set(new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero));
        (await parent.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await self.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The client (now adult) records the parent's mentorship, with the court's decision in the dossier: regie returns.
        // Without the document it is refused (legal representation needs evidence, ADR 3 invariant 7).
        var mentorship = Grants.Regie(null, Child, ["RelatedPerson/lc-parent"], PgoCodes.LegalRepresentation.Mentor);
        (await self.PostAsync("/fhir/Consent", mentorship)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        mentorship.Source = new ResourceReference("DocumentReference/lc-doc");
        (await self.PostAsync("/fhir/Consent", mentorship)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await parent.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_child_under_12_has_no_access_of_its_own_and_a_12_year_old_reads_but_does_not_manage()
    {
        var (api, clock) = await FamilyAsync("sqlite", birthDate: "2016-01-01");
        await using var _api = api;
        var self = api.ClientAs("Person/lc-self", "openid fhirUser patient/*.cruds");
        (await self.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        clock.Set(new DateTimeOffset(2028, 6, 1, 0, 0, 0, TimeSpan.Zero));
        (await self.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await self.GetAsync($"/api/dossiers/{Child}/access")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_stand_in_acts_only_while_the_stand_in_period_runs_and_only_where_stand_ins_are_allowed()
    {
        var (api, clock) = await FamilyAsync("sqlite");
        await using var _api = api;
        var system = api.CreateClient();
        (await system.PutAsync("/fhir/Practitioner/lc-colleague", new Practitioner { Id = "lc-colleague" })).EnsureSuccessStatusCode();
        (await system.PutAsync("/fhir/Person/lc-colleague", new Person { Id = "lc-colleague", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/lc-colleague") }] })).EnsureSuccessStatusCode();
        // A stand-in works in the supporter's team (issue 18): both have a role at one organisation.
        (await system.PutAsync("/fhir/Organization/lc-team", new Organization { Id = "lc-team", Name = "Team" })).EnsureSuccessStatusCode();
        foreach (var who in new[] { "lc-supporter", "lc-colleague" })
            (await system.PutAsync($"/fhir/PractitionerRole/{who}-team", new PractitionerRole { Id = $"{who}-team", Practitioner = new ResourceReference($"Practitioner/{who}"),
                Organization = new ResourceReference("Organization/lc-team") })).EnsureSuccessStatusCode();
        var parent = api.ClientAs("Person/lc-parent");
        var allowed = await (await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "doelen" }, allowStandIn = true })).GrantIdAsync();
        var now = clock.GetUtcNow();
        (await parent.PostAsync("/fhir/Consent", Grants.StandIn(null, Child, allowed, "Practitioner/lc-colleague", now.AddDays(1), now.AddDays(8)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var colleague = api.ClientAs("Person/lc-colleague");
        (await colleague.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        clock.Advance(TimeSpan.FromDays(2));
        (await colleague.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromDays(7));
        (await colleague.GetAsync("/fhir/Goal/lc-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var notAllowed = await (await parent.GrantAsync(Child, new { actor = "Practitioner/lc-supporter", role = "ondersteuner", sections = new[] { "logboek" } })).GrantIdAsync();
        now = clock.GetUtcNow();
        (await parent.PostAsync("/fhir/Consent", Grants.StandIn(null, Child, notAllowed, "Practitioner/lc-colleague", now.AddDays(-1), now.AddDays(1)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await colleague.GetAsync("/fhir/DocumentReference/lc-log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
