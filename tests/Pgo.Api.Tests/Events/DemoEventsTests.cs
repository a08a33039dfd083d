using System.Globalization;
using System.Net;
using System.Text.Json;
using Pgo.Api.Tests.Access;
using Pgo.Api.Tests.Dossier;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.Events;

public sealed class DemoEventsOnSqlite(SqliteDemoFamilies demo) : DemoEventsTests(demo), IClassFixture<SqliteDemoFamilies>;
public sealed class DemoEventsOnPostgres(PostgresDemoFamilies demo) : DemoEventsTests(demo), IClassFixture<PostgresDemoFamilies>;

/// <summary>The demo's events (Api/Demo/DemoEvents.cs, seed 004's family stories): every family's register holds the events of
/// its story, read by its bondgenoot and its regiehouder and no one else's business; nothing lies in the future, every
/// procedure's deadline fits its date and status, and the events agree with the intensity histories (DemoIntensity).</summary>
public abstract class DemoEventsTests(DemoFamilies demo)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Each family: its bondgenoot, its patient and a regiehouder.</summary>
    public static TheoryData<string, string, string> Families() => new()
    {
        { "bondgenoot-ricardo", "strikwerda-jesse", "strikwerda-tessa" },
        { "bondgenoot-khadija", "bilic-atilla", "bilic-gulan" },
        { "bondgenoot-sven", "sterk-johan", "sterk-loes" },
        { "bondgenoot-hans", "frank-leo", "frank-karin" },
        { "bondgenoot-ilse", "dewit-kim", "dewit-ilona" },
        { "bondgenoot-elise", "vanassen-luc", "vanassen-luc" },
    };

    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The whole register, also anything dated after today (there must be none).</summary>
    private async Task<EventRegister> RegisterAsync(string person, string patient)
    {
        var response = await As(person).GetAsync($"/api/dossiers/{patient}/events?to={DateTime.UtcNow.AddYears(2):yyyy-MM-dd}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<EventRegister>(body, Json)!;
    }

    [Fact]
    public async System.Threading.Tasks.Task The_De_Wit_register_holds_the_ceiling_lift_procedure_and_its_open_objection_is_upcoming_for_Ilse()
    {
        var register = await As("dewit-ilona").GetJsonAsync("/api/dossiers/dewit-kim/events");
        register.GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(5);
        register.GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("type").GetString())
            .ShouldBeSubsetOf(["aanvraag", "besluit", "bezwaar", "ziekenhuisopname", "contact-instantie"]);

        var upcoming = await As("bondgenoot-ilse").GetJsonAsync("/api/procedures/upcoming");
        var objection = upcoming.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "gebeurtenis-dewit-bezwaar-lift");
        objection.GetProperty("procedure").GetProperty("daysLeft").GetInt32().ShouldBeInRange(11, 12);
        objection.GetProperty("instantieName").GetString().ShouldBe("Gemeente");

        (await As("bondgenoot-ricardo").GetAsync("/api/dossiers/dewit-kim/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await As("bondgenoot-ricardo").GetJsonAsync("/api/procedures/upcoming")).EnumerateArray()
            .ShouldNotContain(e => e.GetProperty("patientId").GetString() == "dewit-kim");
    }

    [Theory, MemberData(nameof(Families))]
    public async System.Threading.Tasks.Task Every_family_has_events_from_its_story_none_in_the_future_and_each_procedures_deadline_fits(
        string supporter, string patient, string regiehouder)
    {
        var register = await RegisterAsync(supporter, patient);
        register.Total.ShouldBeGreaterThanOrEqualTo(5, $"{patient}: a story's worth of events");
        register.Events.Length.ShouldBe(register.Total);
        register.Events.ShouldAllBe(e => string.CompareOrdinal(e.Date, Today) <= 0, $"{patient}: an event in the future");
        register.Events.ShouldAllBe(e => EventCodes.TypeDisplay.ContainsKey(e.Type));
        // The bondgenoot recorded them, in their own name.
        register.Events.ShouldAllBe(e => e.Author == $"Practitioner/{supporter}");

        foreach (var e in register.Events.Where(e => EventCodes.IsProcedure(e.Type)))
        {
            var p = e.Procedure.ShouldNotBeNull($"{e.Id} is a procedure");
            EventCodes.StatusDisplay.ContainsKey(p.Status ?? "").ShouldBeTrue(e.Id);
            if (e.Type == EventCodes.Types.Aanvraag) e.Regeling.ShouldNotBeNull(e.Id);
            if (p.Deadline is { } deadline) string.CompareOrdinal(deadline, e.Date).ShouldBeGreaterThanOrEqualTo(0, $"{e.Id}: deadline before its date");
            if (p.Status is EventCodes.Status.Ingediend or EventCodes.Status.InBehandeling)
            {
                // Waiting on the instantie: its term to decide is known, and not so near that the demo opens with a reminder.
                p.DeadlineKind.ShouldBe("beslistermijn", e.Id);
                p.DaysLeft.ShouldNotBeNull(e.Id).ShouldBeGreaterThanOrEqualTo(EventCodes.DefaultReminderDays + 1, e.Id);
            }
            if (p.Status == EventCodes.Status.Afgerond) p.Outcome.ShouldNotBeNull($"{e.Id}: closed without an outcome");
        }
        // An objection contests an earlier event of the same family.
        foreach (var e in register.Events.Where(e => e.Contests is not null))
        {
            var contested = register.Events.Where(x => $"Basic/{x.Id}" == e.Contests).ShouldHaveSingleItem();
            string.CompareOrdinal(contested.Date, e.Date).ShouldBeLessThanOrEqualTo(0, e.Id);
        }

        // The regiehouder reads the same register; another family's bondgenoot does not learn it exists.
        (await RegisterAsync(regiehouder, patient)).Total.ShouldBe(register.Total);
        var stranger = supporter == "bondgenoot-ricardo" ? "bondgenoot-khadija" : "bondgenoot-ricardo";
        (await As(stranger).GetAsync($"/api/dossiers/{patient}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static EventView One(EventRegister register, string id) => register.Events.Where(e => e.Id == id).ShouldHaveSingleItem();

    [Fact]
    public async System.Threading.Tasks.Task Strikwerda_has_the_Wmo_application_for_household_help_Rowenas_diagnosis_and_her_new_school()
    {
        var register = await RegisterAsync("strikwerda-tessa", "strikwerda-jesse");
        var wmo = One(register, "gebeurtenis-strikwerda-aanvraag-wmo");
        (wmo.Type, wmo.Regeling, wmo.Instantie, wmo.Procedure!.Status).ShouldBe(("aanvraag", "wmo", "gemeente", "ingediend"));
        register.Counts.Select(c => c.Type).ShouldContain("diagnose");
        register.Counts.Select(c => c.Type).ShouldContain("schoolwissel");
        One(register, "gebeurtenis-strikwerda-pgb-danny").Procedure!.Outcome.ShouldBe("toegekend");
    }

    [Fact]
    public async System.Threading.Tasks.Task Bilic_moved_into_the_adapted_house_after_the_gemeente_granted_it_and_the_mattress_still_waits()
    {
        var register = await RegisterAsync("bilic-gulan", "bilic-atilla");
        var house = One(register, "gebeurtenis-bilic-aanvraag-woning");
        var move = One(register, "gebeurtenis-bilic-verhuizing");
        house.Procedure!.Outcome.ShouldBe("toegekend");
        string.CompareOrdinal(house.Date, move.Date).ShouldBeLessThan(0);
        var mattress = One(register, "gebeurtenis-bilic-aanvraag-decubitusmat");
        (mattress.Regeling, mattress.Procedure!.Status).ShouldBe(("hulpmiddelen", "in-behandeling"));
        register.Counts.Select(c => c.Type).ShouldContain("aanvraag");
        register.Events.ShouldContain(e => e.Regeling == "pgb");
    }

    [Fact]
    public async System.Threading.Tasks.Task Sterk_has_the_De_Linde_trigger_after_scaling_down_and_an_open_objection_against_the_CIZ()
    {
        var register = await RegisterAsync("sterk-loes", "sterk-johan");
        One(register, "gebeurtenis-sterk-weekendopvang").Type.ShouldBe("zorgplek-weg");
        One(register, "gebeurtenis-sterk-verhuizing").Type.ShouldBe("verhuizing");
        var objection = One(register, "gebeurtenis-sterk-bezwaar-ciz");
        (objection.Instantie, objection.Contests, objection.Procedure!.Status).ShouldBe(("ciz", "Basic/gebeurtenis-sterk-besluit-ciz", "in-behandeling"));

        // De Linde's news is the newest trigger since Sterk scaled down: Sven is asked whether to scale up again.
        var caseload = JsonSerializer.Deserialize<CaseloadFamily[]>(await (await As("bondgenoot-sven").GetAsync("/api/caseload")).Content.ReadAsStringAsync(), Json)!;
        caseload.Single(r => r.PatientId == "sterk-johan").IntensityStatus!.Trigger!.EventId.ShouldBe("gebeurtenis-sterk-weekendopvang");
    }

    [Fact]
    public async System.Threading.Tasks.Task Frank_has_the_applications_for_Leos_eighteenth_birthday_open_with_both_parents_reading_them()
    {
        var register = await RegisterAsync("frank-ruben", "frank-leo");
        var eighteen = register.Events.Where(e => e.Id is "gebeurtenis-frank-beschut-werk" or "gebeurtenis-frank-wajong" or "gebeurtenis-frank-mentorschap").ToList();
        eighteen.Select(e => (e.Regeling, e.Instantie)).ShouldBe([("participatiewet", "uwv"), ("wajong", "uwv"), ("overig", "rechtbank")], ignoreOrder: true);
        eighteen.ShouldAllBe(e => e.Type == "aanvraag" && EventCodes.IsOpen(e.Procedure!.Status));
        register.Counts.Select(c => c.Type).ShouldContain("schoolwissel");
        register.Counts.Select(c => c.Type).ShouldContain("werk-behouden");
        (await RegisterAsync("frank-karin", "frank-leo")).Total.ShouldBe(register.Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Van_Assen_has_the_fall_and_home_care_and_nothing_since_waakvlam_that_asks_to_scale_up()
    {
        var register = await RegisterAsync("vanassen-luc", "vanassen-luc");
        One(register, "gebeurtenis-vanassen-opname").Type.ShouldBe("ziekenhuisopname");
        One(register, "gebeurtenis-vanassen-thuiszorg").Procedure!.Outcome.ShouldBe("toegekend");
        One(register, "gebeurtenis-vanassen-winkel").Type.ShouldBe("werk-behouden");
        // Paula reads only the agenda.
        (await As("vanassen-paula").GetAsync("/api/dossiers/vanassen-luc/events")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var caseload = JsonSerializer.Deserialize<CaseloadFamily[]>(await (await As("bondgenoot-elise").GetAsync("/api/caseload")).Content.ReadAsStringAsync(), Json)!;
        var status = caseload.Single(r => r.PatientId == "vanassen-luc").IntensityStatus!;
        status.Trigger.ShouldBeNull();
        register.Events.Where(e => IntensityChanges.TriggerTypes.Contains(e.Type))
            .ShouldAllBe(e => string.CompareOrdinal(e.Date, status.Since) < 0);
    }
}
