using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pgo.Api.Practice;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Api.Tests.Dossier;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Practice;

/// <summary>
/// Referral and intake (issue 20, Api/Practice/ReferralApi) on SQLite and PostgreSQL: a professional refers a family to a
/// team with the family's consent; only the referrer, the team's coach and the assigned supporter see it (404 for anyone
/// else, another team's coach included); the coach assigns only a supporter of that team, seeing caseload sizes; only the
/// assigned supporter records the intake; the parent (by confirmed e-mail) gives exactly the supporter sections through
/// the ordinary Consent write as regiehouder, or "niet nu" gives nothing; bad input is 400/422 and stores nothing.
/// </summary>
public class ReferralApiTests
{
    private const string Child = "rf-child";
    private const string Other = "rf-other";
    private const string Coach = "Person/rf-coach";
    private const string CoachZuid = "Person/rf-coach-zuid";
    private const string Bram = "Person/rf-bondgenoot";
    private const string Carla = "Person/rf-collega";
    private const string Zuid = "Person/rf-zuid";
    private const string Parent = "Person/rf-parent";
    private const string ParentEmail = "gulan@rf.example";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Monday 30 November 2026, 10:00 in Amsterdam.
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private sealed record World(ApiFactory Api, FakeTimeProvider Clock, long Noord, long ZuidTeam) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Api.DisposeAsync();
    }

    private static async Task<World> StartAsync(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var api = new ApiFactory(provider, clock: clock) { TeamSpaceOnPostgres = true };
        var system = api.CreateClient();
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2015-03-01", Name = [new HumanName { Given = ["Mila"], Family = "Verwezen" }] },
            new Patient { Id = Other, BirthDate = "2012-02-01", Name = [new HumanName { Family = "Ander" }] },
            new RelatedPerson { Id = "rf-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "rf-other-parent", Patient = new ResourceReference($"Patient/{Other}") },
            new Practitioner { Id = "rf-bondgenoot", Name = [new HumanName { Text = "Bram (bondgenoot)" }] },
            new Practitioner { Id = "rf-collega", Name = [new HumanName { Text = "Carla (bondgenoot)" }] },
            Link("rf-parent", "RelatedPerson/rf-parent"), Link("rf-bondgenoot", "Practitioner/rf-bondgenoot"), Link("rf-collega", "Practitioner/rf-collega"),
            Link("rf-other-parent", "RelatedPerson/rf-other-parent"),
            Grants.Regie("rf-regie", Child, ["RelatedPerson/rf-parent"]),
            Grants.Regie("rf-regie-other", Other, ["RelatedPerson/rf-other-parent"]),
            // Carla already supports one family: her caseload size is 1, Bram's 0.
            Grants.Grant("rf-carla", Other, "Practitioner/rf-collega", GrantRole.Ondersteuner, [Section.Logboek], write: true),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();
        var directory = api.Services.GetRequiredService<TeamDirectory>();
        var noord = await directory.CreateTeamAsync("rf-noord", "Team Noord", "Bondgenoten", new TeamCaller(Coach, "coach", "Cora (coach)", ["supporter"]), "cora", default);
        await directory.AddMemberAsync(noord.Id, Bram, "bram", "Bram (bondgenoot)", TeamRoles.Supporter, default);
        await directory.AddMemberAsync(noord.Id, Carla, "carla", "Carla (bondgenoot)", TeamRoles.Supporter, default);
        var zuid = await directory.CreateTeamAsync("rf-zuid", "Team Zuid", "Copiloten", new TeamCaller(CoachZuid, "coach-zuid", "Joost (coach)", ["supporter"]), "joost", default);
        await directory.AddMemberAsync(zuid.Id, Zuid, "zoe", "Zoë (copiloot)", TeamRoles.Supporter, default);
        return new World(api, clock, noord.Id, zuid.Id);

        static Person Link(string id, string target) => new()
        {
            Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [new Person.LinkComponent { Target = new ResourceReference(target) }],
        };
    }

    private static HttpClient Professional(ApiFactory api, string sub = "sanne") =>
        api.ClientFor(TestTokens.Create(sub, null, "openid", "pgo-portal", ["professional"]));

    private static HttpClient Supporter(ApiFactory api, string person) => api.ClientFor(TestTokens.Person(person, roles: ["supporter"]));

    private static HttpClient WithEmail(ApiFactory api, string person, string email, bool verified = true) =>
        api.ClientFor(TestTokens.Create("account-" + person.Replace('/', '-'), person, "openid fhirUser user/*.cruds", "pgo-portal", ["regiehouder"],
            extraClaims: [new System.Security.Claims.Claim("email", email), new System.Security.Claims.Claim("email_verified", verified ? "true" : "false", System.Security.Claims.ClaimValueTypes.Boolean)]));

    private static object Referral(long team, string? consentHow = "mondeling", string? consentDate = "2026-11-27", string reason = "Moeder loopt vast tussen school en zorg.",
        string? email = ParentEmail) =>
        new { teamId = team, clientFirstName = "Mila", clientAge = 11, parentName = "Gulan", parentEmail = email, parentPhone = (string?)null, reason,
            referrerRole = "schoolmaatschappelijk werker, OBS De Linde", consentHow, consentDate };

    private static async Task<JsonElement> Body(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<long> ReferAsync(World w)
    {
        var created = await Body(await Professional(w.Api).PostAsJsonAsync("/api/referrals", Referral(w.Noord), Json));
        return created.GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> AssignAndIntakeAsync(World w, long id)
    {
        w.Clock.Advance(TimeSpan.FromDays(2));
        await Body(await Supporter(w.Api, Coach).PostAsJsonAsync($"/api/referrals/{id}/assign", new { supporter = Bram }, Json));
        w.Clock.Advance(TimeSpan.FromDays(3));
        return await Body(await Supporter(w.Api, Bram).PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "2026-12-05", note = "Kennismaking thuis, moeder wil hulp bij school." }, Json));
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_referral_is_seen_by_its_referrer_the_teams_coach_and_the_assigned_supporter_only_and_goes_from_intake_to_access_given_by_the_regiehouder(string provider)
    {
        await using var w = await StartAsync(provider);
        var sanne = Professional(w.Api);
        var coach = Supporter(w.Api, Coach);
        var bram = Supporter(w.Api, Bram);

        var created = await Body(await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord), Json));
        var id = created.GetProperty("id").GetInt64();
        created.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.New);
        created.GetProperty("clientBirthYear").GetInt32().ShouldBe(2015);

        // Nobody else sees it: another professional, another team's coach, a teammate before assignment: 404, not 403.
        (await Professional(w.Api, "someone-else").GetAsync($"/api/referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Supporter(w.Api, CoachZuid).GetAsync($"/api/referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Supporter(w.Api, CoachZuid).PostAsJsonAsync($"/api/referrals/{id}/assign", new { supporter = Zuid }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Supporter(w.Api, CoachZuid).GetAsync($"/api/referrals?team={w.Noord}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bram.GetAsync($"/api/referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Supporter(w.Api, CoachZuid).GetJsonAsync($"/api/referrals?team={w.ZuidTeam}")).GetProperty("referrals").GetArrayLength().ShouldBe(0);

        // The coach: the team's referrals with the days waiting, the supporters with their caseload sizes.
        w.Clock.Advance(TimeSpan.FromDays(2));
        var list = await coach.GetJsonAsync($"/api/referrals?team={w.Noord}");
        list.GetProperty("referrals").EnumerateArray().Single().GetProperty("daysWaiting").GetInt32().ShouldBe(2);
        var loads = list.GetProperty("supporters").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!, s => s.GetProperty("families").GetInt32());
        loads[Bram].ShouldBe(0);
        loads[Carla].ShouldBe(1);
        loads.ShouldNotContainKey(Zuid);

        // Only a supporter of that team is assigned; the assigned supporter is told.
        (await coach.PostAsJsonAsync($"/api/referrals/{id}/assign", new { supporter = Zuid }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsJsonAsync($"/api/referrals/{id}/assign", new { supporter = Bram }, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var assigned = await Body(await coach.PostAsJsonAsync($"/api/referrals/{id}/assign", new { supporter = Bram }, Json));
        assigned.GetProperty("assignedName").GetString().ShouldBe("Bram (bondgenoot)");
        assigned.GetProperty("daysToAssignment").GetInt32().ShouldBe(2);
        var told = await w.Api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(Bram, false, null, 10);
        told.ShouldContain(n => n.Kind == NotificationKinds.ReferralAssigned && n.Item == $"referral/{id}" && n.PatientId == null);

        // The intake: only the assigned supporter (a teammate has no relation: 404; the coach: 403), not in the future.
        w.Clock.Advance(TimeSpan.FromDays(3));
        (await Supporter(w.Api, Carla).PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "2026-12-05" }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await coach.PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "2026-12-05" }, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bram.PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "2026-12-06" }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bram.PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "5-12-2026" }, Json)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var intake = await Body(await bram.PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "2026-12-05", note = "Kennismaking thuis." }, Json));
        intake.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.Intake);
        intake.GetProperty("daysToIntake").GetInt32().ShouldBe(5);
        (await bram.PostAsJsonAsync($"/api/referrals/{id}/intake", new { date = "2026-12-05" }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        // The referrer follows the status, not who was assigned nor the intake note nor the waiting days.
        var mine = (await sanne.GetJsonAsync("/api/referrals/mine")).EnumerateArray().Single();
        mine.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.Intake);
        mine.GetProperty("assignedName").ValueKind.ShouldBe(JsonValueKind.Null);
        mine.GetProperty("intakeNote").ValueKind.ShouldBe(JsonValueKind.Null);
        mine.GetProperty("daysToIntake").ValueKind.ShouldBe(JsonValueKind.Null);

        // The supporter did not get access by the intake: the dossier is not his.
        (await bram.GetJsonAsync("/api/access/dossiers")).EnumerateArray().ShouldNotContain(d => d.GetProperty("patientId").GetString() == Child);

        // The parent (confirmed address) sees the request with the dossiers where she is regiehouder; someone else sees nothing.
        var parent = WithEmail(w.Api, Parent, "Gulan@RF.example");
        var request = (await parent.GetJsonAsync("/api/referrals/requests")).EnumerateArray().Single();
        request.GetProperty("supporterName").GetString().ShouldBe("Bram (bondgenoot)");
        request.GetProperty("dossiers").EnumerateArray().Select(d => d.GetProperty("patientId").GetString()).ShouldBe([Child]);
        (await WithEmail(w.Api, Parent, ParentEmail, verified: false).GetJsonAsync("/api/referrals/requests")).GetArrayLength().ShouldBe(0);
        (await WithEmail(w.Api, "Person/rf-other-parent", "ander@rf.example").GetJsonAsync("/api/referrals/requests")).GetArrayLength().ShouldBe(0);
        (await WithEmail(w.Api, "Person/rf-other-parent", "ander@rf.example").PostAsJsonAsync($"/api/referrals/requests/{id}/accept", new { patientId = Other }, Json))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Only a dossier where she holds regie.
        (await parent.PostAsJsonAsync($"/api/referrals/requests/{id}/accept", new { patientId = Other }, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        w.Clock.Advance(TimeSpan.FromDays(1));
        var accepted = await Body(await parent.PostAsJsonAsync($"/api/referrals/requests/{id}/accept", new { patientId = Child }, Json));
        accepted.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.InSupport);

        // Exactly the supporter sections, written as the regiehouder's grant.
        var access = await parent.GetJsonAsync($"/api/dossiers/{Child}/access");
        var grant = access.GetProperty("grants").EnumerateArray().Single(g => g.GetProperty("actors").EnumerateArray().Any(a => a.GetString() == "Practitioner/rf-bondgenoot"));
        grant.GetProperty("sections").EnumerateArray().Select(s => s.GetString()!).ShouldBe(ReferralRules.SupporterSections, ignoreOrder: true);
        grant.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldContain(GrantRole.Ondersteuner);
        (await bram.GetJsonAsync("/api/access/dossiers")).EnumerateArray().ShouldContain(d => d.GetProperty("patientId").GetString() == Child);
        // The measurement plan is made at the intake (issue 20): per default instrument the 0-meting today, the 1- and
        // 2-meting 6 and 12 months later (Pgo:Measurements), Bram guiding them; he reads it in metingen.
        string Day(int months) => Pgo.Shared.Text.DutchTime.Today(w.Clock.GetUtcNow()).AddMonths(months).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var plan = await bram.GetJsonAsync($"/api/dossiers/{Child}/measurement-plan");
        plan.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("moment").GetString(), i.GetProperty("due").GetString(), i.GetProperty("state").GetString()))
            .ShouldBe([("0-meting", Day(0), "gepland"), ("1-meting", Day(6), "gepland"), ("2-meting", Day(12), "gepland")]);
        plan.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("owner").GetString() == "Bram (bondgenoot)" && i.GetProperty("instrument").GetString() == "kwaliteit-van-leven");
        // The request is answered: it is gone, and answering again is 404.
        (await parent.GetJsonAsync("/api/referrals/requests")).GetArrayLength().ShouldBe(0);
        (await parent.PostAsJsonAsync($"/api/referrals/requests/{id}/accept", new { patientId = Child }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The coach: in begeleiding, days to access and the team's averages; Bram's caseload is now 1.
        var after = await coach.GetJsonAsync($"/api/referrals?team={w.Noord}");
        var row = after.GetProperty("referrals").EnumerateArray().Single();
        row.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.InSupport);
        row.GetProperty("daysToAccess").GetInt32().ShouldBe(6);
        after.GetProperty("averageDaysToIntake").GetDouble().ShouldBe(5);
        after.GetProperty("supporters").EnumerateArray().Single(s => s.GetProperty("key").GetString() == Bram).GetProperty("families").GetInt32().ShouldBe(1);
        var history = (await coach.GetJsonAsync($"/api/referrals/{id}")).GetProperty("history").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        history.ShouldBe([ReferralRules.Events.Created, ReferralRules.Events.Assigned, ReferralRules.Events.Intake, ReferralRules.Events.AccessGiven]);

        // Every read and write is audited, refusals too.
        var audit = w.Api.Services.GetRequiredService<AuditLog>();
        await audit.FlushAsync();
        var records = (await audit.ReadAsync(new AuditQuery(Limit: 5000))).Select(r => r.Record).Where(r => r.ResourceType == "Verwijzing" || (r.Detail?.StartsWith("verwijzing", StringComparison.Ordinal) ?? false)).ToList();
        records.ShouldContain(r => r.Action == "create" && r.Status == 201 && r.Subject == "sanne");
        records.ShouldContain(r => r.Action == "read" && r.Status == 404 && r.Subject == "someone-else");
        records.ShouldContain(r => r.Action == "update" && r.Detail == "verwijzing:intake" && r.FhirUser == Bram);
        records.ShouldContain(r => r.Action == "update" && r.Detail == "verwijzing:toegang-gegeven" && r.FhirUser == Parent);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Niet_nu_gives_the_supporter_nothing_and_the_coach_sees_the_answer(string provider)
    {
        await using var w = await StartAsync(provider);
        var id = await ReferAsync(w);
        await AssignAndIntakeAsync(w, id);
        var parent = WithEmail(w.Api, Parent, ParentEmail);
        var declined = await Body(await parent.PostAsync($"/api/referrals/requests/{id}/decline", null));
        declined.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.NotNow);

        var access = await parent.GetJsonAsync($"/api/dossiers/{Child}/access");
        access.GetProperty("grants").EnumerateArray().ShouldNotContain(g => g.GetProperty("actors").EnumerateArray().Any(a => a.GetString() == "Practitioner/rf-bondgenoot"));
        (await Supporter(w.Api, Bram).GetJsonAsync("/api/access/dossiers")).EnumerateArray().ShouldNotContain(d => d.GetProperty("patientId").GetString() == Child);
        (await Supporter(w.Api, Coach).GetJsonAsync($"/api/referrals/{id}")).GetProperty("status").GetString().ShouldBe(ReferralRules.Status.NotNow);
        // The request stays visible to the family, who may still say yes.
        (await parent.GetJsonAsync("/api/referrals/requests")).EnumerateArray().Single().GetProperty("status").GetString().ShouldBe(ReferralRules.Status.NotNow);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Bad_input_and_a_missing_consent_are_refused_with_400_or_422_and_nothing_is_stored(string provider)
    {
        await using var w = await StartAsync(provider);
        var sanne = Professional(w.Api);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord, consentHow: null), Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord, consentDate: null), Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord, consentDate: "2026-12-25"), Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord, consentDate: "gisteren"), Json)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord, reason: "BSN 111222333, graag snel."), Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(w.Noord, email: null), Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsJsonAsync("/api/referrals", Referral(999), Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sanne.PostAsync("/api/referrals", new StringContent("{\"teamId\": \"noord\"", System.Text.Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        // A supporter or a parent does not refer.
        (await Supporter(w.Api, Bram).PostAsJsonAsync("/api/referrals", Referral(w.Noord), Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await sanne.GetAsync("/api/referrals/abc")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sanne.GetAsync("/api/referrals?team=abc")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await Supporter(w.Api, Coach).GetJsonAsync($"/api/referrals?team={w.Noord}")).GetProperty("referrals").GetArrayLength().ShouldBe(0);
        (await sanne.GetJsonAsync("/api/referrals/mine")).GetArrayLength().ShouldBe(0);

        // A referral is never deleted; the coach closes it with a reason.
        var id = await ReferAsync(w);
        (await sanne.DeleteAsync($"/api/referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await Supporter(w.Api, Coach).PostAsJsonAsync($"/api/referrals/{id}/close", new { reason = "" }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var closed = await Body(await Supporter(w.Api, Coach).PostAsJsonAsync($"/api/referrals/{id}/close", new { reason = "Gezin krijgt al hulp van het wijkteam." }, Json));
        closed.GetProperty("status").GetString().ShouldBe(ReferralRules.Status.Closed);
        (await sanne.GetJsonAsync($"/api/referrals/{id}")).GetProperty("closeReason").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
