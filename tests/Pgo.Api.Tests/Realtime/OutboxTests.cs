using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Fhir.Storage;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>The change outbox: written with the change or not at all, one row per patient, cursor in commit order.</summary>
public class OutboxTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Every_committed_change_leaves_an_outbox_row_and_a_rolled_back_one_none(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        var store = api.Services.GetRequiredService<IOutboxStore>();
        var before = (await store.ChangeBoundsAsync()).Latest;

        var created = await (await system.PostAsync("/fhir/Goal", Goal("ignored", "Nieuw doel"))).ReadAs<Goal>();
        await PutAsync(system, Goal(created.Id, "Bijgewerkt"));
        (await system.DeleteAsync($"/fhir/Goal/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await PutAsync(system, new Practitioner { Id = "rt-directory" });

        // A transaction that fails on its second entry stores nothing, so its first entry leaves no event either.
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new Bundle.EntryComponent { Resource = Goal("rt-rolled-back", "Teruggedraaid"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "Goal/rt-rolled-back" } },
                new Bundle.EntryComponent { Resource = Goal("rt-goal", "Verkeerde versie"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "Goal/rt-goal", IfMatch = "W/\"99\"" } },
            ],
        };
        (await system.PostAsync("/fhir", bundle)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var changes = await store.ReadChangesAsync(before, 100);
        changes.Select(c => (c.Type, c.Id, c.Version, c.Change, c.PatientId, c.Section)).ShouldBe(
        [
            ("Goal", created.Id, 1, "create", Child, "doelen"),
            ("Goal", created.Id, 2, "update", Child, "doelen"),
            ("Goal", created.Id, 3, "delete", Child, "doelen"),
            ("Practitioner", "rt-directory", 1, "create", null, null),
        ]);
        changes.ShouldAllBe(c => c.Who == "pgo-test-system");
        changes.Select(c => c.Summary).ShouldBe(["Goal toegevoegd", "Goal gewijzigd", "Goal verwijderd", "Practitioner toegevoegd"]);
        changes.Select(c => c.Cursor).ShouldBeInOrder(SortDirection.Ascending);
        changes.Select(c => c.Cursor).Distinct().Count().ShouldBe(4);

        // Retention removes old rows but keeps the newest, so the cursor never restarts.
        await store.PruneChangesAsync(DateTimeOffset.UtcNow.AddDays(1));
        var bounds = await store.ChangeBoundsAsync();
        (bounds.Oldest, bounds.Latest).ShouldBe((changes[^1].Cursor, changes[^1].Cursor));
    }
}
