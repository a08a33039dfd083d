using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Pgo.Bench;

// Loads a synthetic data set for the benchmarks (transaction Bundles of PUTs with deterministic ids,
// so the wrk scripts can address any resource). Per patient: 1 Patient + Observations (most), Goals and
// Tasks, each referring to the patient.
//   dotnet Pgo.Bench.dll load <fhirBase> <patients> <resourcesPerPatient> [firstPatient]
//       through the public FHIR API of a running Api
//   dotnet Pgo.Bench.dll load-direct <connectionString> <patients> <resourcesPerPatient> [firstPatient]
//       straight through the repository (same indexer, same SQL, no HTTP), in transactions of
//       1,000 resources: how the large data sets are grown without waiting for HTTP round trips
//   dotnet Pgo.Bench.dll import <fhirBase> <patients> <resourcesPerPatient> [firstPatient]
//       the same resources as NDJSON through POST /fhir/$import (docs/adr/0015-bulk-import.md), ~10,000 per request,
//       two requests in flight: the bulk path, and how the large data sets are grown
//   dotnet Pgo.Bench.dll grants <fhirBase> <caseload>      a supporter (Person/bench-supporter) with a grant on patients 0..caseload-1
//   dotnet Pgo.Bench.dll token <private-key.pem> <fhirUser|-> <scopes>   prints an access token shaped like Identity's
//   dotnet Pgo.Bench.dll access-micro [operations]          consent policy + audit cost in-process (a Markdown table)
//   dotnet Pgo.Bench.dll plans <connection> [patients] [runs] [Type?query ...]   the benchmark searches' SQL, plan and time (see Plans)
// Per patient: 1 Patient + Observations (most), Goals and Tasks, each referring to the patient.
// PGO_BENCH_TOKEN: the bearer token the loader sends (a system client's).
if (args.Length == 4 && args[0] == "token")
{
    Console.Write(Pgo.Bench.Tokens.Create(File.ReadAllText(args[1]), args[2] == "-" ? null : args[2], args[3]));
    return 0;
}
if (args.Length >= 1 && args[0] == "access-micro")
{
    return await Pgo.Bench.AccessMicro.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000);
}
if (args.Length == 3 && args[0] == "grants")
{
    return await Pgo.Bench.Grants.LoadAsync(args[1].TrimEnd('/'), int.Parse(args[2], CultureInfo.InvariantCulture));
}
if (args.Length >= 2 && args[0] == "plans") return await Plans.RunAsync(args);
if (args.Length >= 4 && args[0] == "load-direct")
    return await DirectLoader.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0, ResourcesOf);
if (args.Length >= 4 && args[0] == "import")
    return await ImportAsync(args[1].TrimEnd('/'), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0);
if (args.Length < 4 || args[0] != "load")
{
    Console.Error.WriteLine("usage: load <fhirBase> | load-direct <connectionString>  <patients> <resourcesPerPatient> [firstPatient] | grants <fhirBase> <caseload> | token <key.pem> <fhirUser|-> <scopes> | plans <connection> [patients] [runs] [Type?query ...]");
    return 2;
}
var baseUrl = args[1].TrimEnd('/');
var patients = int.Parse(args[2], CultureInfo.InvariantCulture);
var perPatient = int.Parse(args[3], CultureInfo.InvariantCulture);
var first = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var serializer = new FhirJsonSerializer();
using var http = Pgo.Bench.Tokens.Client();
var stopwatch = Stopwatch.StartNew();
long loaded = 0;

// Bundles of ~100 entries, four in flight: the loader should not be what limits the server.
var batches = Enumerable.Range(first, patients).Chunk(Math.Max(1, 100 / perPatient));
await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
{
    var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
    foreach (var p in chunk) foreach (var r in ResourcesOf(p, perPatient)) bundle.Entry.Add(Put(r));
    using var content = new StringContent(serializer.SerializeToString(bundle), Encoding.UTF8, "application/fhir+json");
    using var response = await http.PostAsync(baseUrl, content, ct);
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    var n = Interlocked.Add(ref loaded, bundle.Entry.Count);
    if (n % 50_000 < bundle.Entry.Count) Console.Error.WriteLine($"  {n:N0} resources, {n / stopwatch.Elapsed.TotalSeconds:N0}/s");
});
Console.WriteLine($"loaded {loaded} resources in {stopwatch.Elapsed.TotalSeconds:N1} s ({loaded / stopwatch.Elapsed.TotalSeconds:N0}/s)");
return 0;

static async Task<int> ImportAsync(string baseUrl, int patients, int perPatient, int first)
{
    var serializer = new FhirJsonSerializer();
    using var http = Pgo.Bench.Tokens.Client();
    var batches = Enumerable.Range(first, patients).Chunk(Math.Max(1, 10_000 / perPatient)).ToList();
    string Body(int[] chunk)
    {
        var body = new StringBuilder();
        foreach (var p in chunk)
            foreach (var r in ResourcesOf(p, perPatient)) body.Append(serializer.SerializeToString(r)).Append('\n');
        return body.ToString();
    }
    // Up to 200,000 resources the NDJSON is made before the clock starts, so that the figure is the server's alone (the
    // loader shares the machine's cores); larger loads (the growth to 1M) make each request's body when it is sent.
    var ready = (long)patients * perPatient <= 200_000 ? batches.Select(Body).ToList() : null;
    var stopwatch = Stopwatch.StartNew();
    long imported = 0;
    // Requests in flight (PGO_IMPORT_IN_FLIGHT, default 2): one request's parse can overlap another's database phase.
    var inFlight = int.TryParse(Environment.GetEnvironmentVariable("PGO_IMPORT_IN_FLIGHT"), out var f) && f > 0 ? f : 2;
    await Parallel.ForEachAsync(Enumerable.Range(0, batches.Count), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (b, ct) =>
    {
        var n = batches[b].Length * perPatient;
        using var content = new StringContent(ready?[b] ?? Body(batches[b]), Encoding.UTF8, "application/fhir+ndjson");
        using var response = await http.PostAsync(baseUrl + "/$import", content, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        var total = Interlocked.Add(ref imported, n);
        if (total % 100_000 < n) Console.Error.WriteLine($"  {total:N0} resources, {total / stopwatch.Elapsed.TotalSeconds:N0}/s");
    });
    Console.WriteLine($"imported {imported} resources in {stopwatch.Elapsed.TotalSeconds:N1} s ({imported / stopwatch.Elapsed.TotalSeconds:N0}/s) through $import");
    return 0;
}

static Bundle.EntryComponent Put(Resource r) => new()
{
    Resource = r,
    Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" },
};

static IEnumerable<Resource> ResourcesOf(int p, int count)
{
    var patient = $"Patient/bench-p{p}";
    yield return new Patient
    {
        Id = $"bench-p{p}",
        Name = [new HumanName { Family = BenchData.Family(p), Given = ["Kind" + p] }],
        Gender = p % 2 == 0 ? AdministrativeGender.Female : AdministrativeGender.Male,
        BirthDate = $"{2000 + p % 20}-{1 + p % 12:00}-{1 + p % 28:00}",
        Identifier = [new Identifier("urn:pgo:bench", $"p{p}")],
    };
    for (var k = 1; k < count; k++)
    {
        var id = $"bench-p{p}-{k}";
        var day = BenchData.Day(p, k);
        yield return (k % 10) switch
        {
            8 => new Goal
            {
                Id = id,
                LifecycleStatus = Goal.GoalLifecycleStatus.Active,
                Description = new CodeableConcept { Text = $"Doel {k} van gezin {p}" },
                Subject = new ResourceReference(patient),
                Target = [new Goal.TargetComponent { Due = new Date(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) }],
            },
            9 => new Hl7.Fhir.Model.Task
            {
                Id = id,
                Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
                Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
                Description = $"Afspraak {k}: aanvraag indienen",
                For = new ResourceReference(patient),
                AuthoredOn = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            _ => new Observation
            {
                Id = id,
                Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://loinc.org", k % 2 == 0 ? "8867-4" : "29463-7"),
                Subject = new ResourceReference(patient),
                Effective = new FhirDateTime(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                Value = new Quantity(40 + (p + k) % 80, k % 2 == 0 ? "/min" : "kg"),
            },
        };
    }
}
