using System.Net;
using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir.Audit;

namespace Pgo.Api.Audit;

/// <summary>
/// Every /fhir and /api request answers only after its audit entries are committed (NEN 7513: every access logged).
/// The handler runs, its result waits (not yet sent), the audit batch it joined commits, then the result goes out.
/// When the audit cannot be written the caller gets 503 instead of the data; the entries stay queued and are
/// written when the database is back. Writes log inside their own transaction and pass straight through.
/// </summary>
public static class AuditReceiptFilter
{
    private static string Unavailable => ApiText.AuditUnavailable;

    public static async ValueTask<object?> WaitForAuditAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var receipt = AuditReceipt.Open();
        var result = await next(context);
        var http = context.HttpContext;
        var wait = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<AuditOptions>().WaitSeconds);
        if (await receipt.WaitAsync(wait, http.RequestAborted)) return result;
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditReceiptFilter))
            .LogError("Audit entries of {Method} {Path} not written in time; answered 503", http.Request.Method, http.Request.Path);
        return http.Request.Path.StartsWithSegments("/fhir")
            ? FhirHttp.Error(HttpStatusCode.ServiceUnavailable, OperationOutcome.IssueType.Transient, Unavailable)
            : TypedResults.Problem(title: ApiText.Title503, detail: Unavailable, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
