using System.Diagnostics;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Storage;

namespace Pgo.Bench;

/// <summary>
/// The cost of consent enforcement and of audit logging per request, in-process on SQLite (no HTTP, no wrk), so that
/// a busy shared machine disturbs the comparison less: the three configurations run interleaved, round after round,
/// single-threaded, and the median per configuration is reported.
///   off            UnrestrictedAccessPolicy, audit off (the benchmark-only configuration)
///   policy, no cache  ConsentAccessPolicy with its facts looked up per request (CacheFacts off: before issue 22), audit off
///   policy         ConsentAccessPolicy for a supporter with 12 families, audit off
///   policy+audit   ConsentAccessPolicy and the audit log (queued, written in batches by the background loop)
/// </summary>
public static class AccessMicro
{
    private const int Caseload = 12;

    public static async Task<int> RunAsync(int operations)
    {
        var dir = Directory.CreateTempSubdirectory("pgo-access-micro-").FullName;
        try
        {
            await using var store = FhirStore.Sqlite(Path.Combine(dir, "fhir.db"));
            await store.MigrateAsync();
            var indexer = new SearchIndexer();
            var clock = TimeProvider.System;
            var consent = new ConsentAccessPolicy(store, indexer, clock);
            var options = new FhirRepositoryOptions { MaxBundleEntries = 100_000 };
            FhirRepository Repo(IAccessPolicy policy, bool audit) => new(store, indexer, policy, [], options, clock, new AuditLog(store, new AuditOptions { Enabled = audit }));
            var seeding = Repo(new UnrestrictedAccessPolicy(), false);
            await SeedAsync(seeding);

            var system = new FhirContext(CallerContext.System("bench"), "urn:bench");
            var supporter = new FhirContext(new CallerContext("bench-supporter", "Person/bench-supporter", ["user/*.rs"], false, "pgo-bench"), "urn:bench");
            var audited = Repo(consent, true);
            using var stop = new CancellationTokenSource();
            var writer = audited.Audit.RunAsync(stop.Token);
            var configurations = new (string Name, FhirRepository Repo, FhirContext Ctx)[]
            {
                ("off", Repo(new UnrestrictedAccessPolicy(), false), system),
                ("policy, no cache", Repo(new ConsentAccessPolicy(store, indexer, clock) { CacheFacts = false }, false), supporter),
                ("policy", Repo(consent, false), supporter),
                ("policy+audit", audited, supporter),
            };
            var results = configurations.ToDictionary(c => c.Name, _ => (Reads: new List<double>(), Searches: new List<double>(), Compile: new List<double>()));
            var rng = new Random(42);
            const int rounds = 7;
            for (var round = 0; round < rounds + 1; round++)
            {
                foreach (var (name, repo, ctx) in configurations)
                {
                    var watch = Stopwatch.StartNew();
                    for (var i = 0; i < operations; i++)
                    {
                        var p = rng.Next(Caseload);
                        await repo.ReadAsync(ctx, "Observation", $"bench-p{p}-{1 + rng.Next(7)}");
                    }
                    var read = watch.Elapsed.TotalMicroseconds / operations;
                    watch.Restart();
                    for (var i = 0; i < operations / 4; i++)
                    {
                        var p = rng.Next(Caseload);
                        await repo.SearchAsync(ctx, "Observation", [new("subject", $"Patient/bench-p{p}"), new("_count", "20")]);
                    }
                    var search = watch.Elapsed.TotalMicroseconds / (operations / 4);
                    watch.Restart();
                    for (var i = 0; i < operations; i++) await repo.Access.CompileAsync(ctx.Caller, CancellationToken.None);
                    var compile = watch.Elapsed.TotalMicroseconds / operations;
                    if (round == 0) continue; // warm-up
                    results[name].Reads.Add(read);
                    results[name].Searches.Add(search);
                    results[name].Compile.Add(compile);
                }
            }
            await audited.Audit.FlushAsync();
            await stop.CancelAsync();
            await writer;
            // What the background writer spends per record (its CPU competes with requests on a small machine).
            var queued = Stopwatch.StartNew();
            for (var i = 0; i < operations; i++) await audited.ReadAsync(supporter, "Observation", $"bench-p{rng.Next(Caseload)}-{1 + rng.Next(7)}");
            var enqueueing = queued.Elapsed.TotalMicroseconds / operations;
            var flush = Stopwatch.StartNew();
            await audited.Audit.FlushAsync();
            var writing = flush.Elapsed.TotalMicroseconds / operations;
            var verified = await store.VerifyAuditAsync();

            static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
            var offRead = Median(results["off"].Reads);
            var offSearch = Median(results["off"].Searches);
            Console.WriteLine($"In-process, SQLite, single-threaded, {operations} reads and {operations / 4} searches per round, median of {rounds} interleaved rounds.");
            Console.WriteLine($"Compiling a supporter's grants (12 families): {Median(results["policy, no cache"].Compile):N0} µs with the lookup per request, {Median(results["policy"].Compile):N0} µs from the cached facts (the access stamp read included). Audit log after the run: {verified}");
            Console.WriteLine($"Writing queued audit records in batches: {writing:N0} µs per record (off the request path; the requests that queued them took {enqueueing:N0} µs each).");
            Console.WriteLine();
            Console.WriteLine("| configuration | read µs | read overhead | search µs | search overhead |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, _, _) in configurations)
            {
                var r = Median(results[name].Reads);
                var s = Median(results[name].Searches);
                Console.WriteLine($"| {name} | {r:N0} | {(r / offRead - 1) * 100:+0;-0;0} % | {s:N0} | {(s / offSearch - 1) * 100:+0;-0;0} % |");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Environment.GetEnvironmentVariable("PGO_MICRO_KEEP") != "1") Directory.Delete(dir, recursive: true);
            else Console.WriteLine($"kept {dir}");
        }
    }

    private static async System.Threading.Tasks.Task SeedAsync(FhirRepository repo)
    {
        var ctx = new FhirContext(CallerContext.System("bench"), "urn:bench");
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        void Put(Resource r) => bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        Put(new Practitioner { Id = "bench-supporter" });
        Put(new Person { Id = "bench-supporter", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/bench-supporter") }] });
        for (var p = 0; p < 100; p++)
        {
            Put(new Patient { Id = $"bench-p{p}", BirthDate = "2012-05-01" });
            for (var k = 1; k < 50; k++)
                Put(new Observation
                {
                    Id = $"bench-p{p}-{k}",
                    Status = ObservationStatus.Final,
                    Code = new CodeableConcept("http://loinc.org", "8867-4"),
                    Subject = new ResourceReference($"Patient/bench-p{p}"),
                    Value = new Quantity(60 + k, "/min"),
                });
            if (p < Caseload)
            {
                var grant = Pgo.Fhir.Access.Grants.Grant($"bench-grant-{p}", $"bench-p{p}", "Practitioner/bench-supporter", PgoCodes.GrantRole.Ondersteuner,
                    [PgoCodes.Section.Profiel, PgoCodes.Section.Medisch, PgoCodes.Section.Doelen, PgoCodes.Section.Afspraken]);
                Put(grant);
            }
        }
        await repo.ProcessBundleAsync(ctx, bundle);
    }
}
