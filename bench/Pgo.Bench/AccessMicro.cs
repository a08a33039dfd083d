using System.Diagnostics;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Storage;

namespace Pgo.Bench;

/// <summary>
/// The cost of consent enforcement and of audit logging per request, in-process (no HTTP, no wrk), so that
/// a busy shared machine disturbs the comparison less: the three configurations run interleaved, round after round,
/// single-threaded, and the median per configuration is reported.
///   off            UnrestrictedAccessPolicy, audit off (the benchmark-only configuration)
///   policy, no cache  ConsentAccessPolicy with its facts looked up per request (CacheFacts off: before issue 22), audit off
///   policy         ConsentAccessPolicy for a supporter with 12 families, audit off
///   policy+audit   ConsentAccessPolicy and the audit log (queued, written in batches by the background loop)
/// On SQLite by default; PGO_MICRO_POSTGRES (a server connection string) runs it on PostgreSQL in a schema of its own,
/// dropped afterwards. PGO_MICRO_EXPLAIN=1 prints the plans of the supporter's read and searches (EXPLAIN ANALYZE on
/// PostgreSQL, EXPLAIN QUERY PLAN on SQLite) with the consent predicate as the policy compiled it, and each statement's
/// time with a new command per run against one prepared command. PGO_MICRO_ONLY=name[,name] keeps only those
/// configurations beside "off" (e.g. to attach dotnet-trace to one: the process id is printed once the data is seeded).
/// </summary>
public static class AccessMicro
{
    private const int Caseload = 12;

    public static async Task<int> RunAsync(int operations)
    {
        var dir = Directory.CreateTempSubdirectory("pgo-access-micro-").FullName;
        var server = Environment.GetEnvironmentVariable("PGO_MICRO_POSTGRES");
        var schema = $"micro_{Guid.NewGuid():N}";
        try
        {
            string connection;
            if (server is { Length: > 0 })
            {
                await using (var admin = new Npgsql.NpgsqlConnection(server))
                {
                    await admin.OpenAsync();
                    await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
                    await create.ExecuteNonQueryAsync();
                }
                connection = new Npgsql.NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ToString();
            }
            else connection = "Data Source=" + Path.Combine(dir, "fhir.db");
            var provider = server is { Length: > 0 } ? "PostgreSQL" : "SQLite";
            await using var store = FhirStore.Open(connection);
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
            // PGO_MICRO_ONLY=name[,name]: only those configurations beside "off" (to profile one, or skip the slow one).
            if (Environment.GetEnvironmentVariable("PGO_MICRO_ONLY") is { Length: > 0 } only)
                configurations = [.. configurations.Where(c => c.Name == "off" || only.Split(',').Contains(c.Name))];
            Console.Error.WriteLine($"seeded; measuring (process {Environment.ProcessId})");
            if (Environment.GetEnvironmentVariable("PGO_MICRO_EXPLAIN") == "1")
                await ExplainAsync(store, connection, await consent.CompileAsync(supporter.Caller, CancellationToken.None));
            var results = configurations.ToDictionary(c => c.Name, _ => (Reads: new List<double>(), Searches: new List<double>(), Strings: new List<double>(), Compile: new List<double>()));
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
                    for (var i = 0; i < operations / 4; i++)
                        await repo.SearchAsync(ctx, "Patient", [new("family", $"Bench{rng.Next(Caseload)}")]);
                    var strings = watch.Elapsed.TotalMicroseconds / (operations / 4);
                    watch.Restart();
                    for (var i = 0; i < operations; i++) await repo.Access.CompileAsync(ctx.Caller, CancellationToken.None);
                    var compile = watch.Elapsed.TotalMicroseconds / operations;
                    if (round == 0) continue; // warm-up
                    results[name].Reads.Add(read);
                    results[name].Searches.Add(search);
                    results[name].Strings.Add(strings);
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
            var offString = Median(results["off"].Strings);
            Console.WriteLine($"In-process, {provider}, single-threaded, {operations} reads, {operations / 4} subject searches (_count=20) and {operations / 4} family searches per round, median of {rounds} interleaved rounds.");
            double CompileOf(string name) => results.TryGetValue(name, out var r) ? Median(r.Compile) : double.NaN;
            Console.WriteLine($"Compiling a supporter's grants (12 families): {CompileOf("policy, no cache"):N0} µs with the lookup per request, {CompileOf("policy"):N0} µs from the cached facts (the access stamp read included). Audit log after the run: {verified}");
            Console.WriteLine($"Writing queued audit records in batches: {writing:N0} µs per record (off the request path; the requests that queued them took {enqueueing:N0} µs each).");
            Console.WriteLine();
            Console.WriteLine("| configuration | read µs | read overhead | search µs | search overhead | family search µs | overhead |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, _, _) in configurations)
            {
                var r = Median(results[name].Reads);
                var s = Median(results[name].Searches);
                var f = Median(results[name].Strings);
                Console.WriteLine($"| {name} | {r:N0} | {(r / offRead - 1) * 100:+0;-0;0} % | {s:N0} | {(s / offSearch - 1) * 100:+0;-0;0} % | {f:N0} | {(f / offString - 1) * 100:+0;-0;0} % |");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (server is { Length: > 0 })
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await using var admin = new Npgsql.NpgsqlConnection(server);
                await admin.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
                await drop.ExecuteNonQueryAsync();
            }
            if (Environment.GetEnvironmentVariable("PGO_MICRO_KEEP") != "1") Directory.Delete(dir, recursive: true);
            else Console.WriteLine($"kept {dir}");
        }
    }

    /// <summary>The plans of the supporter's read and searches, with the consent predicate the policy compiled.</summary>
    private static async System.Threading.Tasks.Task ExplainAsync(IFhirStore store, string connection, AccessScope scope)
    {
        var postgres = store.Dialect.IsPostgres;
        if (postgres)
        {
            // The planner's statistics, as after a load in bench/run.sh.
            await using var analyze = new Npgsql.NpgsqlConnection(connection);
            await analyze.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("ANALYZE", analyze);
            await cmd.ExecuteNonQueryAsync();
        }
        var readBag = new SqlParameterBag();
        var read = new SqlQuery($"SELECT r.res_type, r.res_id, r.version, r.last_updated, r.deleted, r.json FROM resource r WHERE r.res_type = {readBag.Add("Observation")} AND r.res_id = {readBag.Add("bench-p3-4")} AND {scope.Predicate("r", readBag)}", readBag.Values);
        var statements = new List<(string Name, SqlQuery Sql)> { ("read Observation/bench-p3-4", read) };
        foreach (var (type, query) in new[] { ("Observation", "subject=Patient/bench-p3&_count=20"), ("Patient", "family=Bench3") })
        {
            var request = Pgo.Fhir.Search.Query.SearchParser.Default.ParseQueryString(type, query);
            statements.Add(($"{type}?{query} page", Pgo.Fhir.Search.Query.SearchSqlBuilder.BuildPage(request, store.Dialect, scope)));
            statements.Add(($"{type}?{query} count", Pgo.Fhir.Search.Query.SearchSqlBuilder.BuildCount(request, store.Dialect, scope)));
        }
        await using var conn = postgres
            ? (System.Data.Common.DbConnection)new Npgsql.NpgsqlConnection(connection)
            : new Microsoft.Data.Sqlite.SqliteConnection(connection);
        await conn.OpenAsync();
        foreach (var (name, sql) in statements)
        {
            Console.WriteLine($"### {name} (supporter, {store.Dialect.Name})");
            Console.WriteLine(Plans.Inline(sql));
            foreach (var line in await Plans.ExplainAsync(conn, sql, postgres)) Console.WriteLine("    " + line);
            // What preparing once could save: the same statement on one open connection, a new command each time (as
            // the store runs it) against one command prepared once and run again (parameters re-bound).
            const int runs = 300;
            await RunAsync(conn, sql, null);
            var fresh = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++) await RunAsync(conn, sql, null);
            var freshUs = fresh.Elapsed.TotalMicroseconds / runs;
            await using var prepared = Command(conn, sql);
            await prepared.PrepareAsync();
            await RunAsync(conn, sql, prepared);
            var reused = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++) await RunAsync(conn, sql, prepared);
            var reusedUs = reused.Elapsed.TotalMicroseconds / runs;
            Console.WriteLine($"    time on one connection, {runs} runs: {freshUs:N0} µs with a new command each time, {reusedUs:N0} µs with one prepared command");
            Console.WriteLine();
        }

        static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection conn, SqlQuery q)
        {
            var cmd = conn.CreateCommand();
            cmd.CommandText = q.Sql;
            foreach (var (name, value) in q.Parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                cmd.Parameters.Add(p);
            }
            return cmd;
        }

        static async System.Threading.Tasks.Task RunAsync(System.Data.Common.DbConnection conn, SqlQuery q, System.Data.Common.DbCommand? prepared)
        {
            var cmd = prepared ?? Command(conn, q);
            try
            {
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) _ = reader.GetValue(0);
            }
            finally
            {
                if (prepared is null) await cmd.DisposeAsync();
            }
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
            Put(new Patient { Id = $"bench-p{p}", BirthDate = "2012-05-01", Name = [new HumanName { Family = $"Bench{p}" }] });
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
