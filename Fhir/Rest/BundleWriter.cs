using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Rest;

/// <summary>One entry of a Bundle being written. ResourceJson is embedded as is (already valid FHIR JSON).</summary>
internal sealed record BundleEntry(
    string? FullUrl,
    string? ResourceJson,
    string? SearchMode = null,
    string? RequestMethod = null,
    string? RequestUrl = null,
    string? ResponseStatus = null,
    string? ResponseLocation = null,
    string? ResponseEtag = null,
    DateTimeOffset? ResponseLastModified = null,
    string? ResponseOutcomeJson = null);

/// <summary>
/// Writes Bundles as JSON text directly, embedding each resource's stored JSON without parsing it
/// again: searches and histories stay cheap however many entries they return.
/// </summary>
internal static class BundleWriter
{
    public static string History(DateTimeOffset now, string baseUrl, long total, IEnumerable<(string Rel, string Url)> links, IEnumerable<HistoryEntry> entries) =>
        Write(now, "history", total, links, entries.Select(e => new BundleEntry(
            $"{baseUrl}/{e.Resource.Type}/{e.Resource.Id}",
            e.Resource.Deleted ? null : e.Resource.Json,
            RequestMethod: e.Method,
            RequestUrl: e.Method == "POST" ? e.Resource.Type : $"{e.Resource.Type}/{e.Resource.Id}",
            ResponseStatus: e.Resource.Deleted ? "204" : e.Method == "POST" ? "201" : "200",
            ResponseEtag: e.Resource.ETag,
            ResponseLastModified: e.Resource.LastUpdated)), outcomeJson: null);

    /// <param name="now">The repository's clock: the Bundle's meta.lastUpdated.</param>
    public static string Write(DateTimeOffset now, string type, long? total, IEnumerable<(string Rel, string Url)> links, IEnumerable<BundleEntry> entries, string? outcomeJson)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("resourceType", "Bundle");
            w.WriteString("id", Guid.NewGuid().ToString("D"));
            w.WriteStartObject("meta");
            w.WriteString("lastUpdated", Instant(now));
            w.WriteEndObject();
            w.WriteString("type", type);
            if (total is not null) w.WriteNumber("total", total.Value);
            var linkList = links.ToList();
            if (linkList.Count > 0)
            {
                w.WriteStartArray("link");
                foreach (var (rel, url) in linkList)
                {
                    w.WriteStartObject();
                    w.WriteString("relation", rel);
                    w.WriteString("url", url);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            var wroteEntries = false;
            foreach (var e in entries)
            {
                if (!wroteEntries) { w.WriteStartArray("entry"); wroteEntries = true; }
                WriteEntry(w, e);
            }
            if (outcomeJson is not null)
            {
                // Search warnings travel as an OperationOutcome entry with search.mode = outcome.
                if (!wroteEntries) { w.WriteStartArray("entry"); wroteEntries = true; }
                WriteEntry(w, new BundleEntry(null, outcomeJson, SearchMode: "outcome"));
            }
            if (wroteEntries) w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A FHIR instant in UTC with milliseconds, e.g. 2026-11-22T14:05:45.507Z.</summary>
    private static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteEntry(Utf8JsonWriter w, BundleEntry e)
    {
        w.WriteStartObject();
        if (e.FullUrl is not null) w.WriteString("fullUrl", e.FullUrl);
        if (e.ResourceJson is not null)
        {
            w.WritePropertyName("resource");
            w.WriteRawValue(e.ResourceJson, skipInputValidation: true);
        }
        if (e.SearchMode is not null)
        {
            w.WriteStartObject("search");
            w.WriteString("mode", e.SearchMode);
            w.WriteEndObject();
        }
        if (e.RequestMethod is not null)
        {
            w.WriteStartObject("request");
            w.WriteString("method", e.RequestMethod);
            w.WriteString("url", e.RequestUrl);
            w.WriteEndObject();
        }
        if (e.ResponseStatus is not null)
        {
            w.WriteStartObject("response");
            w.WriteString("status", e.ResponseStatus);
            if (e.ResponseLocation is not null) w.WriteString("location", e.ResponseLocation);
            if (e.ResponseEtag is not null) w.WriteString("etag", e.ResponseEtag);
            if (e.ResponseLastModified is not null)
                w.WriteString("lastModified", Instant(e.ResponseLastModified.Value));
            if (e.ResponseOutcomeJson is not null)
            {
                w.WritePropertyName("outcome");
                w.WriteRawValue(e.ResponseOutcomeJson, skipInputValidation: true);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
