using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Tests.Fhir.Fuzz;

/// <summary>
/// Hostile input through the real HTTP pipeline, on both providers: a few thousand requests mutated from the official
/// R4 examples (see <see cref="FhirFuzzer"/>). Every answer is below 500; every refusal is an OperationOutcome; a refused
/// write stores nothing (the server's history count does not move) and an accepted one reads back.
/// PGO_FUZZ_SEED (a number, or "random"), PGO_FUZZ_CASES and PGO_FUZZ_CASE (replay one case) make it longer or narrower;
/// a failure names the seed and the case to replay.
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 15_2026;
    private const int DefaultCases = 1_500;

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Mutated_official_examples_get_a_4xx_outcome_never_a_5xx_nor_a_half_stored_write(string provider)
    {
        if (provider == "postgres" && ApiFactory.PostgresConnectionString is null)
        {
            if (Environment.GetEnvironmentVariable("PGO_REQUIRE_POSTGRES") == "1") throw new InvalidOperationException("PGO_TEST_POSTGRES is not set.");
            Assert.Skip("PGO_TEST_POSTGRES not set: the PostgreSQL fuzz run is skipped (./pgo test starts PostgreSQL).");
        }
        var (seed, cases) = Settings();
        var files = ExampleFiles();
        await using var api = new ApiFactory(provider, maxBodyBytes: 4 * 1024 * 1024);
        var client = api.CreateClient();
        var fuzzer = new FhirFuzzer(files, seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        var total = await HistoryTotalAsync(client);
        foreach (var index in cases)
        {
            var c = fuzzer.Make(index);
            try
            {
                using var response = await SendAsync(client, c);
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync();
                var problem = await CheckAsync(client, c, response, body, total);
                if (problem is not null) failures.Add($"{problem}\n  {c.Describe()}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // the in-memory server rethrows what the app did not handle
                failures.Add($"exception {e.GetType().Name}: {e.Message}\n  {c.Describe()}\n{string.Join("\n", (e.StackTrace ?? "").Split('\n').Take(6))}");
            }
            total = await HistoryTotalAsync(client);
        }

        output.WriteLine($"{provider}: seed {seed}, {cases.Count} cases in {clock.Elapsed.TotalSeconds:F0} s; statuses "
            + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        if (failures.Count > 0)
        {
            var replay = $"PGO_FUZZ_SEED={seed} PGO_FUZZ_CASE=<#>";
            Assert.Fail($"{provider}, seed {seed}: {failures.Count} of {cases.Count} hostile requests failed (replay one: {replay}).\n\n"
                + string.Join("\n\n", failures.Take(25)));
        }
    }

    /// <summary>Null when the answer is acceptable; otherwise what is wrong with it.</summary>
    private static async Task<string?> CheckAsync(HttpClient client, FuzzCase c, HttpResponseMessage response, string body, long before)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return $"{status}: {Diagnostics(body)}";
        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/fhir+json") return $"{status} without an OperationOutcome ({response.Content.Headers.ContentType})";
            try { FhirJson.Parse<OperationOutcome>(body); }
            catch (Pgo.Fhir.FhirException) { return $"{status} with a body that is not an OperationOutcome: {Trim(body)}"; }
        }
        var after = await HistoryTotalAsync(client);
        if (status >= 400 || c.Write == FuzzWrite.None)
            return after == before ? null : $"{status} but the history grew from {before} to {after}";

        switch (c.Write)
        {
            case FuzzWrite.Resource when status is >= 200 and < 300:
                var location = response.Headers.Location?.ToString() ?? VersionedLocation(body);
                if (location is null) return $"{status} without a Location or a resource to read back";
                if (after <= before) return $"{status} but nothing new in the history ({before})";
                return await ReadBackAsync(client, location, response.Headers.ETag?.Tag);
            case FuzzWrite.Transaction or FuzzWrite.Batch when status is >= 200 and < 300:
                var bundle = FhirJson.Parse<Bundle>(body);
                foreach (var entry in bundle.Entry)
                {
                    var entryStatus = entry.Response?.Status ?? "";
                    if (entryStatus.StartsWith('5')) return $"entry answered {entryStatus}: {Trim(entry.Response?.Outcome is null ? "" : FhirJson.Serialize(entry.Response.Outcome))}";
                    if (entryStatus.StartsWith("20", StringComparison.Ordinal) && entry.Response?.Location is { } entryLocation && entryLocation.Contains("/_history/", StringComparison.Ordinal))
                    {
                        if (await ReadBackAsync(client, entryLocation, entry.Response.Etag) is { } problem) return problem;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The version a write answered reads back, with the same ETag.</summary>
    private static async Task<string?> ReadBackAsync(HttpClient client, string location, string? etag)
    {
        var match = LocationPattern().Match(location);
        if (!match.Success) return $"unexpected Location {location}";
        var (type, id, version) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        using var read = await client.GetAsync($"/fhir/{type}/{id}/_history/{version}");
        if ((int)read.StatusCode != 200) return $"written as {location} but that version reads {(int)read.StatusCode}";
        var back = FhirJson.Parse(await read.Content.ReadAsStringAsync());
        if (back.TypeName != type || back.Id != id || back.Meta?.VersionId != version) return $"written as {location} but reads back as {back.TypeName}/{back.Id}/_history/{back.Meta?.VersionId}";
        if (etag is not null && read.Headers.ETag?.Tag is { } readTag && etag.Trim('W', '/') != readTag) return $"written with ETag {etag} but reads back {readTag}";
        return null;
    }

    private static string? VersionedLocation(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return root.TryGetProperty("resourceType", out var t) && root.TryGetProperty("id", out var i) && root.TryGetProperty("meta", out var m) && m.TryGetProperty("versionId", out var v)
                ? $"{t.GetString()}/{i.GetString()}/_history/{v.GetString()}"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, FuzzCase c)
    {
        var request = new HttpRequestMessage(c.Method, c.Url);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<long> HistoryTotalAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/fhir/_history?_count=0");
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("total").GetInt64();
    }

    private static string Diagnostics(string body)
    {
        try { return string.Join(" | ", FhirJson.Parse<OperationOutcome>(body).Issue.Select(i => i.Diagnostics)); }
        catch (Pgo.Fhir.FhirException) { return Trim(body); }
    }

    private static string Trim(string s) => s.Length > 300 ? s[..300] + "…" : s;

    /// <summary>The examples a case may start from: every resource file up to 256 kB (the large bundles only slow the run down).</summary>
    private static List<string> ExampleFiles() =>
        [.. Directory.EnumerateFiles(OfficialExamples.Folder, "*.json")
            .Where(f => Path.GetFileName(f) is var n && n != "package.json" && !n.StartsWith('.') && new FileInfo(f).Length <= 256 * 1024)
            .Order(StringComparer.Ordinal)];

    private (int Seed, IReadOnlyList<int> Cases) Settings()
    {
        var seedText = Environment.GetEnvironmentVariable("PGO_FUZZ_SEED");
        var seed = seedText switch
        {
            null or "" => DefaultSeed,
            "random" => Random.Shared.Next(),
            _ => int.Parse(seedText, CultureInfo.InvariantCulture),
        };
        if (Environment.GetEnvironmentVariable("PGO_FUZZ_CASE") is { Length: > 0 } one)
            return (seed, [int.Parse(one, CultureInfo.InvariantCulture)]);
        var count = Environment.GetEnvironmentVariable("PGO_FUZZ_CASES") is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : DefaultCases;
        output.WriteLine($"fuzz seed {seed}, {count} cases");
        return (seed, [.. Enumerable.Range(0, count)]);
    }

    [GeneratedRegex(@"(?:^|/)([A-Za-z]+)/([A-Za-z0-9\-.]{1,64})/_history/(\d+)$")]
    private static partial Regex LocationPattern();
}
