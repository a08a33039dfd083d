using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Fhir.Storage;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Fhir;

/// <summary>
/// Issue 23: multi-entry transaction Bundles that update the same resources in different orders, many at once. Each
/// entry locks its row (FOR UPDATE on PostgreSQL) and appends to the audit chain; were the chain's advisory lock taken per
/// entry, after the first row lock, two Bundles in opposite orders would deadlock (40P01, a 500). The store takes it once,
/// at the start of the transaction, before any row lock (Fhir/Storage/SqlFhirStore.cs, WriteAsync; docs/adr/0002).
/// </summary>
public class ConcurrentTransactionTests
{
    [Theory]
    [MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Concurrent_transactions_over_overlapping_resources_in_different_orders_all_commit_and_the_audit_chain_verifies(string provider)
    {
        await using var factory = new ApiFactory(provider);
        var client = factory.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var created = await client.PostAsync("/fhir/Patient", Patient($"Gedeeld{i}"));
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            ids.Add((await created.ReadAs<Patient>()).Id);
        }

        const int writers = 8;
        const int rounds = 4;
        var statuses = new List<(HttpStatusCode Status, string Body)>();
        async Task Writer(int w)
        {
            for (var r = 0; r < rounds; r++)
            {
                // Every Bundle touches every patient; half of them in reverse order, the rest rotated.
                var order = (w % 2 == 0 ? ids.AsEnumerable().Reverse() : ids.Skip((w + r) % ids.Count).Concat(ids.Take((w + r) % ids.Count))).ToList();
                var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
                foreach (var id in order)
                    bundle.Entry.Add(new Bundle.EntryComponent
                    {
                        Resource = Patient($"Gedeeld-{w}-{r}", id: id),
                        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Patient/{id}" },
                    });
                using var response = await client.PostAsync("/fhir", bundle);
                var body = await response.Content.ReadAsStringAsync();
                lock (statuses) statuses.Add((response.StatusCode, body));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => Writer(w), TestContext.Current.CancellationToken)));

        statuses.Where(s => s.Status != HttpStatusCode.OK).Select(s => $"{(int)s.Status}: {s.Body}").ShouldBeEmpty();
        statuses.Count.ShouldBe(writers * rounds);
        // Every Bundle committed whole: each patient went through one version per Bundle.
        foreach (var id in ids)
            (await (await client.GetAsync($"/fhir/Patient/{id}")).ReadAs<Patient>()).Meta.VersionId.ShouldBe((1 + writers * rounds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var verification = await factory.Services.GetRequiredService<IAuditStore>().VerifyAuditAsync(TestContext.Current.CancellationToken);
        verification.Ok.ShouldBeTrue(verification.ToString());
    }
}
