using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Rest;

/// <summary>One FHIR request as the repository sees it: who asks, the base URL for links, and
/// whether unknown search parameters are an error (Prefer: handling=strict) or a warning.</summary>
public sealed record FhirContext(CallerContext Caller, string BaseUrl, bool StrictHandling = false)
{
    public string BaseUrl { get; } = BaseUrl.TrimEnd('/');

    /// <summary>The request's id (for the audit log).</summary>
    public string? RequestId { get; init; }

    /// <summary>Set inside a Bundle ("transaction" or "batch"): the audit log records "transaction:create" etc.</summary>
    public string? Via { get; init; }
}

/// <summary>
/// What an interaction produced, transport-neutral. The body is one of: a stored resource (its JSON is
/// sent as stored, the fast path), a POCO, or pre-rendered JSON (bundles).
/// </summary>
public sealed class FhirResponse
{
    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;
    public StoredResource? Stored { get; init; }
    public Resource? Resource { get; init; }
    public string? Json { get; init; }
    public string? Location { get; init; }
    public string? ETag { get; init; }
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Informational issues (e.g. ignored search parameters) for Prefer: return=OperationOutcome.</summary>
    public OperationOutcome? Outcome { get; init; }

    public static FhirResponse For(StoredResource stored, HttpStatusCode status, string? location = null) => new()
    {
        Status = status,
        Stored = stored,
        ETag = stored.ETag,
        LastModified = stored.LastUpdated,
        Location = location,
    };
}
