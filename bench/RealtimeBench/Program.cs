using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Pgo.Fhir.Serialization;

// Real-time benchmark: N SignalR clients over D dossiers (each dossier's regiehouder has N/D connections), one writer
// commits C changes at a steady rate through the first Api; every client measures commit-to-receipt latency from the
// change's lastUpdated stamp (taken inside the write transaction) to arrival. Appends one table row to OUT.
//   RealtimeBench LABEL URL[,URL...] KEY.pem OUT [clients=1000] [dossiers=100] [changes=500] [rate=50] [maxBundleEntries=1000]
// The writer is open-loop: change k is sent at k/rate seconds whether or not the ones before it were answered (at
// 1,000 changes/s one writer waiting for each answer would measure the write path's latency, not the rate asked for),
// through the instances in turn.
// Never a test: bench/realtime.sh runs it and writes docs/benchmarks-realtime.md.
// 1,000 connections' callbacks on a loaded 2-core machine: without a floor the thread pool adds threads slowly and the
// client's own queueing would show up as latency.
ThreadPool.SetMinThreads(400, 400);
var label = args[0];
var urls = args[1].Split(',').Select(u => new Uri(u)).ToArray();
var keyPem = File.ReadAllText(args[2]);
var output = args[3];
var clients = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1000;
var dossiers = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100;
var changes = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 500;
var rate = args.Length > 7 ? double.Parse(args[7], CultureInfo.InvariantCulture) : 50;
// The server's Fhir:MaxBundleEntries (bench/realtime.sh passes the same number to the Api and here).
var maxBundleEntries = args.Length > 8 ? int.Parse(args[8], CultureInfo.InvariantCulture) : 1000;

var systemToken = Pgo.Bench.Tokens.Create(keyPem, null, "system/*.cruds");
var writers = urls.Select(u =>
{
    // At most 256 connections per instance (the Api's database pool is 90): an open-loop writer far above what the
    // Api answers would otherwise open a socket per waiting request until the process runs out of descriptors.
    var c = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(u, "/fhir/"), Timeout = TimeSpan.FromMinutes(5) };
    c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", systemToken);
    return c;
}).ToArray();
var system = writers[0];

// ------------------------------------------------------------------ seed
// A dossier is five entries (Patient, RelatedPerson, Person, the regie Consent, a Goal); they go in transactions of whole
// dossiers that stay within the server's MaxBundleEntries, whatever the number of dossiers (one transaction of all of
// them was a 400 from 200 dossiers on: 1,000+ entries).
const int entriesPerDossier = 5;
var dossiersPerBundle = Math.Max(1, maxBundleEntries / entriesPerDossier);
Console.WriteLine($"[{label}] seeding {dossiers} dossiers ({dossiersPerBundle} per transaction)");
for (var first = 0; first < dossiers; first += dossiersPerBundle)
{
    var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
    void Put(Resource r) => bundle.Entry.Add(new Bundle.EntryComponent
    {
        Resource = r,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" },
    });
    for (var d = first; d < Math.Min(dossiers, first + dossiersPerBundle); d++)
    {
        Put(new Patient { Id = $"rtb-{d}", Name = [new HumanName { Family = $"Bench{d}" }] });
        Put(new RelatedPerson { Id = $"rtb-parent-{d}", Patient = new ResourceReference($"Patient/rtb-{d}") });
        Put(new Person { Id = $"rtb-parent-{d}", Link = [new Person.LinkComponent { Target = new ResourceReference($"RelatedPerson/rtb-parent-{d}") }] });
        Put(Pgo.Fhir.Access.Grants.Regie($"rtb-regie-{d}", $"rtb-{d}", [$"RelatedPerson/rtb-parent-{d}"]));
        Put(Goal(d, "start"));
    }
    if (bundle.Entry.Count > maxBundleEntries) throw new InvalidOperationException("a dossier's entries do not fit in one transaction");
    var seeded = await system.PostAsync("", Json(bundle));
    if (!seeded.IsSuccessStatusCode)
        throw new InvalidOperationException($"seeding dossiers {first}..: {(int)seeded.StatusCode} {await seeded.Content.ReadAsStringAsync()}");
}

// ------------------------------------------------------------------ clients
// Client i joins dossier i % dossiers: when clients is no multiple of dossiers the first dossiers have one more.
var perDossier = clients / dossiers;
int ConnectionsOf(int dossier) => perDossier + (dossier < clients % dossiers ? 1 : 0);
var received = new ConcurrentBag<(int Client, long Cursor, double LatencyMs)>();
var connections = new HubConnection[clients];
Console.WriteLine($"[{label}] connecting {clients} clients to {urls.Length} instance(s)");
var tokens = Enumerable.Range(0, dossiers).Select(d => Pgo.Bench.Tokens.Create(keyPem, $"Person/rtb-parent-{d}", "openid fhirUser user/*.rs")).ToArray();
var connectClock = Stopwatch.StartNew();
for (var start = 0; start < clients; start += 100)
{
    await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(start, Math.Min(100, clients - start)).Select(async i =>
    {
        var dossier = i % dossiers;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(urls[i % urls.Length], "/hubs/dossier"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => System.Threading.Tasks.Task.FromResult<string?>(tokens[dossier]);
            })
            .Build();
        connection.On<JsonElement>("change", body =>
        {
            var recorded = body.GetProperty("recorded").GetDateTimeOffset();
            received.Add((i, body.GetProperty("cursor").GetInt64(), (DateTimeOffset.UtcNow - recorded).TotalMilliseconds));
        });
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>("JoinDossier", $"rtb-{dossier}", null);
        connections[i] = connection;
    }));
}
Console.WriteLine($"[{label}] {clients} clients joined in {connectClock.Elapsed.TotalSeconds:0} s");

// ------------------------------------------------------------------ writer
// Warm-up (not measured): one change per dossier, so that first-call costs (JIT, connection pools) are paid before.
for (var d = 0; d < dossiers; d++)
{
    var goal = Goal(d, "opwarmen");
    (await system.PutAsync($"Goal/{goal.Id}", Json(goal))).EnsureSuccessStatusCode();
}
var warm = Stopwatch.StartNew();
while (received.Count < clients && warm.Elapsed < TimeSpan.FromSeconds(60)) await System.Threading.Tasks.Task.Delay(100);
var warmCursor = received.IsEmpty ? 0 : received.Max(r => r.Cursor);
long Measured() => received.Count(r => r.Cursor > warmCursor);

Console.WriteLine($"[{label}] writing {changes} changes at {rate}/s");
var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
var clock = Stopwatch.StartNew();
var writes = new List<System.Threading.Tasks.Task>(changes);
var writeLatencies = new ConcurrentBag<double>();
var failedWrites = 0;
for (var k = 0; k < changes; k++)
{
    var due = TimeSpan.FromSeconds(k / rate);
    if (clock.Elapsed < due) await System.Threading.Tasks.Task.Delay(due - clock.Elapsed);
    var goal = Goal(k % dossiers, $"wijziging {k}");
    var writer = writers[k % writers.Length];
    writes.Add(System.Threading.Tasks.Task.Run(async () =>
    {
        var sent = Stopwatch.GetTimestamp();
        using var answer = await writer.PutAsync($"Goal/{goal.Id}", Json(goal));
        writeLatencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        if (!answer.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failedWrites);
            Console.Error.WriteLine($"write {goal.Id}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
    }));
}
var sendSeconds = clock.Elapsed.TotalSeconds;
await System.Threading.Tasks.Task.WhenAll(writes);
var writeSeconds = clock.Elapsed.TotalSeconds;
var expected = Enumerable.Range(0, changes).Sum(k => (long)ConnectionsOf(k % dossiers));
var idle = Stopwatch.StartNew();
var lastCount = 0;
while (Measured() < expected && idle.Elapsed < TimeSpan.FromSeconds(30))
{
    await System.Threading.Tasks.Task.Delay(100);
    if (received.Count != lastCount) { lastCount = received.Count; idle.Restart(); }
}
var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];
foreach (var c in connections) await c.DisposeAsync();

// ------------------------------------------------------------------ result
var all = received.Where(r => r.Cursor > warmCursor).ToList();
var distinct = all.Select(r => (r.Client, r.Cursor)).Distinct().Count();
var latencies = all.Select(r => r.LatencyMs).Order().ToArray();
double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
var row = string.Create(CultureInfo.InvariantCulture,
    $"| {label} | {urls.Length} | {clients} | {dossiers} | {changes} at {rate}/s | {expected} | {distinct} | {all.Count - distinct} | {P(0.5):0.0} | {P(0.99):0.0} | {latencies.LastOrDefault():0.0} | {loadBefore} → {loadAfter} |");
Console.WriteLine(row);
var writeMs = writeLatencies.Order().ToArray();
double W(double q) => writeMs.Length == 0 ? double.NaN : writeMs[Math.Min(writeMs.Length - 1, (int)Math.Ceiling(q * writeMs.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"[{label}] writes: {changes} sent in {sendSeconds:0.0} s, all answered after {writeSeconds:0.0} s ({changes / writeSeconds:0} /s), PUT p50 {W(0.5):0.0} ms p99 {W(0.99):0.0} ms, failed {failedWrites}"));
await File.AppendAllTextAsync(output, row + "\n");
return distinct == expected && all.Count == distinct && failedWrites == 0 ? 0 : 1;

Goal Goal(int dossier, string text) => new()
{
    Id = $"rtb-goal-{dossier}",
    LifecycleStatus = Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active,
    Subject = new ResourceReference($"Patient/rtb-{dossier}"),
    Description = new CodeableConcept { Text = text },
};

static StringContent Json(Resource r) => new(FhirJson.Serialize(r), Encoding.UTF8, "application/fhir+json");
