using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Realtime;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>Grants that end by date, seen from an open live connection: the hub compiles the connection's access again at
/// the moment a grant ends (not only on its periodic round, here set to an hour), and tells the connection.</summary>
public class GrantEndTests
{
    private static ApiFactory Api() => new(settings: new Dictionary<string, string?> { ["Realtime:RecheckInterval"] = "01:00:00" });

    private static async Task AgencyAsync(HttpClient system)
    {
        await SeedAsync(system);
        await PutAsync(system, new Hl7.Fhir.Model.Organization { Id = "rt-gemeente", Name = "Gemeente" });
        await PutAsync(system, new Hl7.Fhir.Model.Practitioner { Id = "rt-wmo" });
        await PutAsync(system, new Hl7.Fhir.Model.PractitionerRole
        {
            Id = "rt-wmo-role", Practitioner = new("Practitioner/rt-wmo"), Organization = new("Organization/rt-gemeente"),
        });
        await PutAsync(system, new Hl7.Fhir.Model.Person { Id = "rt-wmo", Link = [new() { Target = new("Practitioner/rt-wmo") }] });
    }

    private static Hl7.Fhir.Model.Consent Package(string id, DateTimeOffset until, string item) =>
        Grants.SharePackage(id, Child, "Organization/rt-gemeente", "Aanvraag Wmo", until, items: [item], from: DateTimeOffset.UtcNow.AddHours(-1));

    [Fact]
    public async Task A_share_package_that_ends_closes_the_feed_at_its_end()
    {
        await using var api = Api();
        var system = api.CreateClient();
        await AgencyAsync(system);
        await PutAsync(system, Package("rt-package", DateTimeOffset.UtcNow.AddDays(1), "DocumentReference/rt-note"));
        await using var agency = LiveClient.InProcess(api, TestTokens.Person("Person/rt-wmo"));
        await agency.StartAndJoinAsync(Child);
        // The family moves the end to seconds from now (real time); the hub's own round would come only after an hour.
        await PutAsync(system, Package("rt-package", DateTimeOffset.UtcNow.AddSeconds(2), "DocumentReference/rt-note"));

        var (name, body) = await agency.NextAsync();
        name.ShouldBe(LiveEvents.AccessRevoked);
        body.GetProperty("patientId").GetString().ShouldBe(Child);
        api.Services.GetRequiredService<LiveConnections>().JoinedTo(Child).ShouldBeEmpty();
    }

    [Fact]
    public async Task When_one_of_two_share_packages_ends_the_connection_stays_and_is_told_its_access_changed()
    {
        await using var api = Api();
        var system = api.CreateClient();
        await AgencyAsync(system);
        await PutAsync(system, Package("rt-package-long", DateTimeOffset.UtcNow.AddDays(30), "Goal/rt-goal"));
        await PutAsync(system, Package("rt-package-short", DateTimeOffset.UtcNow.AddDays(1), "DocumentReference/rt-note"));
        await using var agency = LiveClient.InProcess(api, TestTokens.Person("Person/rt-wmo"));
        await agency.StartAndJoinAsync(Child);
        await PutAsync(system, Package("rt-package-short", DateTimeOffset.UtcNow.AddSeconds(2), "DocumentReference/rt-note"));

        var (name, body) = await agency.NextAsync();
        name.ShouldBe(LiveEvents.AccessChanged);
        body.GetProperty("patientId").GetString().ShouldBe(Child);
        var connection = api.Services.GetRequiredService<LiveConnections>().JoinedTo(Child).ShouldHaveSingleItem();
        connection.Scope.CanRead("Goal", "rt-goal", "doelen", [Child]).ShouldBeTrue();
        connection.Scope.CanRead("DocumentReference", "rt-note", "logboek", [Child]).ShouldBeFalse();

        // What ended is not sent any more; what still runs is.
        await PutAsync(system, Note("rt-note", "Na het einde"));
        await PutAsync(system, Goal("rt-goal", "Nog gedeeld"));
        var change = await agency.NextChangeAsync();
        (change.ResourceType, change.Id).ShouldBe(("Goal", "rt-goal"));
    }
}
