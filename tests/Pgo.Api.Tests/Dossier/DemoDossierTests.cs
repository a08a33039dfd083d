using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Access;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Dossier;

public sealed class DemoDossiersOnSqlite(SqliteDemoFamilies f) : DemoDossierTests(f), IClassFixture<SqliteDemoFamilies>;
public sealed class DemoDossiersOnPostgres(PostgresDemoFamilies f) : DemoDossierTests(f), IClassFixture<PostgresDemoFamilies>;

/// <summary>The six demo families are browsable through the dossier API as each of their demo users, and every user
/// gets only what their grants show.</summary>
public abstract class DemoDossierTests(DemoFamilies demo)
{
    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    private static readonly string[] Everything = [.. PgoCodes.Section.Dossier];
    private static readonly string[] Bondgenoot = ["agenda", "afspraken", "berichten", "doelen", "gebeurtenissen", "logboek", "metingen", "netwerk", "plan", "tijd"];

    public static TheoryData<string, string, string[]> DemoUsers() => new()
    {
        { "strikwerda-tessa", "strikwerda-jesse", Everything },
        { "bondgenoot-ricardo", "strikwerda-jesse", Bondgenoot },
        { "casemanager-dementie-bos", "strikwerda-jesse", ["afspraken", "agenda", "documenten", "doelen", "logboek", "medisch", "netwerk", "plan", "profiel"] },
        { "gemeente-wmo-degroot", "strikwerda-jesse", [] },
        { "bilic-gulan", "bilic-atilla", Everything },
        { "bondgenoot-khadija", "bilic-atilla", Bondgenoot },
        { "sterk-loes", "sterk-johan", Everything },
        { "bondgenoot-sven", "sterk-johan", Bondgenoot },
        { "frank-karin", "frank-leo", Everything },
        { "frank-ruben", "frank-leo", Everything },
        { "bondgenoot-hans", "frank-leo", Bondgenoot },
        { "dewit-ilona", "dewit-kim", Everything },
        { "bondgenoot-ilse", "dewit-kim", Bondgenoot },
        { "vanassen-luc", "vanassen-luc", Everything },
        { "vanassen-paula", "vanassen-luc", ["agenda"] },
        { "bondgenoot-elise", "vanassen-luc", Bondgenoot },
    };

    /// <summary>W6: each demo message reaches its sender and recipients, and nobody else with berichten.</summary>
    public static TheoryData<string, string, string[]> DemoMessageReaders() => new()
    {
        { "strikwerda-tessa", "strikwerda-jesse", ["strikwerda-bericht-1", "strikwerda-bericht-2"] },
        { "bondgenoot-ricardo", "strikwerda-jesse", ["strikwerda-bericht-1", "strikwerda-bericht-2"] },
        { "casemanager-dementie-bos", "strikwerda-jesse", [] },
        { "bilic-gulan", "bilic-atilla", ["bilic-bericht-1"] },
        { "bondgenoot-khadija", "bilic-atilla", ["bilic-bericht-1"] },
        { "sterk-loes", "sterk-johan", ["sterk-bericht-1"] },
        { "bondgenoot-sven", "sterk-johan", ["sterk-bericht-1"] },
        { "frank-karin", "frank-leo", ["frank-bericht-1"] },
        { "frank-ruben", "frank-leo", ["frank-bericht-1"] },
        { "bondgenoot-hans", "frank-leo", ["frank-bericht-1"] },
        { "dewit-ilona", "dewit-kim", ["dewit-bericht-1", "dewit-bericht-2"] },
        { "bondgenoot-ilse", "dewit-kim", ["dewit-bericht-1", "dewit-bericht-2"] },
        { "vanassen-luc", "vanassen-luc", ["vanassen-bericht-1"] },
        { "vanassen-paula", "vanassen-luc", [] },
        { "bondgenoot-elise", "vanassen-luc", ["vanassen-bericht-1"] },
    };

    [Theory, MemberData(nameof(DemoMessageReaders))]
    public async System.Threading.Tasks.Task Each_demo_message_reaches_the_people_who_take_part_in_it(string person, string patient, string[] messages)
    {
        var bundle = await As(person).GetJsonAsync($"/fhir/Communication?patient=Patient/{patient}&_count=100");
        var ids = bundle.TryGetProperty("entry", out var entries)
            ? entries.EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!).Where(id => id.Contains("-bericht-")).Order().ToList()
            : [];
        ids.ShouldBe(messages.Order().ToList());
    }

    [Theory, MemberData(nameof(DemoUsers))]
    public async System.Threading.Tasks.Task Each_demo_user_browses_the_overview_with_exactly_the_sections_granted(string person, string patient, string[] sections)
    {
        var o = await As(person).GetJsonAsync($"/api/dossiers/{patient}/overview");
        o.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).Order().ShouldBe(sections.Order());
        o.GetProperty("canManageAccess").GetBoolean().ShouldBe(sections == Everything);
        // A section not shared is null, never an empty list that hides the difference.
        (!o.IsNull("client")).ShouldBe(sections.Contains("profiel"));
        (!o.IsNull("plans")).ShouldBe(sections.Contains("plan"));
        (!o.IsNull("goals")).ShouldBe(sections.Contains("doelen"));
        (!o.IsNull("openAgreements")).ShouldBe(sections.Contains("afspraken"));
        (!o.IsNull("recentLogbook")).ShouldBe(sections.Contains("logboek"));
        (!o.IsNull("upcomingAppointments")).ShouldBe(sections.Contains("agenda"));
        (!o.IsNull("recentMessages")).ShouldBe(sections.Contains("berichten"));
        (!o.IsNull("measurements")).ShouldBe(sections.Contains("metingen"));
        (!o.IsNull("network")).ShouldBe(sections.Contains("netwerk"));
        // What is shared has content in every demo family.
        if (sections.Contains("plan")) o.GetProperty("plans").GetArrayLength().ShouldBeGreaterThan(0);
        if (sections.Contains("doelen")) o.GetProperty("goals").GetArrayLength().ShouldBeGreaterThan(0);
        if (sections.Contains("afspraken")) o.GetProperty("overdueAgreements").GetArrayLength().ShouldBeGreaterThan(0);
        if (sections.Contains("agenda")) o.GetProperty("upcomingAppointments").GetArrayLength().ShouldBeGreaterThan(0);
        if (sections.Contains("metingen")) o.GetProperty("measurements").GetArrayLength().ShouldBeGreaterThan(0);
        if (sections.Contains("profiel")) o.GetProperty("client").GetProperty("paspoort").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async System.Threading.Tasks.Task A_dossier_the_caller_has_no_grant_for_answers_404_on_every_endpoint()
    {
        var ricardo = As("bondgenoot-ricardo");
        foreach (var url in new[] { "/api/dossiers/bilic-atilla/overview", "/api/dossiers/bilic-atilla/agreements/overdue", "/api/dossiers/bilic-atilla/timeline" })
            (await ricardo.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var dueSoon = await ricardo.GetJsonAsync("/api/agreements/due-soon?days=30");
        dueSoon.EnumerateArray().Select(d => d.GetProperty("patientId").GetString()).Distinct().ShouldBe(["strikwerda-jesse"]);
    }

    [Fact]
    public async System.Threading.Tasks.Task Finances_stay_hidden_from_the_case_manager_in_goals_agreements_and_timeline()
    {
        var tessa = await As("strikwerda-tessa").GetJsonAsync("/api/dossiers/strikwerda-jesse/overview");
        tessa.GetProperty("goals").EnumerateArray().SelectMany(d => d.GetProperty("goals").Ids()).ShouldContain("strikwerda-doel-bewind");
        var bos = As("casemanager-dementie-bos");
        var o = await bos.GetJsonAsync("/api/dossiers/strikwerda-jesse/overview");
        o.GetProperty("goals").EnumerateArray().SelectMany(d => d.GetProperty("goals").Ids()).ShouldNotContain("strikwerda-doel-bewind");
        var timeline = await bos.GetJsonAsync("/api/dossiers/strikwerda-jesse/timeline?count=100");
        timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldNotContain("strikwerda-afspraak-bewind");
        timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldNotContain("strikwerda-financien-overzicht");
    }

    [Fact]
    public async System.Threading.Tasks.Task Measurements_show_the_change_between_the_0_and_1_meting_and_the_proxy()
    {
        var o = await As("strikwerda-tessa").GetJsonAsync("/api/dossiers/strikwerda-jesse/overview");
        var quality = o.GetProperty("measurements").EnumerateArray().Single(m => m.GetProperty("questionnaire").GetString()!.EndsWith("kwaliteit-van-leven", StringComparison.Ordinal));
        quality.GetProperty("moments").EnumerateArray().Select(m => m.GetProperty("moment").GetString()).ShouldBe(["0-meting", "1-meting"]);
        quality.GetProperty("moments")[0].GetProperty("score").GetInt32().ShouldBe(23);
        quality.GetProperty("moments")[0].GetProperty("proxy").GetBoolean().ShouldBeTrue();
        quality.GetProperty("changeFromStart").GetInt32().ShouldBe(33 - 23);
        quality.GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("linkId").GetString() == "regie").GetProperty("change").GetInt32().ShouldBe(3);
        var burden = o.GetProperty("measurements").EnumerateArray().Single(m => m.GetProperty("questionnaire").GetString()!.EndsWith("belasting-naaste", StringComparison.Ordinal));
        burden.GetProperty("changeFromStart").GetInt32().ShouldBe(17 - 22);
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_edit_of_a_logbook_note_is_a_version()
    {
        var ilona = As("dewit-ilona");
        var history = await (await ilona.GetAsync("/fhir/DocumentReference/dewit-logboek-logeren/_history")).ReadAs<Bundle>();
        history.Total.ShouldBe(3);
        var o = await ilona.GetJsonAsync("/api/dossiers/dewit-kim/overview");
        var note = o.GetProperty("recentLogbook").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "dewit-logboek-logeren");
        note.GetProperty("version").GetString().ShouldBe("3");
        note.GetProperty("text").GetString()!.ShouldContain("derde logeernacht");
    }

    [Fact]
    public async System.Threading.Tasks.Task Overdue_and_due_soon_agreements_are_listed_for_the_people_who_may_see_them()
    {
        var tessa = As("strikwerda-tessa");
        var overdue = await tessa.GetJsonAsync("/api/dossiers/strikwerda-jesse/agreements/overdue");
        overdue.Ids().ShouldBe(["strikwerda-afspraak-wmo"]);
        var due = await tessa.GetJsonAsync("/api/agreements/due-soon?days=7");
        due.EnumerateArray().Select(d => d.GetProperty("agreement").GetProperty("id").GetString()).ShouldBe(["strikwerda-afspraak-school"]);
        var mine = await tessa.GetJsonAsync("/api/agreements/due-soon?days=7&mine=true");
        mine.GetArrayLength().ShouldBe(1);
        (await As("bondgenoot-ricardo").GetJsonAsync("/api/agreements/due-soon?days=7&mine=true")).GetArrayLength().ShouldBe(0);
        // Paula reads only Luc's agenda: no agreements at all.
        (await As("vanassen-paula").GetJsonAsync("/api/agreements/due-soon?days=30")).GetArrayLength().ShouldBe(0);
        (await As("vanassen-paula").GetAsync("/api/dossiers/vanassen-luc/agreements/overdue")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static string?[] AgreementIds(JsonElement list) => list.EnumerateArray().Select(d => d.GetProperty("agreement").GetProperty("id").GetString()).ToArray();

    [Fact]
    public async System.Threading.Tasks.Task Mijn_afspraken_lists_the_open_agreements_the_caller_owns_for_every_kind_of_account()
    {
        // A supporter (Practitioner), a regiehouder (RelatedPerson) and an adult client (Patient): overdue ones too,
        // a completed one (Tessa's creditors list) not.
        var ricardo = await As("bondgenoot-ricardo").GetJsonAsync("/api/agreements/mine");
        AgreementIds(ricardo).ShouldBe(["strikwerda-afspraak-wmo"]);
        ricardo[0].GetProperty("patientId").GetString().ShouldBe("strikwerda-jesse");
        ricardo[0].GetProperty("mine").GetBoolean().ShouldBeTrue();
        ricardo[0].GetProperty("agreement").GetProperty("overdue").GetBoolean().ShouldBeTrue();
        AgreementIds(await As("strikwerda-tessa").GetJsonAsync("/api/agreements/mine")).ShouldBe(["strikwerda-afspraak-school"]);
        AgreementIds(await As("vanassen-luc").GetJsonAsync("/api/agreements/mine")).ShouldBe(["vanassen-afspraak-alarm"]);
        // The case manager owns none yet; Paula reads no agreements at all.
        (await As("casemanager-dementie-bos").GetJsonAsync("/api/agreements/mine")).GetArrayLength().ShouldBe(0);
        (await As("vanassen-paula").GetJsonAsync("/api/agreements/mine")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task Naming_someone_owner_of_an_agreement_gives_them_nothing_they_could_not_already_see()
    {
        var tessa = As("strikwerda-tessa");
        Hl7.Fhir.Model.Task NewTask(string owner) => new()
        {
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan,
            Description = $"Test {Guid.NewGuid():N}",
            For = new ResourceReference("Patient/strikwerda-jesse"),
            Owner = new ResourceReference(owner),
        };
        // The gemeente has a share package in this dossier (so it may be named), but no agreements: the agreement
        // stays out of its "mijn afspraken".
        var toGemeente = await (await tessa.PostAsync("/fhir/Task", NewTask("Organization/gemeente-leeuwarden"))).ReadAs<Hl7.Fhir.Model.Task>();
        try
        {
            (await As("gemeente-wmo-degroot").GetJsonAsync("/api/agreements/mine")).GetArrayLength().ShouldBe(0);
            // Bos may read agreements here: assigned to her, she finds it.
            var toBos = await (await tessa.PostAsync("/fhir/Task", NewTask("Practitioner/casemanager-dementie-bos"))).ReadAs<Hl7.Fhir.Model.Task>();
            AgreementIds(await As("casemanager-dementie-bos").GetJsonAsync("/api/agreements/mine")).ShouldBe([toBos.Id]);
            (await tessa.DeleteAsync($"/fhir/Task/{toBos.Id}")).IsSuccessStatusCode.ShouldBeTrue();
            // Someone from another family's network, and a record that does not exist, are refused alike (no hint
            // whether it exists), and nothing is stored.
            foreach (var outsider in new[] { "Practitioner/bondgenoot-khadija", "RelatedPerson/bilic-gulan", "RelatedPerson/bestaat-niet" })
            {
                var refused = await tessa.PostAsync("/fhir/Task", NewTask(outsider));
                refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, outsider);
                string.Join(" ", (await refused.Outcome()).Issue.Select(i => i.Diagnostics)).ShouldContain("niet bij dit dossier hoort");
            }
        }
        finally
        {
            await tessa.DeleteAsync($"/fhir/Task/{toGemeente.Id}");
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_timeline_pages_newest_first_through_the_sections_the_caller_may_read()
    {
        var ilona = As("dewit-ilona");
        var first = await ilona.GetJsonAsync("/api/dossiers/dewit-kim/timeline?count=5");
        first.GetProperty("hasMore").GetBoolean().ShouldBeTrue();
        var second = await ilona.GetJsonAsync("/api/dossiers/dewit-kim/timeline?count=5&offset=5");
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("type").GetString() + "/" + i.GetProperty("id").GetString()).ToList();
        ids.Count.ShouldBe(10);
        ids.Distinct().Count().ShouldBe(10);
        var dates = first.GetProperty("items").EnumerateArray().Select(i => DateTimeOffset.Parse(i.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        dates.ShouldBe(dates.OrderByDescending(d => d).ToList());

        var paula = await As("vanassen-paula").GetJsonAsync("/api/dossiers/vanassen-luc/timeline?count=100");
        paula.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()).Distinct().ShouldBe(["Appointment"]);
    }

    [Fact]
    public async System.Threading.Tasks.Task Project_code_systems_value_sets_and_questionnaires_are_readable_by_any_signed_in_person()
    {
        var paula = As("vanassen-paula");
        var domains = await (await paula.GetAsync($"/fhir/CodeSystem?url={PgoCodes.LifeDomain.System}")).ReadAs<Bundle>();
        ((CodeSystem)domains.Entry.Single().Resource).Concept.Count.ShouldBe(13);
        var activities = await (await paula.GetAsync($"/fhir/CodeSystem?url={PgoCodes.SupporterActivity.System}")).ReadAs<Bundle>();
        // The 18 activities with a family and the 5 outside one (lerend netwerk, intervisie, signalering, reistijd, scholing).
        ((CodeSystem)activities.Entry.Single().Resource).Concept.Count.ShouldBe(23);
        foreach (var url in new[] { PgoCodes.Intensity.System, PgoCodes.NetworkRole.System, PgoCodes.Section.System })
        {
            var vs = await (await paula.GetAsync($"/fhir/ValueSet?url={url.Replace("/CodeSystem/", "/ValueSet/")}")).ReadAs<Bundle>();
            ((ValueSet)vs.Entry.Single().Resource).Compose.Include.Single().System.ShouldBe(url);
        }
        (await paula.GetAsync("/fhir/Questionnaire/kwaliteit-van-leven")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Directory resources: people cannot change them.
        var cs = (CodeSystem)domains.Entry.Single().Resource;
        (await As("strikwerda-tessa").PutAsync($"/fhir/CodeSystem/{cs.Id}", cs)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_professional_with_only_the_plan_section_sees_nothing_else_through_any_dossier_endpoint()
    {
        // Tessa grants a new psychologist the plan only.
        var system = demo.Api.CreateClient();
        (await system.PutAsync("/fhir/Practitioner/psycholoog-plan", new Practitioner { Id = "psycholoog-plan", Name = [new HumanName { Text = "Psycholoog (plan)" }] })).IsSuccessStatusCode.ShouldBeTrue();
        (await system.PutAsync("/fhir/Person/psycholoog-plan", new Person { Id = "psycholoog-plan", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/psycholoog-plan") }] })).IsSuccessStatusCode.ShouldBeTrue();
        var grant = await As("strikwerda-tessa").GrantAsync("strikwerda-jesse", new { actor = "Practitioner/psycholoog-plan", role = "zorgverlener", sections = new[] { "plan" } });
        grant.StatusCode.ShouldBe(HttpStatusCode.Created, await grant.Content.ReadAsStringAsync());

        var psy = As("psycholoog-plan");
        var o = await psy.GetJsonAsync("/api/dossiers/strikwerda-jesse/overview");
        o.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).ShouldBe(["plan"]);
        o.GetProperty("plans").GetArrayLength().ShouldBeGreaterThan(0);
        foreach (var hidden in new[] { "client", "goals", "openAgreements", "overdueAgreements", "recentLogbook", "upcomingAppointments", "recentMessages", "measurements", "network" })
            o.IsNull(hidden).ShouldBeTrue(hidden);
        (await psy.GetAsync("/api/dossiers/strikwerda-jesse/agreements/overdue")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await psy.GetJsonAsync("/api/agreements/due-soon?days=366")).GetArrayLength().ShouldBe(0);
        var timeline = await psy.GetJsonAsync("/api/dossiers/strikwerda-jesse/timeline?count=100");
        timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("section").GetString()).Distinct().ShouldBe(["plan"]);
        (await psy.CountAsync("DocumentReference")).ShouldBe(0);

        // Every read was audited under the psychologist's name, on the grant that allowed it.
        var audit = await As("strikwerda-tessa").GetJsonAsync("/api/dossiers/strikwerda-jesse/audit?person=Person/psycholoog-plan");
        var reads = audit.EnumerateArray().Where(r => r.GetProperty("action").GetString() == "search").ToList();
        reads.ShouldNotBeEmpty();
        reads.Select(r => r.GetProperty("section").GetString()).OfType<string>().ShouldAllBe(s => s == "plan");
    }

    /// <summary>Twelve weeks of each supporter's demo time (Api/Practice/DemoTime.cs). The ranges come from the seeds: 2 to 4
    /// hours per family per week while support is intensive (DOMAIN.md §1, seed 004's coordination cost lines: about 3 on
    /// average), so 24 to 48 hours in twelve weeks; Sterk scaled down 60 days ago (DemoIntensity), so less than an intensive
    /// family but more than an hour a week; Van Assen was scaled down and is in waakvlam without contact for 45 days, so a few
    /// hours and nothing since. Everyone also spends time outside a family (intervisie, the learning network, travel).</summary>
    [Theory]
    [InlineData("bondgenoot-ricardo", "strikwerda-jesse", 24, 48), InlineData("bondgenoot-khadija", "bilic-atilla", 24, 48),
     InlineData("bondgenoot-hans", "frank-leo", 24, 48), InlineData("bondgenoot-ilse", "dewit-kim", 24, 48),
     InlineData("bondgenoot-sven", "sterk-johan", 12, 24), InlineData("bondgenoot-elise", "vanassen-luc", 1, 12)]
    public async System.Threading.Tasks.Task Each_supporters_demo_time_covers_their_family_as_the_seeds_describe_and_time_outside_a_family(
        string supporter, string patient, int minHours, int maxHours)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = today.AddDays(-7 * Pgo.Api.Practice.DemoTime.HistoryWeeks);
        var response = await As(supporter).GetAsync($"/api/time?from={from:yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var sheet = JsonSerializer.Deserialize<Pgo.Shared.Contracts.TimeSheet>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        var family = sheet.Families.ShouldHaveSingleItem();
        family.PatientId.ShouldBe(patient);
        family.Minutes.ShouldBeInRange(minHours * 60, maxHours * 60, $"{supporter}: {family.Minutes} minutes for {patient}");
        // Several activities of the 18, not one bucket.
        sheet.Entries.Where(e => !e.OutsideFamily).Select(e => e.Activity).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
        // Outside a family: intervisie and the learning network; less than the family itself.
        sheet.OutsideFamilyMinutes.ShouldBeGreaterThan(0);
        sheet.Entries.Where(e => e.OutsideFamily).Select(e => e.Activity).ShouldContain("intervisie");
        sheet.Entries.Where(e => e.OutsideFamily).Select(e => e.Activity).ShouldContain("lerend-netwerk");
        sheet.TotalMinutes.ShouldBe(family.Minutes + sheet.OutsideFamilyMinutes);
        if (minHours >= 24) sheet.OutsideFamilyMinutes.ShouldBeLessThan(family.Minutes);
        // Practice:EditDays (14): what was registered more than two weeks ago is past edit, the recent is still the author's.
        var editDays = today.AddDays(-14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        sheet.Entries.Where(e => string.CompareOrdinal(e.Date, editDays) < 0).ShouldAllBe(e => e.EditableUntil == null);
        sheet.Entries.ShouldContain(e => e.EditableUntil != null);
        // Van Assen: in waakvlam since 45 days without contact (DemoIntensity), so no family time since either.
        if (patient == "vanassen-luc")
            sheet.Entries.Where(e => !e.OutsideFamily).ShouldAllBe(e => string.CompareOrdinal(e.Date, today.AddDays(-45).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) < 0);
    }
}
