using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pgo.Fhir.Search;

namespace Pgo.Api.Tests.Fhir.Fuzz;

/// <summary>What the runner checks after a request besides "no 5xx".</summary>
internal enum FuzzWrite
{
    /// <summary>A read or search: nothing may be stored, whatever the answer.</summary>
    None,
    /// <summary>A create or update: after a 4xx nothing is stored, after a 2xx the answer's resource reads back.</summary>
    Resource,
    /// <summary>A transaction: all or nothing; after a 2xx every entry that says it was written reads back.</summary>
    Transaction,
    /// <summary>A batch: entries stand alone; none may fail with a 5xx, each one written reads back.</summary>
    Batch,
    /// <summary>A conditional delete: may remove, never half.</summary>
    Delete,
}

/// <summary>One hostile request, described so that a failure report says what was sent.</summary>
internal sealed record FuzzCase(int Index, string What, HttpMethod Method, string Url, byte[]? Body, string? ContentType,
    IReadOnlyList<(string Name, string Value)> Headers, FuzzWrite Write)
{
    public string Describe(int max = 600)
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        if (body.Length > max) body = body[..max] + $"… ({Body!.Length} bytes)";
        body = new string(body.Select(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t' ? '·' : c).ToArray());
        var headers = string.Concat(Headers.Select(h => $" [{h.Name}: {h.Value}]"));
        return $"#{Index} {What}: {Method} {Url} (Content-Type: {ContentType ?? "none"}){headers}\n    {body}";
    }
}

/// <summary>
/// Makes hostile requests out of the official R4 examples: each case takes an example (or none), mutates its JSON,
/// its HTTP framing, or a search, and says what the server may store. Case <c>i</c> of seed <c>s</c> depends on
/// (s, i) only, so a failing case can be replayed alone (PGO_FUZZ_CASE).
/// </summary>
internal sealed class FhirFuzzer(IReadOnlyList<string> exampleFiles, int seed)
{
    private readonly Dictionary<string, (string Json, string Type, string Id)?> _cache = [];
    private static readonly SearchParameterRegistry Registry = SearchParameterRegistry.Default;

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Strings with characters a FHIR string may not hold, or that break encodings, databases and regexes.
    private static readonly string[] HostileStrings =
    [
        "\0", "a\0b", "\u0001", "\u001f", "\u007f", "\u0085", "\u2028", "\uFEFF", "\uFFFE", "\uFFFF", "\uD800", "\uDC00x",
        "\t\r\n", "", " ", "%00", "\\", "\"", "'; DROP TABLE resource; --", "<div>", "${jndi:x}", "\u202Eabc", "e\u0301",
        "💩", new string('x', 70_000), "NaN", "-0", "null", "0x10", "%", "Patient/..", "../../etc/passwd", "*", "|", "$",
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "1E-400", "123456789012345678901234567890123456789", "-99999999999999999999.9999999999999999",
        "0.0000000000000000000000000000000000000001", "1.7976931348623157e309", "79228162514264337593543950336", "-0", "1e-0",
        "9223372036854775808", "4294967296", "2147483648", "-2147483649", "1.0e+", "01", ".5", "+1", "NaN", "Infinity",
    ];

    private static readonly string[] HostileDates =
    [
        "2020-02-30", "0000-00-00", "9999-12-31T24:00:00Z", "2020-13", "-2020", "2020-01-01T10:00:00+25:00", "10000-01-01",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+14:00", "0001-01-01T00:00:00-14:00", "2020-01-01T25:61:61Z",
        "2020-1-1", "20200101", "2020-01-01T10:00", "2020-01-01T10:00:00.123456789012Z", "1970-01-01T00:00:00Z\0",
        "2020-06-15T12:00:00+99:99", "T", "", "2020-W01", "2020-01-01 10:00:00", "9999", "0000",
        "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01", "9999-12-31", "0001", "1900-02-29", "2000-02-29T00:00:00Z",
    ];

    private static readonly string[] OddContentTypes =
    [
        "text/plain", "application/fhir+xml", "application/json; fhirVersion=3.0", "/", ";;;", "application/fhir+json; charset=latin1",
        "application/fhir+json; charset=utf-16", "application/fhir+json; charset=\"", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/octet-stream", "application/fhir+json; charset=utf-8; q=abc",
        "application/json-patch+json", "*/*", "application/fhir+json, text/plain", "application/\u00e9", "APPLICATION/FHIR+JSON",
    ];

    private static readonly string[] AllTypes = [.. Registry.ResourceTypes.Order(StringComparer.Ordinal)];

    public FuzzCase Make(int index)
    {
        // Not HashCode.Combine: that is seeded per process, and a case must be the same in every run.
        var rnd = new Random(unchecked(seed * 1_000_003 + index * 7919));
        var roll = rnd.Next(100);
        if (roll < 52) return ResourceWrite(index, rnd);
        if (roll < 62) return BundleCase(index, rnd);
        if (roll < 76) return SearchGet(index, rnd);
        if (roll < 85) return SearchPost(index, rnd);
        if (roll < 93) return FramingCase(index, rnd);
        return OtherInteraction(index, rnd);
    }

    // ------------------------------------------------------------------ examples

    private (string Json, string Type, string Id) Example(Random rnd)
    {
        while (true)
        {
            var n = rnd.Next(exampleFiles.Count);
            var file = exampleFiles[n];
            if (!_cache.TryGetValue(file, out var example))
            {
                var json = File.ReadAllText(file);
                var (type, id) = OfficialExamples.TypeAndId(json);
                example = type is null || !Registry.IsKnownType(type) ? null : (json, type, id ?? "fuzz-" + n.ToString(CultureInfo.InvariantCulture));
                _cache[file] = example;
            }
            if (example is { } found) return found;
        }
    }

    // ------------------------------------------------------------------ resource writes

    private FuzzCase ResourceWrite(int index, Random rnd)
    {
        var (json, type, id) = Example(rnd);
        var (body, what) = MutateJson(json, rnd, 1 + rnd.Next(3));
        var headers = new List<(string, string)>();
        var roll = rnd.Next(100);
        string url;
        HttpMethod method;
        if (roll < 50) { method = HttpMethod.Put; url = $"/fhir/{type}/{id}"; }
        else if (roll < 85) { method = HttpMethod.Post; url = $"/fhir/{type}"; }
        else if (roll < 93) { method = HttpMethod.Post; url = $"/fhir/{type}"; headers.Add(("If-None-Exist", OddQuery(rnd, type, 1 + rnd.Next(2)))); }
        else { method = HttpMethod.Put; url = $"/fhir/{type}?{OddQuery(rnd, type, 1 + rnd.Next(2))}"; }
        if (rnd.Next(8) == 0) headers.Add(("If-Match", Pick(rnd, ["W/\"1\"", "W/\"\"", "\"abc\"", "W/\"99999999999999999999\"", "*", "W/\"-1\"", "W/\"1 2\""])));
        if (rnd.Next(8) == 0) headers.Add(("Prefer", Pick(rnd, ["return=minimal", "return=OperationOutcome", "return=representation", "handling=strict", "return=", "handling=lenient, return=minimal", "=;=,,"])));
        return new FuzzCase(index, $"{type} {what}", method, url, Encoding.UTF8.GetBytes(body), "application/fhir+json", headers, FuzzWrite.Resource);
    }

    /// <summary>Applies <paramref name="count"/> mutations to the JSON of a resource; returns the text and what was done.</summary>
    private (string Text, string What) MutateJson(string json, Random rnd, int count)
    {
        var root = JsonNode.Parse(json)!;
        var raw = new Dictionary<string, string>(); // placeholders replaced after serializing: JsonNode cannot hold these
        var what = new List<string>();
        var textLevel = new List<Func<string, string>>();
        for (var i = 0; i < count; i++) what.Add(MutateTree(root, rnd, raw, textLevel));
        var text = root.ToJsonString(Relaxed);
        foreach (var (placeholder, replacement) in raw) text = text.Replace(placeholder, replacement, StringComparison.Ordinal);
        foreach (var apply in textLevel) text = apply(text);
        return (text, string.Join(", ", what));
    }

    private string MutateTree(JsonNode root, Random rnd, Dictionary<string, string> raw, List<Func<string, string>> textLevel)
    {
        var slots = new List<(JsonNode Parent, string? Key, int Index, JsonNode? Value)>();
        Collect(root, slots);
        string Placeholder(string replacement)
        {
            var p = $"__pgo_fuzz_{raw.Count}_{rnd.Next():x}__";
            raw["\"" + p + "\""] = replacement;
            return p;
        }
        // JsonNode cannot write a lone surrogate; such strings go in as a hand-escaped literal.
        JsonValue Str(string value) => JsonValue.Create(value.Any(char.IsSurrogate) ? Placeholder(JsonLiteral(value)) : value);
        var slot = slots.Count > 0 ? slots[rnd.Next(slots.Count)] : default;
        void Set(JsonNode? value)
        {
            if (slot.Parent is JsonObject o) o[slot.Key!] = value;
            else if (slot.Parent is JsonArray a) a[slot.Index] = value;
        }
        var strings = slots.Where(s => s.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
        var objects = Descendants(root).OfType<JsonObject>().ToList();
        switch (rnd.Next(15))
        {
            case 0 when strings.Count > 0:
            {
                var s = strings[rnd.Next(strings.Count)];
                var value = s.Value!.GetValue<string>();
                var at = rnd.Next(value.Length + 1);
                var insert = Pick(rnd, HostileStrings.Where(h => h.Length < 100).ToArray());
                slot = s;
                Set(Str(value[..at] + insert + value[at..]));
                return $"hostile text in {s.Key ?? "[" + s.Index + "]"}";
            }
            case 1 when objects.Count > 0:
            {
                var o = objects[rnd.Next(objects.Count)];
                var key = Pick(rnd, ["\0", "a\0b", "\u0001id", "", " ", "resourceType\0", "\uD800", "_", "__proto__", "$ref", "id ", "Id"]);
                if (key.Any(char.IsSurrogate))
                {
                    var p = Placeholder("");
                    raw.Remove("\"" + p + "\"");
                    o[p] = JsonValue.Create("x");
                    textLevel.Add(t => t.Replace("\"" + p + "\"", JsonLiteral(key), StringComparison.Ordinal));
                }
                else if (!o.ContainsKey(key)) o[key] = JsonValue.Create("x");
                return $"hostile key {Escape(key)}";
            }
            case 2 when slots.Count > 0:
                Set(WrongType(rnd));
                return $"wrong type at {slot.Key ?? "[" + slot.Index + "]"}";
            case 3 when objects.Count > 0:
            {
                var o = objects[rnd.Next(objects.Count)];
                var key = Pick(rnd, ["fuzz", "valueString", "valueQuantity", "_id", "_birthDate", "extension", "modifierExtension", "contained", "fhir_comments", "div", "resourceType", "text", "meta"]);
                o[key] = WrongType(rnd);
                return $"property {key} added";
            }
            case 4 when slots.Count > 0:
            {
                var depth = Pick(rnd, [65, 200, 1_000, 10_000]);
                var open = Pick(rnd, ["[", "{\"a\":"]);
                var close = open == "[" ? "]" : "}";
                Set(JsonValue.Create(Placeholder(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)))));
                return $"nested {depth} deep";
            }
            case 5 when slots.Count > 0:
            {
                var number = Pick(rnd, HugeNumbers);
                var numbers = slots.Where(s => s.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number).ToList();
                if (numbers.Count > 0 && rnd.Next(3) > 0) slot = numbers[rnd.Next(numbers.Count)];
                Set(JsonValue.Create(Placeholder(number)));
                return $"number {number} at {slot.Key ?? "[" + slot.Index + "]"}";
            }
            case 6 when strings.Count > 0:
            {
                var dates = strings.Where(s => s.Value!.GetValue<string>() is var v && v.Length >= 4 && char.IsAsciiDigit(v[0]) && char.IsAsciiDigit(v[3])).ToList();
                slot = dates.Count > 0 ? dates[rnd.Next(dates.Count)] : strings[rnd.Next(strings.Count)];
                var date = Pick(rnd, HostileDates);
                Set(Str(date));
                return $"date {Escape(date)} at {slot.Key}";
            }
            case 7:
                textLevel.Add(t => t[..rnd.Next(t.Length)]);
                return "truncated";
            case 8 when root is JsonObject r:
            {
                JsonNode? type = rnd.Next(4) switch
                {
                    0 => JsonValue.Create(Pick(rnd, AllTypes)),
                    1 => Str(Pick(rnd, ["Huisdier", "", "patient", "Patient\0", "Resource", "DomainResource", "Element", "Bundle ", "string"])),
                    2 => WrongType(rnd),
                    _ => null,
                };
                if (type is null) r.Remove("resourceType"); else r["resourceType"] = type;
                return $"resourceType {type?.ToJsonString() ?? "removed"}";
            }
            case 9 when objects.Count > 0:
            {
                var o = objects[rnd.Next(objects.Count)];
                var existing = o.Select(p => p.Key).ToList();
                var key = existing.Count > 0 && rnd.Next(3) > 0 ? existing[rnd.Next(existing.Count)] : Pick(rnd, ["resourceType", "id"]);
                var dupe = Placeholder("");
                o[dupe] = rnd.Next(2) == 0 ? WrongType(rnd) : JsonValue.Create("dubbel");
                // the placeholder key becomes a second property with an existing name
                raw.Remove("\"" + dupe + "\"");
                textLevel.Add(t => t.Replace("\"" + dupe + "\"", JsonLiteral(key), StringComparison.Ordinal));
                return $"duplicate key {key}";
            }
            case 10 when slot.Parent is not null:
                if (slot.Parent is JsonObject po) po.Remove(slot.Key!); else ((JsonArray)slot.Parent).RemoveAt(slot.Index);
                return $"removed {slot.Key ?? "[" + slot.Index + "]"}";
            case 11 when root is JsonObject r:
            {
                var id = Pick(rnd, ["", "a b", "..", "x/y", new string('i', 65), "é", "a\0", "-", "%2F", "1.2.3", "ID", "\u2028"]);
                r["id"] = Str(id);
                return $"id {Escape(id)}";
            }
            case 12 when objects.Count > 0:
            {
                var o = objects[rnd.Next(objects.Count)];
                o["reference"] = Str(Pick(rnd, ["Patient/", "/Patient/x", "urn:uuid:00000000-0000-0000-0000-000000000000", "#", "#missing", "Patient/a/_history/x", "http://elders.example/fhir/Patient/1", "Huisdier/1", "Patient/a\0", "?", "Patient?name=x", "Patient/../Observation/1", "urn:oid:", "Patient//1"]));
                return "odd reference";
            }
            case 13 when objects.Count > 0:
            {
                var o = objects[rnd.Next(objects.Count)];
                var ext = new JsonObject();
                if (rnd.Next(3) > 0) ext["url"] = Str(Pick(rnd, ["", "x", "http://example.org/e", "\0", "urn:uuid:"]));
                for (var k = rnd.Next(3); k > 0; k--) ext[Pick(rnd, ["valueString", "valueInteger", "valueReference", "valueFoo", "value", "extension", "valueDecimal"])] = WrongType(rnd);
                o[Pick(rnd, ["extension", "modifierExtension"])] = new JsonArray(ext);
                return "odd extension";
            }
            default:
            {
                // raw control characters in the text: invalid JSON rather than an escaped value
                var c = Pick(rnd, ["\0", "\u0001", "\u001b", "\b", "\u007f", "\uFFFE"]);
                textLevel.Add(t =>
                {
                    var quotes = Enumerable.Range(0, t.Length).Where(k => t[k] == '"').ToList();
                    var at = quotes.Count > 0 ? quotes[rnd.Next(quotes.Count)] + 1 : 0;
                    return t[..at] + c + t[at..];
                });
                return $"raw U+{(int)c[0]:X4}";
            }
        }
    }

    private static JsonNode? WrongType(Random rnd) => rnd.Next(9) switch
    {
        0 => JsonValue.Create("x"),
        1 => JsonValue.Create(rnd.Next(3) == 0 ? -1 : 42),
        2 => JsonValue.Create(rnd.Next(2) == 0),
        3 => new JsonObject(),
        4 => new JsonArray(),
        5 => null,
        6 => new JsonObject { ["x"] = 1, ["y"] = new JsonArray(1, "a", null) },
        7 => new JsonArray(JsonValue.Create(1), JsonValue.Create("a"), new JsonObject()),
        _ => JsonValue.Create(3.25),
    };

    private static void Collect(JsonNode node, List<(JsonNode, string?, int, JsonNode?)> slots)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k != "resourceType" || o.Parent is not null) slots.Add((o, k, -1, v));
                    if (v is not null) Collect(v, slots);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, null, i, a[i]));
                    if (a[i] is { } v) Collect(v, slots);
                }
                break;
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] };
        foreach (var child in children)
            if (child is not null)
                foreach (var d in Descendants(child)) yield return d;
    }

    // ------------------------------------------------------------------ bundles

    private FuzzCase BundleCase(int index, Random rnd)
    {
        var transaction = rnd.Next(2) == 0;
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = transaction ? "transaction" : "batch" };
        var entries = new JsonArray();
        var fullUrls = new List<string>();
        var n = 1 + rnd.Next(5);
        for (var i = 0; i < n; i++)
        {
            var (json, type, id) = Example(rnd);
            var resource = JsonNode.Parse(json)!.AsObject();
            var entry = new JsonObject();
            var fullUrl = $"urn:uuid:{new Guid(rnd.Next(), 0, 0, [.. Enumerable.Range(0, 8).Select(_ => (byte)rnd.Next(256))])}";
            var put = rnd.Next(2) == 0;
            if (!put) resource.Remove("id");
            entry["fullUrl"] = put ? $"{type}/{id}" : fullUrl;
            fullUrls.Add(fullUrl);
            entry["resource"] = resource;
            entry["request"] = new JsonObject { ["method"] = put ? "PUT" : "POST", ["url"] = put ? $"{type}/{id}" : type };
            entries.Add(entry);
        }
        if (rnd.Next(4) == 0)
            entries.Add(new JsonObject { ["request"] = new JsonObject { ["method"] = Pick(rnd, ["GET", "DELETE"]), ["url"] = Pick(rnd, AllTypes) + "?" + OddQuery(rnd, "Patient", 1) } });
        bundle["entry"] = entries;

        var what = new List<string> { $"{bundle["type"]} of {n}" };
        var raw = new Dictionary<string, string>();
        var textLevel = new List<Func<string, string>>();
        for (var m = 1 + rnd.Next(2); m > 0; m--)
        {
            var entry = entries[rnd.Next(entries.Count)]!.AsObject();
            // an earlier mutation may have taken the request away
            var request = entry["request"] as JsonObject ?? [];
            entry["request"] ??= request;
            switch (rnd.Next(10))
            {
                case 0: request["method"] = Pick(rnd, ["PATCH", "HEAD", "get", "", "POST\0"]); what.Add("odd method"); break;
                case 1: request["url"] = Pick(rnd, ["", "Patient/../x", "http://elders.example/fhir/Patient", "?", "Patient?name=%00", "Huisdier", "Patient/a/b/c", "/Patient", "Patient/" + new string('x', 70), "$everything", "_history", "metadata"]); what.Add("odd url"); break;
                case 2: entry.Remove("request"); what.Add("no request"); break;
                case 3: entry["request"] = WrongType(rnd); what.Add("request wrong type"); break;
                case 4: entry["fullUrl"] = fullUrls[0]; what.Add("duplicate fullUrl"); break;
                case 5: bundle["type"] = Pick(rnd, ["transaction-response", "collection", "searchset", "history", "document", "message", "", "Transaction"]); what.Add("bundle type " + bundle["type"]); break;
                case 6: request["ifMatch"] = Pick(rnd, ["W/\"x\"", "", "W/\"1\"", "*"]); request["ifNoneExist"] = OddQuery(rnd, "Patient", 1); what.Add("odd conditions"); break;
                case 7: entry["resource"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = new JsonArray() }; what.Add("nested bundle"); break;
                case 8:
                    if (entry["resource"] is JsonObject res)
                    {
                        var (text, w) = MutateJson(res.ToJsonString(), rnd, 1);
                        var placeholder = $"__pgo_fuzz_entry_{rnd.Next():x}__";
                        entry["resource"] = placeholder;
                        raw["\"" + placeholder + "\""] = text.Length == 0 ? "null" : text;
                        what.Add("entry " + w);
                    }
                    break;
                default: entry["resource"] = WrongType(rnd); what.Add("entry resource wrong type"); break;
            }
        }
        var body = bundle.ToJsonString(Relaxed);
        foreach (var (p, r) in raw) body = body.Replace(p, r, StringComparison.Ordinal);
        return new FuzzCase(index, string.Join(", ", what), HttpMethod.Post, "/fhir", Encoding.UTF8.GetBytes(body), "application/fhir+json", [],
            transaction ? FuzzWrite.Transaction : FuzzWrite.Batch);
    }

    // ------------------------------------------------------------------ search

    /// <summary>A query string of odd parameters for <paramref name="type"/> (already escaped, sometimes badly on purpose).</summary>
    private static string OddQuery(Random rnd, string type, int count)
    {
        var names = Registry.IsKnownType(type) ? Registry.For(type).Select(p => p.Name).ToArray() : ["name"];
        var parts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = rnd.Next(5) switch
            {
                0 => Pick(rnd, ["_count", "_offset", "_sort", "_include", "_revinclude", "_summary", "_elements", "_total", "_since", "_type", "_has:Observation:patient:code", "_format", "_contained", "_id", "_lastUpdated", "_text", "_content", "_list", "_query", "_filter", "_at"]),
                1 => Pick(rnd, names) + Pick(rnd, [":exact", ":contains", ":missing", ":not", ":text", ":above", ":below", ":in", ":of-type", ":identifier", ":Patient", ":Huisdier", ":", "::", ":iterate"]),
                2 => Pick(rnd, names) + Pick(rnd, [".name", ".subject.name", ".", "..x", ":Patient.family", ".Huisdier"]),
                3 => Pick(rnd, ["\0", "%00", "%zz", "%", "", "a b", "x\u2028", "&", "=", "__proto__", new string('p', 3000)]),
                _ => Pick(rnd, names),
            };
            var value = rnd.Next(6) switch
            {
                0 => Pick(rnd, HostileDates.Select(d => Pick(rnd, ["", "gt", "lt", "ge", "le", "ne", "sa", "eb", "ap", "xx"]) + d).ToArray()),
                1 => Pick(rnd, HugeNumbers),
                2 => Pick(rnd, ["|", "||", "|||", "a|b|c", "5||", "5|x|", "$", "$$", ",", ",,,", "\\", "\\,", "\\$", "Patient/", "Patient/%00", "*", ":", "-", "-_id", "Patient:*", "Observation:subject:Huisdier", "true", "maybe", "count", "estimate", "accurate", "-1", "0", "999999999999"]),
                3 => Pick(rnd, HostileStrings.Where(h => h.Length < 5000).ToArray()),
                4 => string.Join(",", Enumerable.Range(0, 1 + rnd.Next(300)).Select(k => "v" + k)),
                _ => Pick(rnd, ["x", "example", "Patient/example", "http://loinc.org|8302-2", "2020", "gt100", "final"]),
            };
            parts.Add(Encode(rnd, name) + (rnd.Next(12) == 0 ? "" : "=" + Encode(rnd, value)));
        }
        return string.Join("&", parts);
    }

    private static string Encode(Random rnd, string s)
    {
        // Mostly properly escaped; sometimes raw (and so broken) percent signs go through.
        if (rnd.Next(6) == 0 && !s.Any(c => c < ' ' || c > '~' || c is ' ' or '#' or '&')) return s;
        if (s.Length > 5000) s = s[..5000];
        // A lone surrogate has no UTF-8 form: send the bytes a careless client would (an encoded surrogate, invalid UTF-8).
        return s.Any(char.IsSurrogate) ? string.Concat(s.Select(c => char.IsSurrogate(c) ? "%ED%A0%80" : Uri.EscapeDataString(c.ToString()))) : Uri.EscapeDataString(s);
    }

    private FuzzCase SearchGet(int index, Random rnd)
    {
        var type = rnd.Next(10) == 0 ? Pick(rnd, ["Huisdier", "patient", "Resource", "metadata"]) : Example(rnd).Type;
        var many = rnd.Next(20) == 0 ? 200 + rnd.Next(400) : 1 + rnd.Next(4);
        var path = rnd.Next(10) == 0 ? "/fhir" : $"/fhir/{type}";
        var query = OddQuery(rnd, type, many);
        var headers = rnd.Next(5) == 0 ? [("Prefer", "handling=strict")] : new List<(string, string)>();
        return new FuzzCase(index, "search", HttpMethod.Get, $"{path}?{query}", null, null, headers, FuzzWrite.None);
    }

    private FuzzCase SearchPost(int index, Random rnd)
    {
        var type = Example(rnd).Type;
        var url = $"/fhir/{type}/_search" + (rnd.Next(3) == 0 ? "?" + OddQuery(rnd, type, 1) : "");
        byte[] body;
        string? contentType = "application/x-www-form-urlencoded";
        string what;
        switch (rnd.Next(9))
        {
            case 0: body = []; what = "empty form"; break;
            case 1: body = RandomBytes(rnd, 1 + rnd.Next(2000)); what = "binary form"; break;
            case 2: body = Encoding.UTF8.GetBytes(Pick(rnd, ["&&&", "=", "==", "a", "=b", "%", "%zz=1", "a=%", "a=%u0000", "%00=%00", "a=b&a=c&a=", "+=+", "a=1;b=2", "\0=\0"])); what = "odd form"; break;
            case 3: body = Encoding.UTF8.GetBytes(string.Join("&", Enumerable.Range(0, 2000 + rnd.Next(3000)).Select(k => $"p{k}=v"))); what = "many fields"; break;
            case 4: body = Encoding.UTF8.GetBytes("name=" + new string('x', 200_000 + rnd.Next(2_000_000))); what = "huge value"; break;
            case 5: body = Encoding.UTF8.GetBytes(OddQuery(rnd, type, 1)); contentType = Pick(rnd, ["application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=", "application/x-www-form-urlencoded; charset=utf-16", "application/x-www-form-urlencoded; charset=\"", ";", null]); what = "odd content type"; break;
            case 6: body = Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--x--"); contentType = Pick(rnd, ["multipart/form-data; boundary=x", "multipart/form-data; boundary=y", "multipart/form-data"]); what = "multipart"; break;
            case 7: body = Encoding.UTF8.GetBytes("{\"resourceType\":\"Parameters\"}"); contentType = Pick(rnd, ["application/fhir+json", "application/json"]); what = "json body"; break;
            default: body = Encoding.UTF8.GetBytes(OddQuery(rnd, type, 1 + rnd.Next(5))); what = "odd parameters"; break;
        }
        return new FuzzCase(index, "_search " + what, HttpMethod.Post, url, body, contentType, [], FuzzWrite.None);
    }

    // ------------------------------------------------------------------ framing

    private FuzzCase FramingCase(int index, Random rnd)
    {
        var (json, type, id) = Example(rnd);
        var put = rnd.Next(2) == 0;
        var url = put ? $"/fhir/{type}/{id}" : $"/fhir/{type}";
        var method = put ? HttpMethod.Put : HttpMethod.Post;
        string? contentType = "application/fhir+json";
        byte[] body;
        string what;
        switch (rnd.Next(8))
        {
            case 0: contentType = Pick(rnd, OddContentTypes); body = Encoding.UTF8.GetBytes(json); what = "content type " + contentType; break;
            case 1: contentType = null; body = Encoding.UTF8.GetBytes(json); what = "no content type"; break;
            case 2: body = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]; what = "UTF-8 BOM"; break;
            case 3: body = Encoding.Unicode.GetBytes(json); what = "UTF-16 body"; break;
            case 4:
            {
                body = Encoding.UTF8.GetBytes(json);
                for (var k = 1 + rnd.Next(5); k > 0; k--) body[rnd.Next(body.Length)] = (byte)Pick(rnd, [0xC3, 0xFF, 0x80, 0xED, 0xF4, 0x00]);
                what = "invalid UTF-8";
                break;
            }
            case 5: body = RandomBytes(rnd, rnd.Next(4000)); what = "binary"; break;
            case 6: body = Encoding.UTF8.GetBytes(Pick(rnd, ["null", "true", "1", "\"Patient\"", "[]", "{}", "[{}]", "{\"resourceType\":null}", "{\"resourceType\":{}}", "{\"resourceType\":\"Patient\"}{}", " ", "\u00a0{}", "{\"resourceType\":\"Patient\",}", "{'resourceType':'Patient'}", "/*x*/{\"resourceType\":\"Patient\"}"])); what = "tiny body"; break;
            default: body = Encoding.UTF8.GetBytes(json.Replace("\n", "", StringComparison.Ordinal) + Pick(rnd, ["}", "]", "x", "\0", " {}"])); what = "trailing garbage"; break;
        }
        return new FuzzCase(index, $"{type} {what}", method, url, body, contentType, [], FuzzWrite.Resource);
    }

    // ------------------------------------------------------------------ other interactions

    private FuzzCase OtherInteraction(int index, Random rnd)
    {
        var (_, type, id) = Example(rnd);
        // No %00 in a path: Kestrel refuses it before the app, and the in-memory test server cannot even send it.
        var oddId = Pick(rnd, [id, "%01", "%7F", "..", "a%20b", new string('x', 64), new string('x', 65), "%2F", "%E2%80%A8", "%FF", "é", "-", "x.y", "%25"]);
        var oddVid = Pick(rnd, ["1", "0", "-1", "99999999999", "x", "%1F", "1.5", "١"]);
        return rnd.Next(7) switch
        {
            0 => new FuzzCase(index, "read", HttpMethod.Get, $"/fhir/{type}/{oddId}?{OddQuery(rnd, type, 1)}", null, null, [], FuzzWrite.None),
            1 => new FuzzCase(index, "vread", HttpMethod.Get, $"/fhir/{type}/{oddId}/_history/{oddVid}", null, null, [], FuzzWrite.None),
            2 => new FuzzCase(index, "history", HttpMethod.Get, Pick(rnd, ["/fhir/_history", $"/fhir/{type}/_history", $"/fhir/{type}/{oddId}/_history"]) + "?" + Pick(rnd, ["_since=", "_since=gisteren", "_since=9999-99-99", "_count=-1", "_count=1e3", "_offset=99999999999", "_count=%00", "_at=2020", "_since=2020-01-01T00:00:00+99:00"]), null, null, [], FuzzWrite.None),
            3 => new FuzzCase(index, "$everything", HttpMethod.Get, $"/fhir/Patient/{oddId}/$everything?{OddQuery(rnd, "Patient", 1 + rnd.Next(2))}", null, null, [], FuzzWrite.None),
            4 => new FuzzCase(index, "conditional delete", HttpMethod.Delete, $"/fhir/{type}?{OddQuery(rnd, type, 1 + rnd.Next(2))}", null, null, [], FuzzWrite.Delete),
            5 => new FuzzCase(index, "delete", HttpMethod.Delete, $"/fhir/{type}/{oddId}", null, null, [("If-Match", Pick(rnd, ["W/\"1\"", "x", "W/\"\""]))], FuzzWrite.Delete),
            _ => new FuzzCase(index, "odd path", Pick(rnd, [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options]),
                Pick(rnd, ["/fhir/", "/fhir//", $"/fhir/{type}/{oddId}/_history/1/x", "/fhir/$export", "/fhir/Patient/$match", $"/fhir/{type}/{oddId}/$validate", "/fhir/metadata?_format=xml", "/fhir/%01", "/fhir/_search"]),
                null, null, [], FuzzWrite.Delete),
        };
    }

    private static byte[] RandomBytes(Random rnd, int n)
    {
        var bytes = new byte[n];
        rnd.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random rnd, IReadOnlyList<T> items) => items[rnd.Next(items.Count)];

    private static string Escape(string s) => JsonLiteral(s);

    /// <summary>A JSON string literal that escapes everything outside printable ASCII (lone surrogates included).</summary>
    private static string JsonLiteral(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < ' ' || c > '~') sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
