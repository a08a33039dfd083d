using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// The benchmark's ceiling (bench/run.sh): answers the wrk scenarios (bench/wrk/*.lua) from in-memory dictionaries with
// the JSON bytes stored at write time: read by id, token search (identifier), string search (family, prefix and
// case-insensitive as FHIR string search is), date search on one subject's resources, create, and transaction Bundles
// of POST/PUT entries (what Pgo.Bench load sends). No persistence, no access control, no validation beyond JSON:
// what an in-memory reference server such as fhir-candle does per request, minus its per-request serialisation.
//   dotnet Pgo.Bench.Ceiling.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
using var store = new CeilingStore();

app.MapGet("/health", () => Results.Text("ok"));
app.MapGet("/fhir/{type}/{id}", (HttpContext http, string type, string id) =>
    store.Read(type, id) is { } json ? Write(http, 200, json) : Write(http, 404, NotFound));
app.MapGet("/fhir/{type}", (HttpContext http, string type) => Write(http, 200, store.Search(type, http.Request.Query, $"{http.Request.Scheme}://{http.Request.Host}/fhir")));
app.MapPost("/fhir/{type}", async (HttpContext http, string type) =>
{
    var node = await JsonNode.ParseAsync(http.Request.Body);
    if (node is not JsonObject resource || (string?)resource["resourceType"] != type) return Write(http, 400, NotFound);
    var (id, json) = store.Put(resource, null);
    http.Response.Headers.Location = $"/fhir/{type}/{id}/_history/1";
    return http.Request.Headers["Prefer"].ToString().Contains("return=minimal", StringComparison.Ordinal)
        ? Results.StatusCode(201) : Write(http, 201, json);
});
app.MapPut("/fhir/{type}/{id}", async (HttpContext http, string type, string id) =>
{
    var node = await JsonNode.ParseAsync(http.Request.Body);
    if (node is not JsonObject resource || (string?)resource["resourceType"] != type) return Write(http, 400, NotFound);
    var (_, json) = store.Put(resource, id);
    return Write(http, 200, json);
});
app.MapPost("/fhir", async (HttpContext http) =>
{
    var node = await JsonNode.ParseAsync(http.Request.Body);
    if (node is not JsonObject bundle || bundle["entry"] is not JsonArray entries) return Write(http, 400, NotFound);
    // Resolve urn:uuid fullUrls to the ids given, as a transaction does (references inside the entries are rewritten).
    var ids = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (var e in entries.OfType<JsonObject>())
        if ((string?)e["request"]?["method"] == "POST" && (string?)e["fullUrl"] is { } full && e["resource"] is JsonObject r)
            ids[full] = $"{(string?)r["resourceType"]}/{Guid.NewGuid():N}";
    var response = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[");
    var first = true;
    foreach (var e in entries.OfType<JsonObject>())
    {
        if (e["resource"] is not JsonObject r) continue;
        var method = (string?)e["request"]?["method"];
        string? id = method == "PUT" ? ((string?)e["request"]?["url"])?.Split('/').Last()
            : (string?)e["fullUrl"] is { } full && ids.TryGetValue(full, out var assigned) ? assigned.Split('/').Last() : null;
        if (ids.Count > 0) Rewrite(r, ids);
        var (stored, _) = store.Put(r, id);
        response.Append(first ? "" : ",").Append("{\"response\":{\"status\":\"").Append(method == "PUT" ? "200 OK" : "201 Created")
            .Append("\",\"location\":\"").Append((string?)r["resourceType"]).Append('/').Append(stored).Append("/_history/1\"}}");
        first = false;
    }
    response.Append("]}");
    return Write(http, 200, Encoding.UTF8.GetBytes(response.ToString()));
});
app.Run();
return;

static IResult Write(HttpContext http, int status, byte[] json) => new JsonBytes(json, status);

static void Rewrite(JsonNode node, Dictionary<string, string> ids)
{
    switch (node)
    {
        case JsonObject o:
            foreach (var (key, value) in o.ToList())
                if (key == "reference" && value is JsonValue v && v.TryGetValue<string>(out var s) && ids.TryGetValue(s, out var to)) o[key] = to;
                else if (value is not null) Rewrite(value, ids);
            break;
        case JsonArray a:
            foreach (var item in a) if (item is not null) Rewrite(item, ids);
            break;
    }
}

public partial class Program
{
    internal static readonly byte[] NotFound = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}"""u8.ToArray();
}

/// <summary>A response of stored JSON bytes, written as they are.</summary>
internal sealed class JsonBytes(byte[] json, int status) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/fhir+json";
        http.Response.ContentLength = json.Length;
        return http.Response.Body.WriteAsync(json).AsTask();
    }
}

/// <summary>The resources (JSON bytes with id and meta, as stored) and three indexes: token (identifier), string
/// (family), date per subject (effectiveDateTime, authoredOn, target.dueDate).</summary>
internal sealed class CeilingStore : IDisposable
{
    public void Dispose() => _lock.Dispose();

    private readonly ConcurrentDictionary<(string Type, string Id), byte[]> _resources = new();
    private readonly ConcurrentDictionary<(string Type, string Id), (string[] Tokens, string[] Families, string? Subject)> _indexed = new();
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, HashSet<string>> _tokens = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Id)> _families = []; // sorted by key: "Type|normalized family"
    private readonly Dictionary<string, List<(long Day, string Type, string Id)>> _bySubject = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public byte[]? Read(string type, string id) => _resources.TryGetValue((type, id), out var json) ? json : null;

    public (string Id, byte[] Json) Put(JsonObject resource, string? id)
    {
        var type = (string)resource["resourceType"]!;
        id ??= Guid.NewGuid().ToString("N");
        resource["id"] = id;
        var version = 1;
        if (_resources.ContainsKey((type, id))) version = 2;
        resource["meta"] = new JsonObject
        {
            ["versionId"] = version.ToString(CultureInfo.InvariantCulture),
            ["lastUpdated"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(resource, Relaxed);
        var tokens = (resource["identifier"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => $"{type}|{(string?)i["system"]}|{(string?)i["value"]}").ToArray();
        var families = (resource["name"] as JsonArray ?? []).OfType<JsonObject>().Select(n => (string?)n["family"]).OfType<string>()
            .Select(f => $"{type}|{Normalize(f)}").ToArray();
        var subject = ((string?)resource["subject"]?["reference"]) ?? (string?)resource["for"]?["reference"];
        var date = (string?)resource["effectiveDateTime"] ?? (string?)resource["authoredOn"] ?? (string?)resource["target"]?[0]?["dueDate"];
        _lock.EnterWriteLock();
        try
        {
            if (_indexed.TryGetValue((type, id), out var old)) Unindex(type, id, old);
            foreach (var t in tokens)
            {
                if (!_tokens.TryGetValue(t, out var set)) _tokens[t] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(id);
            }
            foreach (var f in families)
            {
                var at = _families.BinarySearch((f, id), Order);
                _families.Insert(at < 0 ? ~at : at, (f, id));
            }
            if (subject is not null && date is not null && Day(date) is { } day)
            {
                if (!_bySubject.TryGetValue(subject, out var list)) _bySubject[subject] = list = [];
                list.Add((day, type, id));
            }
            _indexed[(type, id)] = (tokens, families, subject);
            _resources[(type, id)] = json;
        }
        finally { _lock.ExitWriteLock(); }
        return (id, json);
    }

    private void Unindex(string type, string id, (string[] Tokens, string[] Families, string? Subject) old)
    {
        foreach (var t in old.Tokens) if (_tokens.TryGetValue(t, out var set)) set.Remove(id);
        foreach (var f in old.Families) { var at = _families.BinarySearch((f, id), Order); if (at >= 0) _families.RemoveAt(at); }
        if (old.Subject is not null && _bySubject.TryGetValue(old.Subject, out var list)) list.RemoveAll(e => e.Type == type && e.Id == id);
    }

    private static readonly Comparer<(string Key, string Id)> Order = Comparer<(string Key, string Id)>.Create((a, b) =>
    {
        var c = string.CompareOrdinal(a.Key, b.Key);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    });

    private static string Normalize(string s) => s.ToLowerInvariant();

    private static long? Day(string date) =>
        DateTime.TryParse(date.Length >= 10 ? date[..10] : date, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var d) ? d.Ticks / TimeSpan.TicksPerDay : null;

    public byte[] Search(string type, IQueryCollection query, string baseUrl)
    {
        var count = int.TryParse(query["_count"], CultureInfo.InvariantCulture, out var c) ? c : 20;
        List<string> ids;
        _lock.EnterReadLock();
        try
        {
            if (query["identifier"].ToString() is { Length: > 0 } identifier)
                ids = _tokens.TryGetValue($"{type}|{identifier}", out var set) ? [.. set] : [];
            else if (query["family"].ToString() is { Length: > 0 } family)
            {
                var prefix = $"{type}|{Normalize(family)}";
                var at = _families.BinarySearch((prefix, ""), Order);
                if (at < 0) at = ~at;
                ids = [];
                for (; at < _families.Count && _families[at].Key.StartsWith(prefix, StringComparison.Ordinal); at++) ids.Add(_families[at].Id);
            }
            else if (query["subject"].ToString() is { Length: > 0 } subject)
            {
                long lo = long.MinValue, hi = long.MaxValue;
                foreach (var d in query["date"])
                {
                    if (d is null || d.Length < 3 || Day(d[2..]) is not { } day) continue;
                    if (d.StartsWith("ge", StringComparison.Ordinal)) lo = day; else if (d.StartsWith("le", StringComparison.Ordinal)) hi = day;
                }
                ids = _bySubject.TryGetValue(subject, out var list)
                    ? list.Where(e => e.Type == type && e.Day >= lo && e.Day <= hi).OrderBy(e => e.Day).Select(e => e.Id).ToList()
                    : [];
            }
            else ids = [];
        }
        finally { _lock.ExitReadLock(); }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("resourceType", "Bundle");
            w.WriteString("type", "searchset");
            w.WriteNumber("total", ids.Count);
            w.WriteStartArray("entry");
            foreach (var id in ids.Take(count))
            {
                if (!_resources.TryGetValue((type, id), out var json)) continue;
                w.WriteStartObject();
                w.WriteString("fullUrl", $"{baseUrl}/{type}/{id}");
                w.WritePropertyName("resource");
                w.WriteRawValue(json, skipInputValidation: true);
                w.WriteStartObject("search");
                w.WriteString("mode", "match");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
