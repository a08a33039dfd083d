using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Api.Tests.Dossier;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Practice;

/// <summary>
/// The supporter's time (issue 20, Api/Practice) on SQLite and PostgreSQL: the author registers for a family (with the
/// current right) and outside one (supporter role), edits within the edit period, afterwards only corrects with a reason
/// and never below 0, never deletes, and reads all own entries also after the grant ended; the family reads the time spent
/// on them read-only and only as the consent decides (404 / 403), audited; the coach sees totals without names or notes.
/// </summary>
public class PracticeTimeTests
{
    private const string Child = "pt-child";
    private const string Other = "pt-other";
    private const string Parent = "Person/pt-parent";
    private const string Supporter = "Person/pt-bondgenoot";
    private const string Colleague = "Person/pt-collega";
    private const string Therapist = "Person/pt-therapeut";
    private const string Stranger = "Person/pt-vreemde";
    private const string Coach = "Person/pt-coach";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Friday 4 December 2026, 12:00 in Amsterdam.
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 11, 0, 0, TimeSpan.Zero);

    private static ApiFactory Api(string provider, FakeTimeProvider clock)
    {
        var api = new ApiFactory(provider, clock: clock) { TeamSpaceOnPostgres = true };
        // The practice's store is on the provider under test.
        api.Services.GetRequiredService<Pgo.Api.TeamSpace.Data.TeamSpaceDatabase>().IsPostgres.ShouldBe(provider == "postgres");
        return api;
    }

    /// <summary>A person's client with Identity's account role <c>supporter</c> (as the demo's bondgenoten have).</summary>
    private static HttpClient SupporterClient(ApiFactory api, string person) => api.ClientFor(TestTokens.Person(person, roles: ["supporter"]));

    private static async System.Threading.Tasks.Task SeedAsync(HttpClient system)
    {
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2016-05-01", Name = [new HumanName { Given = ["Kim"], Family = "Tijdsma" }] },
            new Patient { Id = Other, BirthDate = "2014-02-01", Name = [new HumanName { Family = "Ander" }] },
            new RelatedPerson { Id = "pt-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "pt-vreemde", Patient = new ResourceReference($"Patient/{Other}") },
            new Practitioner { Id = "pt-bondgenoot", Name = [new HumanName { Text = "Bram (bondgenoot)" }] },
            new Practitioner { Id = "pt-collega", Name = [new HumanName { Text = "Carla (bondgenoot)" }] },
            new Practitioner { Id = "pt-therapeut" },
            Link("pt-parent", "RelatedPerson/pt-parent"), Link("pt-vreemde", "RelatedPerson/pt-vreemde"), Link("pt-bondgenoot", "Practitioner/pt-bondgenoot"),
            Link("pt-collega", "Practitioner/pt-collega"), Link("pt-therapeut", "Practitioner/pt-therapeut"),
            Grants.Regie("pt-regie", Child, ["RelatedPerson/pt-parent"]),
            Grants.Regie("pt-regie-other", Other, ["RelatedPerson/pt-vreemde"]),
            Grants.Grant("pt-support", Child, "Practitioner/pt-bondgenoot", GrantRole.Ondersteuner, [Section.Tijd, Section.Logboek], write: true),
            Grants.Grant("pt-support-2", Child, "Practitioner/pt-collega", GrantRole.Ondersteuner, [Section.Tijd], write: true),
            Grants.Grant("pt-therapy", Child, "Practitioner/pt-therapeut", GrantRole.Zorgverlener, [Section.Logboek], write: true),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new()
        {
            Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [new Person.LinkComponent { Target = new ResourceReference(target) }],
        };
    }

    private static Task<HttpResponseMessage> Register(HttpClient client, object body) => client.PostAsJsonAsync("/api/time", body, Json);

    private static async Task<JsonElement> Body(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static Task<JsonElement> Sheet(HttpClient client, string url = "/api/time?from=2026-11-01&to=2026-12-04") => client.GetJsonAsync(url);

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_author_registers_for_the_family_and_outside_it_and_the_family_reads_only_its_time_read_only_and_audited(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var bram = SupporterClient(api, Supporter);

        var visit = await Body(await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 45, note = "Gesprek met moeder." }));
        visit.GetProperty("familyName").GetString().ShouldBe("Kim Tijdsma");
        visit.GetProperty("authorName").GetString().ShouldBe("Bram (bondgenoot)");
        visit.GetProperty("editableUntil").GetString().ShouldBe("2026-12-18");
        var outside = await Body(await Register(bram, new { activity = "intervisie", date = "2026-12-02", minutes = 90, note = "Intervisie." }));
        outside.GetProperty("outsideFamily").GetBoolean().ShouldBeTrue();
        outside.GetProperty("patientId").ValueKind.ShouldBe(JsonValueKind.Null);
        // The dossier route registers for that family too (the Portal's older call).
        (await bram.PostAsJsonAsync($"/api/dossiers/{Child}/time", new { activity = "vraagverheldering", date = "2026-12-04", minutes = 30 }, Json))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // Nothing of it is in the dossier's FHIR store.
        (await api.CreateClient().GetJsonAsync($"/fhir/Basic?code={SupporterActivity.System}|")).TryGetProperty("entry", out _).ShouldBeFalse();

        var mine = await Sheet(bram);
        mine.GetProperty("totalMinutes").GetInt32().ShouldBe(165);
        mine.GetProperty("outsideFamilyMinutes").GetInt32().ShouldBe(90);
        mine.GetProperty("families").EnumerateArray().Single().GetProperty("minutes").GetInt32().ShouldBe(75);

        // The family: the time spent on them, not the supporter's time outside the family; no edit period shown.
        var parent = api.ClientAs(Parent);
        var family = await parent.GetJsonAsync($"/api/dossiers/{Child}/time?from=2026-11-01&to=2026-12-04");
        family.GetProperty("totalMinutes").GetInt32().ShouldBe(75);
        family.GetProperty("entries").EnumerateArray().ShouldAllBe(e => e.GetProperty("editableUntil").ValueKind == JsonValueKind.Null);
        family.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("activity").GetString()).ShouldNotContain("intervisie");

        // Read-only: the family cannot change, correct or delete it, and nothing changed.
        var id = visit.GetProperty("id").GetString();
        (await parent.PutAsJsonAsync($"/api/time/{id}", new { activity = "luisterend-oor", date = "2026-12-03", minutes = 5 }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await parent.PostAsJsonAsync($"/api/time/{id}/corrections", new { minutes = -45, reason = "Klopt niet" }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await parent.DeleteAsync($"/api/time/{id}")).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await bram.DeleteAsync($"/api/time/{id}")).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        // Nor may another supporter of the family change Bram's entry.
        (await SupporterClient(api, Colleague).PutAsJsonAsync($"/api/time/{id}", new { activity = "luisterend-oor", date = "2026-12-03", minutes = 5 }, Json))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await parent.GetJsonAsync($"/api/dossiers/{Child}/time?from=2026-11-01&to=2026-12-04")).GetProperty("totalMinutes").GetInt32().ShouldBe(75);

        // The family's read is in the dossier's audit log: a search of section tijd by the regiehouder, on the regie grant.
        var audit = api.Services.GetRequiredService<AuditLog>();
        await audit.FlushAsync();
        var records = await audit.ReadAsync(new AuditQuery(PatientId: Child, Person: Parent));
        records.ShouldContain(r => r.Record.Section == Section.Tijd && r.Record.Action == "search" && r.Record.Outcome == AuditRecord.Permitted
            && r.Record.Grants != null && r.Record.Grants.Contains("pt-regie"));
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Only_whoever_may_register_time_for_the_family_writes_and_reads_are_decided_by_the_consent(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var before = await Sheet(api.ClientAs(Parent), $"/api/dossiers/{Child}/time?from=2026-11-01&to=2026-12-04");

        // The regiehouder reads but does not register; the therapist sees the dossier but not tijd; the stranger sees nothing.
        (await Register(api.ClientAs(Parent), new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 20 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Register(SupporterClient(api, Therapist), new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 20 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Therapist).GetAsync($"/api/dossiers/{Child}/time")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Register(SupporterClient(api, Stranger), new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 20 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Stranger).GetAsync($"/api/dossiers/{Child}/time")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Supporter).GetAsync($"/api/dossiers/{Other}/time")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Time outside a family: the supporter role only (a family account is refused).
        (await Register(api.ClientAs(Parent), new { activity = "scholing", date = "2026-12-03", minutes = 60 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Bad input: 400 for a date that is no date, 422 for what breaks a rule, nothing stored.
        var bram = SupporterClient(api, Supporter);
        (await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "gisteren", minutes = 20 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        foreach (var (body, words) in new (object, string)[]
                 {
                     (new { patientId = Child, activity = "luisterend-oor", date = "2026-12-05", minutes = 20 }, "toekomst"),
                     (new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 0 }, "1 tot en met 960"),
                     (new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 961 }, "1 tot en met 960"),
                     (new { patientId = Child, activity = "koffie", date = "2026-12-03", minutes = 20 }, "bekende activiteit"),
                     (new { patientId = Child, activity = "reistijd", date = "2026-12-03", minutes = 20 }, "zonder gezin"),
                     (new { patientId = (string?)null, activity = "luisterend-oor", date = "2026-12-03", minutes = 20 }, "hoort bij een gezin"),
                 })
        {
            var refused = await Register(bram, body);
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            (await refused.Content.ReadAsStringAsync()).ShouldContain(words);
        }
        (await Sheet(bram)).GetProperty("entries").GetArrayLength().ShouldBe(0);
        (await Sheet(api.ClientAs(Parent), $"/api/dossiers/{Child}/time?from=2026-11-01&to=2026-12-04")).GetProperty("totalMinutes").GetInt32()
            .ShouldBe(before.GetProperty("totalMinutes").GetInt32());
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_author_edits_within_the_edit_period_then_only_corrects_with_a_reason_and_never_below_zero(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var bram = SupporterClient(api, Supporter);
        var entry = await Body(await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 45, note = "Gesprek." }));
        var id = entry.GetProperty("id").GetString();

        // Within 14 days the author changes it.
        clock.Advance(TimeSpan.FromDays(13));
        var edited = await Body(await bram.PutAsJsonAsync($"/api/time/{id}", new { activity = "vraagverheldering", date = "2026-12-02", minutes = 60, note = "Langer." }, Json));
        edited.GetProperty("minutes").GetInt32().ShouldBe(60);
        edited.GetProperty("date").GetString().ShouldBe("2026-12-02");

        // After that: no more edits, only a correction that names the entry and gives a reason.
        clock.Advance(TimeSpan.FromDays(2));
        var late = await bram.PutAsJsonAsync($"/api/time/{id}", new { activity = "vraagverheldering", date = "2026-12-02", minutes = 10 }, Json);
        late.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await late.Content.ReadAsStringAsync()).ShouldContain("corrigeer");
        (await bram.PostAsJsonAsync($"/api/time/{id}/corrections", new { minutes = -20 }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bram.PostAsJsonAsync($"/api/time/{id}/corrections", new { minutes = -61, reason = "Te veel geschreven" }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var correction = await Body(await bram.PostAsJsonAsync($"/api/time/{id}/corrections", new { minutes = -20, reason = "Het gesprek duurde korter." }, Json));
        correction.GetProperty("corrects").GetString().ShouldBe(id);
        correction.GetProperty("minutes").GetInt32().ShouldBe(-20);
        correction.GetProperty("date").GetString().ShouldBe("2026-12-02");
        // The floor counts earlier corrections: 60 - 20 = 40 left, so -41 is refused and -40 is not.
        (await bram.PostAsJsonAsync($"/api/time/{id}/corrections", new { minutes = -41, reason = "Nog minder" }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        // A correction is not itself corrected or edited.
        var correctionId = correction.GetProperty("id").GetString();
        (await bram.PostAsJsonAsync($"/api/time/{correctionId}/corrections", new { minutes = 5, reason = "Toch niet" }, Json)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var family = await api.ClientAs(Parent).GetJsonAsync($"/api/dossiers/{Child}/time?from=2026-11-01&to=2026-12-31");
        family.GetProperty("totalMinutes").GetInt32().ShouldBe(40);
        var original = family.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        original.GetProperty("correctedMinutes").GetInt32().ShouldBe(40);
        family.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("id").GetString() == correctionId)
            .GetProperty("reason").GetString().ShouldBe("Het gesprek duurde korter.");
        (await Sheet(bram, "/api/time?from=2026-11-01&to=2026-12-31")).GetProperty("entries").EnumerateArray()
            .ShouldAllBe(e => e.GetProperty("editableUntil").ValueKind == JsonValueKind.Null);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task After_the_grant_ends_the_author_still_reads_own_entries_but_writes_no_more_for_that_family(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        var system = api.CreateClient();
        await SeedAsync(system);
        var bram = SupporterClient(api, Supporter);
        var id = (await Body(await Register(bram, new { patientId = Child, activity = "belangenbehartiging", date = "2026-12-03", minutes = 50 }))).GetProperty("id").GetString();

        var ended = Grants.Grant("pt-support", Child, "Practitioner/pt-bondgenoot", GrantRole.Ondersteuner, [Section.Tijd, Section.Logboek], write: true);
        ended.Status = Consent.ConsentState.Inactive;
        (await system.PutAsync("/fhir/Consent/pt-support", ended)).EnsureSuccessStatusCode();

        var mine = await Sheet(bram);
        var own = mine.GetProperty("entries").EnumerateArray().Single();
        own.GetProperty("id").GetString().ShouldBe(id);
        own.GetProperty("familyName").GetString().ShouldBe("Kim Tijdsma");
        (await bram.GetAsync($"/api/dossiers/{Child}/time")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Register(bram, new { patientId = Child, activity = "belangenbehartiging", date = "2026-12-04", minutes = 10 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bram.PostAsJsonAsync($"/api/time/{id}/corrections", new { minutes = -10, reason = "Korter" }, Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The family still reads the time spent on them.
        (await api.ClientAs(Parent).GetJsonAsync($"/api/dossiers/{Child}/time")).GetProperty("totalMinutes").GetInt32().ShouldBe(50);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_coach_sees_totals_per_supporter_activity_and_month_without_families_or_notes(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var directory = api.Services.GetRequiredService<TeamDirectory>();
        var team = await directory.CreateTeamAsync("pt-team", "Team Tijd", "Bondgenoten", new TeamCaller(Coach, "coach", "Cora (coach)", ["supporter"]), "cora", default);
        await directory.AddMemberAsync(team.Id, Supporter, "bram", "Bram (bondgenoot)", TeamRoles.Supporter, default);

        var bram = SupporterClient(api, Supporter);
        await Body(await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 45, note = "Geheim gesprek met moeder." }));
        await Body(await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "2026-11-20", minutes = 30 }));
        await Body(await Register(bram, new { activity = "intervisie", date = "2026-12-02", minutes = 90 }));
        // Carla is not in the team: her time is not the coach's business.
        await Body(await Register(SupporterClient(api, Colleague), new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 15 }));

        var response = await SupporterClient(api, Coach).GetAsync("/api/time/team?from=2026-11&to=2026-12");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotContain("Tijdsma");
        text.ShouldNotContain("Geheim");
        text.ShouldNotContain(Child);
        var totals = JsonDocument.Parse(text).RootElement.EnumerateArray()
            .Select(t => $"{t.GetProperty("supporter").GetString()}|{t.GetProperty("month").GetString()}|{t.GetProperty("activity").GetString()}|{t.GetProperty("minutes").GetInt32()}")
            .ToList();
        totals.ShouldBe(["Bram (bondgenoot)|2026-11|luisterend-oor|30", "Bram (bondgenoot)|2026-12|intervisie|90", "Bram (bondgenoot)|2026-12|luisterend-oor|45"]);
        // A team member who is no coach, and someone in no team, see no team totals.
        (await bram.GetAsync("/api/time/team")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Parent).GetAsync("/api/time/team")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_month_export_is_Dutch_csv_of_the_own_time_with_formulas_disarmed(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var bram = SupporterClient(api, Supporter);
        await Body(await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 45, note = "=HYPERLINK(\"x\")" }));
        await Body(await Register(bram, new { patientId = Child, activity = "luisterend-oor", date = "2026-11-03", minutes = 20 }));
        await Body(await Register(SupporterClient(api, Colleague), new { patientId = Child, activity = "luisterend-oor", date = "2026-12-03", minutes = 15, note = "Van Carla" }));

        var response = await bram.GetAsync("/api/time/export?month=2026-12");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(Encoding.UTF8.GetPreamble());
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n");
        lines[0].ShouldBe("datum;gezin;activiteit;buiten een gezin;minuten;notitie;correctie op;reden;vastgelegd");
        lines[1].ShouldStartWith("3 december 2026;Kim Tijdsma;Luisterend oor;nee;45;\"'=HYPERLINK(\"\"x\"\")\"");
        string.Join("\n", lines).ShouldNotContain("Carla");
        string.Join("\n", lines).ShouldNotContain("november");
        (await bram.GetAsync("/api/time/export?month=december")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Time_still_stored_in_a_dossier_is_moved_once_into_the_authors_practice_at_start_up(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var current = new ApiFactory(provider, clock: clock) { TeamSpaceOnPostgres = true };
        // An older Api, before the rule that now refuses time Basics: it stored them in section tijd.
        await using var older = current.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.Remove(s.Single(d => d.ImplementationType == typeof(Pgo.Fhir.Profiles.ProjectProfiles)))));
        var system = older.CreateClient();
        system.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.System());
        await SeedAsync(system);
        var old = Pgo.Fhir.Profiles.TimeRegistration.New(Child, "Practitioner/pt-bondgenoot", "Bram (bondgenoot)", "luisterend-oor", new DateOnly(2026, 11, 20), 40, "Oud gesprek.", "oud-1");
        (await system.PutAsync("/fhir/Basic/oud-1", old)).EnsureSuccessStatusCode();

        // Started twice: moved once, to the Person acting as the Practitioner, with the family's name.
        var startup = older.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Pgo.Api.Practice.PracticeStartup>().Single();
        var store = older.Services.GetRequiredService<Pgo.Api.Practice.TimeStore>();
        await startup.StartAsync(default);
        (await store.IsDoneAsync("time-move", default)).ShouldBeTrue();
        // Once done, a later start does not read the dossiers again (the FHIR path is closed, so nothing new can be there).
        var later = Pgo.Fhir.Profiles.TimeRegistration.New(Child, "Practitioner/pt-bondgenoot", null, "luisterend-oor", new DateOnly(2026, 11, 21), 10, null, "oud-2");
        (await system.PutAsync("/fhir/Basic/oud-2", later)).EnsureSuccessStatusCode();
        await startup.StartAsync(default);
        var rows = await store.OfAuthorAsync(Supporter, "2026-11-01", "2026-11-30", default);
        var moved = rows.ShouldHaveSingleItem();
        moved.Source.ShouldBe("Basic/oud-1");
        moved.PatientId.ShouldBe(Child);
        moved.FamilyName.ShouldBe("Kim Tijdsma");
        moved.Minutes.ShouldBe(40);
        moved.Note.ShouldBe("Oud gesprek.");
        moved.AuthorRef.ShouldBe("Practitioner/pt-bondgenoot");
    }
}
