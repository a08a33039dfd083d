using System.Net;
using Pgo.Api.Tests.Access;
using Pgo.Api.Tests.Dossier;

namespace Pgo.Api.Tests.Events;

/// <summary>The demo's events (Api/Demo/DemoEvents.cs): the De Wit family's register with the open objection against the
/// refused ceiling lift, read by their bondgenoot and the parents, and no one else's business.</summary>
public sealed class DemoEventsTests(SqliteDemoFamilies demo) : IClassFixture<SqliteDemoFamilies>
{
    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

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
}
