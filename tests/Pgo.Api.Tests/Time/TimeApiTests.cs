using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Access;
using Pgo.Api.Tests.Dossier;
using Pgo.Fhir.Profiles;

namespace Pgo.Api.Tests.Time;

/// <summary>Time registration per family per activity through /api/dossiers/{id}/time and /api/time, on the demo families
/// (stored in the supporter's practice, Api/Practice; the family reads it when section tijd is shared): the supporter
/// writes, the family reads, everybody else is refused, and the rules hold.</summary>
public sealed class TimeApiTests(SqliteDemoFamilies demo) : IClassFixture<SqliteDemoFamilies>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string DaysAgo(int n) => DateTime.UtcNow.AddDays(-n).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Period => $"from={DaysAgo(40)}&to={Today}";

    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    private static Task<HttpResponseMessage> Register(HttpClient client, string patient, string activity, string date, int minutes, string? note = null) =>
        client.PostAsJsonAsync($"/api/dossiers/{patient}/time", new { activity, date, minutes, note }, Json);

    private async Task<int> StoredCount(string patient) =>
        (await demo.Api.CreateClient().GetJsonAsync($"/api/dossiers/{patient}/time?{Period}")).GetProperty("entries").GetArrayLength();

    [Fact]
    public async System.Threading.Tasks.Task A_supporter_registers_time_and_the_family_reads_it_with_totals_per_activity()
    {
        var before = await As("strikwerda-tessa").GetJsonAsync($"/api/dossiers/strikwerda-jesse/time?{Period}");
        var response = await Register(As("bondgenoot-ricardo"), "strikwerda-jesse", "belangenbehartiging", Today, 35, "Gebeld met de zorgverzekeraar.");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        entry.GetProperty("author").GetString().ShouldBe("Practitioner/bondgenoot-ricardo");
        entry.GetProperty("activityName").GetString().ShouldBe("Belangenbehartiging");

        // Stored in the supporter's practice, not in the dossier (issue 20): no time registration in the FHIR store.
        entry.GetProperty("familyName").GetString().ShouldBe("Jesse Strikwerda");
        (await demo.Api.CreateClient().GetJsonAsync($"/fhir/Basic?code={Pgo.Fhir.Access.PgoCodes.SupporterActivity.System}|")).TryGetProperty("entry", out _).ShouldBeFalse();

        var sheet = await As("strikwerda-tessa").GetJsonAsync($"/api/dossiers/strikwerda-jesse/time?{Period}");
        sheet.GetProperty("entries").Ids().ShouldContain(entry.GetProperty("id").GetString()!);
        sheet.GetProperty("totalMinutes").GetInt32().ShouldBe(before.GetProperty("totalMinutes").GetInt32() + 35);
        var advocacy = sheet.GetProperty("activities").EnumerateArray().Single(a => a.GetProperty("activity").GetString() == "belangenbehartiging");
        advocacy.GetProperty("minutes").GetInt32().ShouldBeGreaterThanOrEqualTo(35);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_caseload_totals_hold_only_the_families_the_supporter_works_for()
    {
        var ricardo = await As("bondgenoot-ricardo").GetJsonAsync($"/api/time?{Period}");
        ricardo.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("patientId").GetString()).ShouldBe(["strikwerda-jesse"]);
        ricardo.GetProperty("totalMinutes").GetInt32().ShouldBe(ricardo.GetProperty("entries").EnumerateArray().Sum(e => e.GetProperty("minutes").GetInt32()));
        ricardo.GetProperty("totalMinutes").GetInt32().ShouldBeGreaterThanOrEqualTo(60 + 45 + 30 + 120);

        var khadija = await As("bondgenoot-khadija").GetJsonAsync($"/api/time?{Period}");
        khadija.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("patientId").GetString()).ShouldBe(["bilic-atilla"]);
        // Her own entries of the demo (DemoTime), among the weeks of her work with the family, and her time outside it.
        var activities = khadija.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("activity").GetString()).ToList();
        activities.ShouldContain("dialoog-faciliteren");
        activities.ShouldContain("zorg-zoeken-aanvragen");
        activities.ShouldContain("reistijd");
    }

    [Fact]
    public async System.Threading.Tasks.Task Someone_who_is_not_the_familys_supporter_is_refused_and_nothing_is_stored()
    {
        var strikwerda = await StoredCount("strikwerda-jesse");
        var bilic = await StoredCount("bilic-atilla");
        // The regiehouder reads the time but does not register it: that is the supporter's own work.
        (await Register(As("strikwerda-tessa"), "strikwerda-jesse", "luisterend-oor", Today, 20)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // The dementia case manager has no grant on tijd: neither read nor write.
        (await Register(As("casemanager-dementie-bos"), "strikwerda-jesse", "luisterend-oor", Today, 20)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As("casemanager-dementie-bos").GetAsync("/api/dossiers/strikwerda-jesse/time")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Another family's supporter does not even learn that the dossier exists.
        (await Register(As("bondgenoot-ricardo"), "bilic-atilla", "luisterend-oor", Today, 20)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await As("bondgenoot-ricardo").GetAsync("/api/dossiers/bilic-atilla/time")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Paula reads only Luc's agenda.
        (await As("vanassen-paula").GetAsync("/api/dossiers/vanassen-luc/time")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As("vanassen-paula").GetJsonAsync($"/api/time?{Period}")).GetProperty("entries").GetArrayLength().ShouldBe(0);
        (await StoredCount("strikwerda-jesse")).ShouldBe(strikwerda);
        (await StoredCount("bilic-atilla")).ShouldBe(bilic);
    }

    [Theory]
    [InlineData("luisterend-oor", 0, 0, "1 tot en met 960")]
    [InlineData("luisterend-oor", 0, 1000, "1 tot en met 960")]
    [InlineData("luisterend-oor", -3, 30, "toekomst")]
    [InlineData("koffie-drinken", 0, 30, "bekende activiteit")]
    public async System.Threading.Tasks.Task A_time_registration_against_the_rules_is_refused_in_Dutch_and_not_stored(string activity, int daysAgo, int minutes, string words)
    {
        var before = await StoredCount("sterk-johan");
        var response = await Register(As("bondgenoot-sven"), "sterk-johan", activity, DaysAgo(daysAgo), minutes);
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("detail").GetString()!.ShouldContain(words, Case.Insensitive);
        (await StoredCount("sterk-johan")).ShouldBe(before);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_time_registration_written_straight_to_fhir_is_refused_with_a_pointer_to_the_practice()
    {
        // Issue 20: time is the supporter's practice; the FHIR path is closed, also for a registration that is otherwise right.
        var entry = TimeRegistration.New("frank-leo", "Practitioner/bondgenoot-hans", null, "luisterend-oor", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)), 30, null);
        var response = await As("bondgenoot-hans").PostAsync("/fhir/Basic",
            new StringContent(Pgo.Fhir.Serialization.FhirJson.Serialize(entry), System.Text.Encoding.UTF8, "application/fhir+json"));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldContain("eigen praktijk");
    }
}
