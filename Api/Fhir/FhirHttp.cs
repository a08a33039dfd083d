using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Pgo.Api.Errors;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Fhir;

public sealed class FhirHttpOptions
{
    public const string Section = "Fhir";

    /// <summary>Largest request body accepted at /fhir, in bytes (413 above it).</summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest NDJSON body accepted at /fhir/$import, in bytes (413 above it).</summary>
    public long MaxImportBytes { get; set; } = 256L * 1024 * 1024;
}

/// <summary>HTTP ⇄ repository: reading bodies, the Prefer header, and writing responses with the right headers.</summary>
internal static class FhirHttp
{
    public const string FhirJsonMediaType = "application/fhir+json";

    public static FhirContext Context(HttpContext http)
    {
        var prefer = Prefer(http, "handling");
        var request = http.Request;
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";
        return new FhirContext(Caller(http), baseUrl, StrictHandling: string.Equals(prefer, "strict", StringComparison.OrdinalIgnoreCase))
        {
            RequestId = http.TraceIdentifier,
        };
    }

    /// <summary>
    /// The caller as the access layer needs it, from the validated access token: sub, fhirUser, scope, client_id, role.
    /// A token without fhirUser whose scopes are system/ scopes is a system client (client credentials).
    /// </summary>
    public static CallerContext Caller(HttpContext http)
    {
        var user = http.User;
        var sub = user.FindFirst("sub")?.Value;
        if (sub is null || user.Identity?.IsAuthenticated != true) return new CallerContext("anonymous", null, [], IsSystem: false);
        var scopes = Auth.ApiAuthentication.Scopes(user);
        var fhirUser = user.FindFirst("fhirUser")?.Value;
        var isSystem = fhirUser is null && scopes.Any(s => s.StartsWith("system/", StringComparison.Ordinal));
        var roles = user.FindAll("role").Select(c => c.Value).ToList();
        // The SMART launch context (Identity's "patient" claim, set when the person picked a client at the launch).
        var launchPatient = user.FindFirst("patient")?.Value is { Length: > 0 } patient ? patient : null;
        return new CallerContext(sub, fhirUser, scopes, isSystem, user.FindFirst("client_id")?.Value, roles, launchPatient);
    }

    public static string? Prefer(HttpContext http, string key)
    {
        foreach (var header in http.Request.Headers["Prefer"])
        {
            foreach (var part in (header ?? "").Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                if (eq > 0 && part[..eq].Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
                    return part[(eq + 1)..].Trim().Trim('"');
            }
        }
        return null;
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Query(HttpContext http) =>
        http.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();

    /// <summary>
    /// The parameters of a POST _search body. Only application/x-www-form-urlencoded (FHIR R4 3.1.1.5.9): a multipart form,
    /// or any other body, is 415; a form that breaks the form reader's limits or encoding is 400.
    /// </summary>
    public static async Task<IEnumerable<KeyValuePair<string, string>>> ReadSearchFormAsync(HttpContext http)
    {
        var request = http.Request;
        var isForm = MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (!isForm)
        {
            if (request.ContentLength is null or 0) return [];
            throw new FhirException(HttpStatusCode.UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                FhirText.SearchFormWrongType);
        }
        try
        {
            var form = await request.ReadFormAsync(http.RequestAborted);
            return form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        }
        catch (InvalidDataException)
        {
            // The form reader's own limits (1024 fields, 2 kB keys, 4 MB values) and a malformed body.
            throw FhirException.BadRequest(FhirText.SearchFormUnreadable);
        }
    }

    /// <summary>Reads and parses the body as a FHIR resource: 415 for anything but FHIR JSON, 413 when too large, 400 when invalid.</summary>
    public static async Task<Resource> ReadResourceAsync(HttpContext http)
    {
        var text = await ReadBodyAsync(http, requireFhirJson: true);
        return FhirJson.Parse(text);
    }

    public static async Task<string> ReadBodyAsync(HttpContext http, bool requireFhirJson)
    {
        var request = http.Request;
        if (requireFhirJson)
        {
            var contentType = request.ContentType;
            if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media)
                || !(media.MediaType.Equals(FhirJsonMediaType, StringComparison.OrdinalIgnoreCase) || media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
            {
                throw new FhirException(HttpStatusCode.UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                    Text.Format(FhirText.ContentTypeNotSupported, contentType, FhirJsonMediaType));
            }
        }
        var limit = http.RequestServices.GetRequiredService<IOptions<FhirHttpOptions>>().Value.MaxBodyBytes;
        if (request.ContentLength > limit) throw TooLarge(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) throw TooLarge(limit);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw FhirException.BadRequest(FhirText.BodyNotUtf8);
        }
    }

    private static readonly string[] NdjsonMediaTypes = ["application/fhir+ndjson", "application/ndjson", "application/x-ndjson"];

    /// <summary>Reads an NDJSON body line by line (blank lines kept, so that line numbers are the sender's): 415 for another
    /// content type, 413 above Fhir:MaxImportBytes, 400 when it is not UTF-8.</summary>
    public static async Task<IReadOnlyList<string>> ReadNdjsonAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.ContentType is not { } contentType || !MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !NdjsonMediaTypes.Any(t => media.MediaType.Equals(t, StringComparison.OrdinalIgnoreCase)))
            throw new FhirException(HttpStatusCode.UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                Text.Format(FhirText.ImportContentType, request.ContentType));
        var limit = http.RequestServices.GetRequiredService<IOptions<FhirHttpOptions>>().Value.MaxImportBytes;
        if (request.ContentLength > limit) throw TooLarge(limit);
        // Kestrel's own limit (30 MB) would cut an import short; this endpoint counts against its own.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        var lines = new List<string>();
        long chars = 0;
        using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 81920);
        try
        {
            while (await reader.ReadLineAsync(http.RequestAborted) is { } line)
            {
                chars += line.Length + 1;
                if (chars > limit) throw TooLarge(limit);
                lines.Add(line);
            }
        }
        catch (DecoderFallbackException)
        {
            throw FhirException.BadRequest(FhirText.BodyNotUtf8);
        }
        return lines;
    }

    private static FhirException TooLarge(long limit) =>
        new(HttpStatusCode.RequestEntityTooLarge, OperationOutcome.IssueType.TooCostly, Text.Format(FhirText.BodyTooLarge, limit / 1024 / 1024));

    /// <summary>Writes a repository response: status, ETag, Last-Modified, Location, and the body as Prefer: return asks.</summary>
    public static IResult Write(HttpContext http, FhirResponse response, bool honourReturnPreference = false)
    {
        var headers = http.Response.Headers;
        if (response.ETag is not null) headers.ETag = response.ETag;
        if (response.LastModified is { } lm) headers.LastModified = lm.ToString("R");
        if (response.Location is not null) headers.Location = response.Location;

        string? body;
        var preference = honourReturnPreference ? Prefer(http, "return") : null;
        if (preference?.Equals("minimal", StringComparison.OrdinalIgnoreCase) == true)
            body = null;
        else if (preference?.Equals("OperationOutcome", StringComparison.OrdinalIgnoreCase) == true)
            body = FhirJson.Serialize(response.Outcome ?? Outcomes.Information($"Gelukt: HTTP {(int)response.Status}."));
        else if (response.Stored is { Deleted: false } stored)
            body = Shape(http, stored.Json);
        else
            body = response.Json ?? (response.Resource is null ? null : FhirJson.Serialize(response.Resource));

        return body is null
            ? Results.StatusCode((int)response.Status)
            : Results.Text(body, FhirJsonMediaType + "; charset=utf-8", Encoding.UTF8, (int)response.Status);
    }

    /// <summary>_summary and _elements on a single read.</summary>
    private static string Shape(HttpContext http, string json)
    {
        var q = http.Request.Query;
        var summary = q["_summary"].FirstOrDefault() switch
        {
            null or "" or "false" => SummaryType.False,
            "true" => SummaryType.True,
            "text" => SummaryType.Text,
            "data" => SummaryType.Data,
            var other => throw FhirException.BadRequest(ApiProblem.Text(ApiText.FhirSummaryUnsupported, other)),
        };
        var elements = q["_elements"].FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return FhirRepository.Shape(json, summary, elements);
    }

    public static IResult Error(HttpStatusCode status, OperationOutcome.IssueType code, string message) =>
        Results.Text(FhirJson.Serialize(Outcomes.Error(code, message)), FhirJsonMediaType + "; charset=utf-8", Encoding.UTF8, (int)status);
}
