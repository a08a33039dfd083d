using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;
using Pgo.Fhir.Tests.Access;

namespace Pgo.Fhir.Tests.Storage;

/// <summary>
/// Issue 14: conditional writes are atomic on both providers (N concurrent writers with the same criteria make one
/// resource), one write's cost is bounded, and the store says what an acknowledged commit survives.
/// </summary>
public class IntegrityTests
{
    private const int Writers = 12;
    private static readonly FhirContext Platform = PolicyRig.System;

    private static Patient NewPatient(string identifier) => new()
    {
        Identifier = [new Identifier("urn:test:concurrency", identifier)],
        Name = [new HumanName { Family = "Gelijktijdig" }],
    };

    private static async Task<long> CountAsync(PolicyRig rig, string identifier)
    {
        var response = await rig.Repository.SearchAsync(Platform, "Patient",
            [new("identifier", $"urn:test:concurrency|{identifier}"), new("_summary", "count")], TestContext.Current.CancellationToken);
        return ((Bundle)Serialization.FhirJson.Parse(response.Json!)).Total ?? -1;
    }

    /// <summary>Starts every writer at once (behind one gate), so that they really race.</summary>
    private static async Task<FhirResponse[]> RaceAsync(Func<int, Task<FhirResponse>> write)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, Writers).Select(async i => { await gate.Task; return await write(i); }).ToList();
        gate.SetResult();
        return await System.Threading.Tasks.Task.WhenAll(tasks);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task Concurrent_conditional_creates_with_the_same_criteria_make_one_resource(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(DateTimeOffset.UtcNow));
        var ct = TestContext.Current.CancellationToken;

        var responses = await RaceAsync(_ => rig.Repository.CreateAsync(Platform, "Patient", NewPatient("create-1"), "identifier=urn:test:concurrency|create-1", ct));

        (await CountAsync(rig, "create-1")).ShouldBe(1);
        responses.Count(r => r.Status == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(Writers - 1);
        responses.Select(r => r.Stored!.Id).Distinct().Count().ShouldBe(1);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task Concurrent_conditional_updates_with_no_match_make_one_resource(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(DateTimeOffset.UtcNow));
        var ct = TestContext.Current.CancellationToken;

        var responses = await RaceAsync(_ => rig.Repository.ConditionalUpdateAsync(Platform, "Patient", "identifier=urn:test:concurrency|update-1", NewPatient("update-1"), ct));

        (await CountAsync(rig, "update-1")).ShouldBe(1);
        responses.Count(r => r.Status == HttpStatusCode.Created).ShouldBe(1);
        responses.Select(r => r.Stored!.Id).Distinct().Count().ShouldBe(1);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task Concurrent_transactions_with_the_same_ifNoneExist_make_one_resource(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(DateTimeOffset.UtcNow));
        var ct = TestContext.Current.CancellationToken;

        await RaceAsync(_ =>
        {
            var bundle = new Bundle
            {
                Type = Bundle.BundleType.Transaction,
                Entry =
                [
                    new Bundle.EntryComponent
                    {
                        FullUrl = "urn:uuid:" + Guid.NewGuid(),
                        Resource = NewPatient("bundle-1"),
                        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = "identifier=urn:test:concurrency|bundle-1" },
                    },
                ],
            };
            return rig.Repository.ProcessBundleAsync(Platform, bundle, ct);
        });

        (await CountAsync(rig, "bundle-1")).ShouldBe(1);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task A_resource_with_too_many_search_values_is_refused_with_422_and_nothing_stored(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = new PolicyRig(db, new TestClock(DateTimeOffset.UtcNow));
        var ct = TestContext.Current.CancellationToken;
        var huge = NewPatient("huge-1");
        huge.Identifier.AddRange(Enumerable.Range(0, new FhirRepositoryOptions().MaxIndexRowsPerResource).Select(i => new Identifier("urn:test:many", $"id-{i}")));

        var refused = await Should.ThrowAsync<FhirException>(() => rig.Repository.CreateAsync(Platform, "Patient", huge, null, ct));

        refused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        refused.Message.ShouldContain("te groot");
        (await CountAsync(rig, "huge-1")).ShouldBe(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task Sqlite_is_durable_by_default_and_says_so()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pgo-durability-{Guid.NewGuid():N}.db");
        try
        {
            await using (var store = SqlFhirStore.Sqlite(path))
            {
                store.Durability.ShouldBe(StoreDurability.Full);
                (await store.DescribeDurabilityAsync(TestContext.Current.CancellationToken)).ShouldBe("sqlite; synchronous=FULL");
            }
            await using (var fast = SqlFhirStore.Sqlite(path, StoreDurability.Normal))
                (await fast.DescribeDurabilityAsync(TestContext.Current.CancellationToken)).ShouldBe("sqlite; synchronous=NORMAL");
        }
        finally
        {
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
    }
}
