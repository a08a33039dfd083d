using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pgo.Api.Invitations;
using Pgo.Api.Notifications.Rules;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Access;

/// <summary>
/// Two regiehouders, stand-ins and a new supporter (issue 18), on SQLite and PostgreSQL with a moving clock: a stand-in is
/// named by the family or by the coach of the supporter's team, only a colleague of that team, for a period the family can
/// end; a supporter's grant moves to another supporter with a handover note; a second regiehouder comes by invitation,
/// only from a regiehouder; each regiehouder sees (and hears of) what the other changed.
/// </summary>
public class StandInAndTransferTests
{
    private const string Child = "si-child";
    private const string Mother = "Person/si-mother";
    private const string Father = "Person/si-father";
    private const string Supporter = "Person/si-supporter";
    private const string Colleague = "Person/si-colleague";
    private const string Outsider = "Person/si-outsider";
    private const string Coach = "Person/si-coach";
    private const string OtherCoach = "Person/si-other-coach";
    private const string Aunt = "Person/si-aunt";
    private const string SupportGrant = "si-support";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Two parents (regiehouders), a supporter whose grant allows stand-ins, colleagues in the supporter's
    /// organisation and team, an outsider with a team and coach of their own, an aunt who manages access without regie.</summary>
    private static async Task<(ApiFactory Api, MutableClock Clock)> FamilyAsync(string provider, bool allowStandIn = true)
    {
        var clock = new MutableClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var api = new ApiFactory(provider, clock: clock);
        var system = api.CreateClient();
        List<Resource> resources =
        [
            new Patient { Id = Child, BirthDate = "2014-05-01", Name = [new HumanName { Text = "Sam Invaltest" }] },
            new RelatedPerson { Id = "si-mother", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Text = "Moeder" }] },
            new RelatedPerson { Id = "si-father", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Text = "Vader" }] },
            new RelatedPerson { Id = "si-aunt", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Text = "Tante" }] },
            new Organization { Id = "si-org", Name = "Bondgenoten" },
            new Organization { Id = "si-other-org", Name = "Andere organisatie" },
            Named(Grants.Regie(null, Child, ["RelatedPerson/si-mother", "RelatedPerson/si-father"]), "si-regie"),
            Named(Grants.Grant(null, Child, "Practitioner/si-supporter", PgoCodes.GrantRole.Ondersteuner, [PgoCodes.Section.Doelen, PgoCodes.Section.Logboek],
                write: true, allowStandIn: allowStandIn), SupportGrant),
            Named(Grants.Grant(null, Child, "RelatedPerson/si-aunt", PgoCodes.GrantRole.Gezinslid, [PgoCodes.Section.Doelen, PgoCodes.Section.Logboek], write: true, manage: true), "si-aunt-grant"),
            new Goal { Id = "si-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{Child}"), Description = new CodeableConcept { Text = "Fietsen" } },
        ];
        foreach (var (id, org) in new[] { ("si-supporter", "si-org"), ("si-colleague", "si-org"), ("si-new", "si-org"), ("si-coach", "si-org"), ("si-outsider", "si-other-org"), ("si-other-coach", "si-other-org") })
        {
            resources.Add(new Practitioner { Id = id, Name = [new HumanName { Text = id["si-".Length..] }] });
            resources.Add(new PractitionerRole { Id = $"{id}-role", Practitioner = new ResourceReference($"Practitioner/{id}"), Organization = new ResourceReference($"Organization/{org}") });
            resources.Add(Link(id, $"Practitioner/{id}"));
        }
        resources.AddRange([Link("si-mother", "RelatedPerson/si-mother"), Link("si-father", "RelatedPerson/si-father"), Link("si-aunt", "RelatedPerson/si-aunt")]);
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        // The team space: the supporter's team with its coach, and another team with a coach of its own.
        var teams = api.Services.GetRequiredService<TeamDirectory>();
        var team = await teams.CreateTeamAsync("si-team", "Team Noord", "", new TeamCaller(Coach, "sub-coach", "Coach", ["supporter"]), "coach", Cancel);
        await teams.AddMemberAsync(team.Id, Supporter, "supporter", "Supporter", TeamRoles.Supporter, Cancel);
        await teams.AddMemberAsync(team.Id, Colleague, "colleague", "Colleague", TeamRoles.Supporter, Cancel);
        var other = await teams.CreateTeamAsync("si-other", "Team Zuid", "", new TeamCaller(OtherCoach, "sub-other", "Andere coach", ["supporter"]), "other", Cancel);
        await teams.AddMemberAsync(other.Id, Outsider, "outsider", "Outsider", TeamRoles.Supporter, Cancel);
        return (api, clock);

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
        static Consent Named(Consent c, string id) { c.Id = id; return c; }
    }

    private static Task<HttpResponseMessage> NameStandInAsync(HttpClient client, string colleague, DateTimeOffset from, DateTimeOffset until, string grant = SupportGrant) =>
        client.PostAsJsonAsync($"/api/dossiers/{Child}/access/stand-ins", new { grantId = grant, colleague, from, until }, AccessApiClient.Json, Cancel);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonDocument.Parse(body).RootElement;
    }

    // ---------------------------------------------------------------- stand-ins

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_stand_in_outside_the_supporters_team_is_refused(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _ = api;
        var now = clock.GetUtcNow();
        var response = await NameStandInAsync(api.ClientAs(Mother), "Practitioner/si-outsider", now, now.AddDays(7));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await api.ClientAs(Outsider).GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Nor through the coach: the outsider works elsewhere.
        (await NameStandInAsync(api.ClientAs(Coach), "Practitioner/si-outsider", now, now.AddDays(7))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_coach_of_another_team_cannot_name_a_stand_in_nor_see_the_grant(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _ = api;
        var now = clock.GetUtcNow();
        var otherCoach = api.ClientAs(OtherCoach);
        var response = await NameStandInAsync(otherCoach, "Practitioner/si-outsider", now, now.AddDays(7));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("Dossier niet gevonden");
        (await otherCoach.GetAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}/colleagues", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await JsonAsync(await otherCoach.GetAsync("/api/stand-ins", Cancel))).GetArrayLength().ShouldBe(0);
        // A family member who sees the dossier but does not manage access: 403.
        (await NameStandInAsync(api.ClientAs(Supporter), "Practitioner/si-colleague", now, now.AddDays(7))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_coach_names_a_colleague_the_family_sees_it_and_it_ends_with_its_period(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _ = api;
        var now = clock.GetUtcNow();
        var coach = api.ClientAs(Coach);
        var colleague = api.ClientAs(Colleague);

        // The coach's view: the supporter's grant, with the colleagues who could stand in.
        var candidates = await JsonAsync(await coach.GetAsync("/api/stand-ins", Cancel));
        var candidate = candidates.EnumerateArray().Single();
        candidate.GetProperty("grantId").GetString().ShouldBe(SupportGrant);
        candidate.GetProperty("dossierName").GetString().ShouldBe("Sam Invaltest");
        candidate.GetProperty("colleagues").EnumerateArray().Select(c => c.GetProperty("practitioner").GetString()).ShouldContain("Practitioner/si-colleague");
        candidate.GetProperty("colleagues").EnumerateArray().Select(c => c.GetProperty("practitioner").GetString()).ShouldNotContain("Practitioner/si-outsider");

        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var created = await NameStandInAsync(coach, "Practitioner/si-colleague", now.AddHours(-1), now.AddDays(7));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Cancel));
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The family sees it in Toegang, and the coach in the list.
        var overview = await JsonAsync(await api.ClientAs(Mother).GetAsync($"/api/dossiers/{Child}/access", Cancel));
        overview.GetProperty("grants").EnumerateArray().ShouldContain(g => g.GetProperty("kind").GetString() == "stand-in" && g.GetProperty("standInFor").GetString() == SupportGrant);
        (await JsonAsync(await coach.GetAsync("/api/stand-ins", Cancel))).EnumerateArray().Single().GetProperty("standIns").GetArrayLength().ShouldBe(1);

        // Its period ends: the colleague sees nothing any more.
        clock.Advance(TimeSpan.FromDays(8));
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_coach_stops_the_stand_in_of_their_team_and_no_one_else_can(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var _ = api;
        var now = clock.GetUtcNow();
        var coach = api.ClientAs(Coach);
        var colleague = api.ClientAs(Colleague);
        var created = await JsonAsync(await NameStandInAsync(coach, "Practitioner/si-colleague", now.AddHours(-1), now.AddDays(7)));
        var standIn = created.GetProperty("id").GetString()!;
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The coach of another team does not see the dossier; the supporter sees it but may not stop it; neither changes anything.
        (await api.ClientAs(OtherCoach).DeleteAsync($"/api/dossiers/{Child}/access/stand-ins/{standIn}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Supporter).DeleteAsync($"/api/dossiers/{Child}/access/stand-ins/{standIn}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Not a way to end the supporter's own grant either.
        (await coach.DeleteAsync($"/api/dossiers/{Child}/access/stand-ins/{SupportGrant}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await coach.DeleteAsync($"/api/dossiers/{Child}/access/stand-ins/{standIn}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Supporter).GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The family sees it ended; the history keeps it.
        var overview = await JsonAsync(await api.ClientAs(Mother).GetAsync($"/api/dossiers/{Child}/access", Cancel));
        overview.GetProperty("grants").EnumerateArray().Single(g => g.GetProperty("id").GetString() == standIn).GetProperty("inForce").GetBoolean().ShouldBeFalse();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_family_allows_stand_ins_names_one_and_stops_it(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, allowStandIn: false);
        await using var _ = api;
        var now = clock.GetUtcNow();
        var mother = api.ClientAs(Mother);
        var colleague = api.ClientAs(Colleague);

        (await NameStandInAsync(mother, "Practitioner/si-colleague", now, now.AddDays(7))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var allowed = await JsonAsync(await mother.PatchAsJsonAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}", new { allowStandIn = true }, Cancel));
        allowed.GetProperty("allowStandIn").GetBoolean().ShouldBeTrue();

        var standIn = (await JsonAsync(await NameStandInAsync(mother, "Practitioner/si-colleague", now, now.AddDays(7)))).GetProperty("id").GetString();
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The family stops it at once.
        (await mother.DeleteAsync($"/api/dossiers/{Child}/access/grants/{standIn}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await colleague.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    // ---------------------------------------------------------------- a new supporter

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_change_of_supporter_ends_the_old_access_begins_the_new_keeps_the_history_and_the_note(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var __ = api;
        var mother = api.ClientAs(Mother);
        var old = api.ClientAs(Supporter);
        var next = api.ClientAs("Person/si-new");
        (await next.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var colleagues = await JsonAsync(await mother.GetAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}/colleagues", Cancel));
        colleagues.EnumerateArray().Select(c => c.GetProperty("practitioner").GetString()).ShouldContain("Practitioner/si-new");

        var result = await JsonAsync(await mother.PostAsJsonAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}/transfer",
            new { to = "Practitioner/si-new", note = "Sam fietst graag; let op de dinsdagen." }, Cancel));
        result.GetProperty("endedGrantId").GetString().ShouldBe(SupportGrant);
        var noteId = result.GetProperty("noteId").GetString();
        noteId.ShouldNotBeNullOrEmpty();

        (await old.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await next.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var note = await next.GetAsync($"/fhir/DocumentReference/{noteId}", Cancel);
        note.StatusCode.ShouldBe(HttpStatusCode.OK);

        // The new grant has the same sections and actions, the stand-in choice, and names the grant it replaces.
        var grants = (await JsonAsync(await mother.GetAsync($"/api/dossiers/{Child}/access", Cancel))).GetProperty("grants").EnumerateArray().ToList();
        var fresh = grants.Single(g => g.GetProperty("id").GetString() == result.GetProperty("newGrantId").GetString());
        fresh.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).ShouldBe(["doelen", "logboek"]);
        fresh.GetProperty("actions").EnumerateArray().Select(s => s.GetString()).ShouldBe(["read", "write"]);
        fresh.GetProperty("allowStandIn").GetBoolean().ShouldBeTrue();
        grants.Single(g => g.GetProperty("id").GetString() == SupportGrant).GetProperty("inForce").GetBoolean().ShouldBeFalse();
        var history = await JsonAsync(await mother.GetAsync($"/fhir/Consent/{SupportGrant}/_history", Cancel));
        history.GetProperty("total").GetInt32().ShouldBe(2);
        var newConsent = await mother.GetAsync($"/fhir/Consent/{result.GetProperty("newGrantId").GetString()}", Cancel);
        (await newConsent.ReadAs<Consent>()).GetExtensionValue<ResourceReference>(PgoCodes.Extensions.Replaces).Reference.ShouldBe($"Consent/{SupportGrant}");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_transfer_is_refused_to_someone_who_does_not_manage_access_and_stores_nothing(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var __ = api;
        var body = new { to = "Practitioner/si-new", note = "overdracht" };
        (await api.ClientAs(Supporter).PostAsJsonAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}/transfer", body, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Outsider).PostAsJsonAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}/transfer", body, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs("Person/si-new").GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Supporter).GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // ---------------------------------------------------------------- two regiehouders

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_second_regiehouder_comes_by_invitation_from_a_regiehouder_never_from_a_manage_holder(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var __ = api;
        var grants = new InvitationGrants(api.Services.GetRequiredService<FhirRepository>(), NullLogger<InvitationGrants>.Instance);
        AcceptedInvitation Item(string id, string inviter, string person) => new(id, $"{id}@example.org", AccountRoles.Regiehouder, Child, null, [], "write",
            null, "accepted", clock.GetUtcNow().UtcDateTime, "sub-" + id, person, new Inviter("sub-" + inviter, "Uitnodiger", inviter), "pgo-portal");

        // The aunt manages access but holds no regie: her invitation gives nothing.
        (await grants.ApplyAsync(Item("si-inv-aunt", Aunt, "Person/si-by-aunt"), Cancel)).ShouldBe(InvitationGrants.Result.Refused);
        (await api.ClientAs("Person/si-by-aunt").GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await grants.ApplyAsync(Item("si-inv-mother", Mother, "Person/si-stepfather"), Cancel)).ShouldBe(InvitationGrants.Result.Granted);
        var stepfather = api.ClientAs("Person/si-stepfather");
        (await stepfather.GetAsync("/fhir/Goal/si-goal", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var mine = await JsonAsync(await stepfather.GetAsync("/api/access/dossiers", Cancel));
        mine.EnumerateArray().Single(d => d.GetProperty("patientId").GetString() == Child).GetProperty("operations").EnumerateArray()
            .Select(o => o.GetString()).ShouldContain("decide-regie");
        (await stepfather.GetAsync($"/api/dossiers/{Child}/access", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Each_regiehouder_sees_and_hears_what_the_other_changed_in_access(string provider)
    {
        var (api, _) = await FamilyAsync(provider);
        await using var __ = api;
        await api.KeepOnlyNotificationProducersAsync(typeof(NotificationDispatcher));
        var dispatcher = api.Services.GetRequiredService<NotificationDispatcher>();
        while (await dispatcher.DrainOnceAsync(Cancel) > 0) { }

        var mother = api.ClientAs(Mother);
        var father = api.ClientAs(Father);
        (await mother.PatchAsJsonAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}", new { write = false }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var changes = (await JsonAsync(await father.GetAsync($"/api/dossiers/{Child}/access/changes", Cancel))).EnumerateArray().ToList();
        var change = changes.First();
        change.GetProperty("consentId").GetString().ShouldBe(SupportGrant);
        change.GetProperty("who").GetString().ShouldBe(Mother);
        change.GetProperty("byOther").GetBoolean().ShouldBeTrue();
        change.GetProperty("what").GetString()!.ShouldContain("wijzigde de toegang van");
        change.GetProperty("what").GetString()!.ShouldNotContain("Practitioner/");
        (await JsonAsync(await mother.GetAsync($"/api/dossiers/{Child}/access/changes", Cancel))).EnumerateArray().First().GetProperty("byOther").GetBoolean().ShouldBeFalse();
        // Not for whoever does not manage access.
        (await api.ClientAs(Supporter).GetAsync($"/api/dossiers/{Child}/access/changes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Outsider).GetAsync($"/api/dossiers/{Child}/access/changes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        while (await dispatcher.DrainOnceAsync(Cancel) > 0) { }
        var store = api.Services.GetRequiredService<INotificationStore>();
        (await store.ListNotificationsAsync(Father, false, null, 100, Cancel)).ShouldContain(n => n.Kind == NotificationKinds.AccessChangedByOther && n.PatientId == Child);
        (await store.ListNotificationsAsync(Mother, false, null, 100, Cancel)).ShouldNotContain(n => n.Kind == NotificationKinds.AccessChangedByOther);
        // The supporter hears that their own access changed, not that a regiehouder changed something.
        (await store.ListNotificationsAsync(Supporter, false, null, 100, Cancel)).ShouldNotContain(n => n.Kind == NotificationKinds.AccessChangedByOther);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_stand_in_and_a_new_supporter_are_told_to_the_supporters_and_the_regiehouders(string provider)
    {
        var (api, clock) = await FamilyAsync(provider);
        await using var __ = api;
        await api.KeepOnlyNotificationProducersAsync(typeof(NotificationDispatcher));
        var dispatcher = api.Services.GetRequiredService<NotificationDispatcher>();
        while (await dispatcher.DrainOnceAsync(Cancel) > 0) { }
        var now = clock.GetUtcNow();

        (await NameStandInAsync(api.ClientAs(Coach), "Practitioner/si-colleague", now, now.AddDays(3))).StatusCode.ShouldBe(HttpStatusCode.Created);
        while (await dispatcher.DrainOnceAsync(Cancel) > 0) { }
        var store = api.Services.GetRequiredService<INotificationStore>();
        foreach (var person in new[] { Supporter, Colleague, Mother, Father })
            (await store.ListNotificationsAsync(person, false, null, 100, Cancel)).ShouldContain(n => n.Kind == NotificationKinds.StandInNamed, person);
        (await store.ListNotificationsAsync(Outsider, false, null, 100, Cancel)).ShouldBeEmpty();

        (await api.ClientAs(Mother).PostAsJsonAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}/transfer",
            new { to = "Practitioner/si-new", note = "Tot ziens" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        while (await dispatcher.DrainOnceAsync(Cancel) > 0) { }
        foreach (var person in new[] { Supporter, "Person/si-new", Father })
            (await store.ListNotificationsAsync(person, false, null, 100, Cancel)).ShouldContain(n => n.Kind == NotificationKinds.SupporterChanged, person);
        (await store.ListNotificationsAsync(Mother, false, null, 100, Cancel)).ShouldNotContain(n => n.Kind == NotificationKinds.SupporterChanged);
    }
}
