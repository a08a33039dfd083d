using Microsoft.Extensions.DependencyInjection;
using Pgo.Fhir.Rest;
using static Pgo.Api.Tests.Notifications.RulesFamily;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// Who is told what as changes happen (Api/Notifications/Rules): the dossier's audience, then per candidate the same
/// access decision as a read. On SQLite and PostgreSQL.
/// </summary>
public class RulesTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_audience_of_a_dossier_is_everyone_acting_as_an_actor_of_its_grants_and_the_client(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        var platform = api.Services.GetRequiredService<FhirRepository>().AsPlatform(PlatformPurpose.Notifications);

        // The parent (RelatedPerson), the supporters (Practitioner), the Wmo officer (through the municipality's share
        // package and her PractitionerRole) and the client's own Person; never the stranger.
        (await platform.DossierAudienceAsync(Child, TestContext.Current.CancellationToken))
            .ShouldBe([Client, Coach, Parent, Supporter, Wmo], ignoreOrder: true);

        // A deleted grant no longer names its actor; another dossier has its own audience.
        (await system.DeleteAsync($"/fhir/Consent/{CoachGrant}", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        (await platform.DossierAudienceAsync(Child, TestContext.Current.CancellationToken)).ShouldNotContain(Coach);
        (await platform.DossierAudienceAsync("nt-other", TestContext.Current.CancellationToken)).ShouldBeEmpty();

        (await platform.PersonsActingAsAsync(["Organization/nt-gemeente", "RelatedPerson/nt-parent", "Practitioner/nobody"], TestContext.Current.CancellationToken))
            .ShouldBe([Parent, Wmo], ignoreOrder: true);
    }
}
