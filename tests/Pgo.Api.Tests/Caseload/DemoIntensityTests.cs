using System.Net;
using System.Text.Json;
using Pgo.Api.Tests.Access;
using Pgo.Api.Tests.Dossier;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.Caseload;

public sealed class DemoIntensityOnSqlite(SqliteDemoFamilies demo) : DemoIntensityTests(demo), IClassFixture<SqliteDemoFamilies>;
public sealed class DemoIntensityOnPostgres(PostgresDemoFamilies demo) : DemoIntensityTests(demo), IClassFixture<PostgresDemoFamilies>;

/// <summary>The demo's intensity histories (Api/Demo/DemoIntensity.cs): every family has one that ends in its plan's
/// intensity; Van Assen is in waakvlam with contact due, Sterk scaled down and De Linde's news suggests scaling up again.</summary>
public abstract class DemoIntensityTests(DemoFamilies demo)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    private async Task<CaseloadFamily> RowAsync(string person, string patient)
    {
        var body = await (await As(person).GetAsync("/api/caseload")).Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<CaseloadFamily[]>(body, Json)!.Single(r => r.PatientId == patient);
    }

    [Fact]
    public async System.Threading.Tasks.Task Elise_sees_that_Van_Assen_in_waakvlam_needs_contact_since_the_last_contact_the_caseload_shows()
    {
        var row = await RowAsync("bondgenoot-elise", "vanassen-luc");
        var status = row.IntensityStatus.ShouldNotBeNull();
        (status.Intensity, status.RhythmWeeks, status.ContactNeeded).ShouldBe(("waakvlam", 6, true));
        status.Since.ShouldNotBeNull();
        string.CompareOrdinal(status.ContactDue, status.Since).ShouldBeGreaterThan(0);
        row.Intensity.ShouldBe("waakvlam");
        // One notion of last contact: the caseload's column shows the day of the same note the rhythm counts from (its
        // date, 110 days back), not the day the demo stored it, which would read "today" beside "contact nodig".
        var lastContact = row.LastContact.ShouldNotBeNull();
        Pgo.Shared.Text.DutchTime.Today(lastContact).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(status.LastContact);
        string.CompareOrdinal(status.LastContact, status.Since).ShouldBeLessThan(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task Sven_is_asked_whether_to_scale_Sterk_up_again_after_De_Linde_ends_the_weekend_stays()
    {
        var status = (await RowAsync("bondgenoot-sven", "sterk-johan")).IntensityStatus.ShouldNotBeNull();
        status.Intensity.ShouldBe("afschalen");
        status.ContactDue.ShouldBeNull();
        status.Trigger.ShouldNotBeNull().Type.ShouldBe("zorgplek-weg");
    }

    [Theory]
    [InlineData("strikwerda-tessa", "strikwerda-jesse", "intensief"), InlineData("bilic-gulan", "bilic-atilla", "intensief"), InlineData("dewit-ilona", "dewit-kim", "intensief"),
     InlineData("vanassen-luc", "vanassen-luc", "waakvlam")]
    public async System.Threading.Tasks.Task The_family_reads_a_history_that_ends_in_the_current_intensity_and_may_not_change_it(string person, string patient, string current)
    {
        var response = await As(person).GetAsync($"/api/dossiers/{patient}/intensity");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var overview = JsonSerializer.Deserialize<IntensityOverview>(body, Json)!;
        overview.History.Length.ShouldBeGreaterThanOrEqualTo(2);
        overview.History[0].To.ShouldBe(current);
        overview.Status.Intensity.ShouldBe(current);
        overview.MayChange.ShouldBeFalse();
        overview.History.ShouldAllBe(h => h.AgreedWithFamily && h.SetBy!.Contains("bondgenoot"));
    }
}
