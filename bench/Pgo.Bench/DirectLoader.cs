using System.Diagnostics;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Storage;

/// <summary>Bulk loading through FhirRepository as the platform's own system caller (benchmarks only).</summary>
internal static class DirectLoader
{
    public static async Task<int> RunAsync(string connectionString, int patients, int perPatient, int first, Func<int, int, IEnumerable<Resource>> resourcesOf)
    {
        await using var store = FhirStore.Open(connectionString);
        await store.MigrateAsync();
        // Synthetic benchmark data, loaded by the platform itself: not audited (the audit log records people's access).
        var audit = new Pgo.Fhir.Audit.AuditLog(store, new Pgo.Fhir.Audit.AuditOptions { Enabled = false });
        var repo = new FhirRepository(store, new SearchIndexer(), new UnrestrictedAccessPolicy(), [], new FhirRepositoryOptions { MaxBundleEntries = 5000 }, TimeProvider.System, audit);
        var ctx = new FhirContext(CallerContext.System("benchmark-load"), "urn:pgo:bench");
        var stopwatch = Stopwatch.StartNew();
        long loaded = 0;
        // SQLite has one writer; PostgreSQL takes two writers (this machine has two cores).
        var parallel = store.Dialect.IsPostgres ? 2 : 1;
        var chunks = Enumerable.Range(first, patients).Chunk(Math.Max(1, 1000 / perPatient));
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (chunk, ct) =>
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var p in chunk)
                foreach (var r in resourcesOf(p, perPatient))
                    bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
            await repo.ProcessBundleAsync(ctx, bundle, ct);
            var n = Interlocked.Add(ref loaded, bundle.Entry.Count);
            if (n % 100_000 < bundle.Entry.Count) Console.Error.WriteLine($"  {n:N0} resources, {n / stopwatch.Elapsed.TotalSeconds:N0}/s");
        });
        Console.WriteLine($"loaded {loaded} resources directly in {stopwatch.Elapsed.TotalSeconds:N1} s ({loaded / stopwatch.Elapsed.TotalSeconds:N0}/s)");
        return 0;
    }
}
