using System.Net;
using System.Text.Json;

namespace Pgo.Portal.Api;

/// <summary>The Api or Identity said no. <see cref="Title"/> and <see cref="Detail"/> are Dutch, ready to show.</summary>
public sealed class ApiException(HttpStatusCode status, string title, string detail, string? body = null) : Exception($"{(int)status} {title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    /// <summary>The raw answer, for callers that need more than the message (the team-space guard's findings).</summary>
    public string? Body { get; } = body;

    public bool IsConflict => Status is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed;

    /// <summary>Reads a ProblemDetails (under /api) or an OperationOutcome (under /fhir); anything else gets a plain Dutch sentence.</summary>
    public static ApiException From(HttpStatusCode status, string body)
    {
        string? title = null, detail = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("resourceType", out var rt) && rt.GetString() == "OperationOutcome" && root.TryGetProperty("issue", out var issues))
                detail = string.Join(" ", issues.EnumerateArray().Select(i =>
                    i.TryGetProperty("diagnostics", out var d) ? d.GetString() : i.TryGetProperty("details", out var t) && t.TryGetProperty("text", out var x) ? x.GetString() : null)
                    .OfType<string>());
            else
            {
                if (root.TryGetProperty("title", out var t)) title = t.GetString();
                if (root.TryGetProperty("detail", out var d)) detail = d.GetString();
                if (detail is null && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                    detail = string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(v => v.GetString())).OfType<string>());
            }
        }
        catch (JsonException) { }
        return new ApiException(status, title ?? DefaultTitle(status), string.IsNullOrWhiteSpace(detail) ? DefaultDetail(status) : detail, body);
    }

    private static string DefaultTitle(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "Niet gevonden",
        HttpStatusCode.Forbidden => "Geen toegang",
        HttpStatusCode.Unauthorized => "Opnieuw aanmelden",
        HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => "Intussen gewijzigd",
        _ when (int)status >= 500 => "Er ging iets mis",
        _ => "Niet opgeslagen",
    };

    private static string DefaultDetail(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "Dit bestaat niet (meer), of u heeft er geen toegang toe.",
        HttpStatusCode.Forbidden => "U heeft hier geen toegang toe.",
        HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => "Iemand anders heeft dit intussen gewijzigd. Laad opnieuw; uw tekst blijft staan.",
        _ when (int)status >= 500 => "De dienst gaf een fout. Probeer het over een minuut nog eens; uw tekst blijft staan.",
        _ => "Controleer wat u heeft ingevuld en probeer het opnieuw.",
    };

    public static ApiException Unreachable() =>
        new(HttpStatusCode.ServiceUnavailable, "Geen verbinding", "De dienst is nu niet bereikbaar. Probeer het zo nog eens; uw tekst blijft staan.");
}

/// <summary>The person's session has ended (signed out elsewhere, refresh refused): sign in again.</summary>
public sealed class SignInRequiredException() : Exception("Sign in again.");
