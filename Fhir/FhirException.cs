using System.Net;
using Hl7.Fhir.Model;

namespace Pgo.Fhir;

/// <summary>
/// A request the repository refuses, with the HTTP status and the OperationOutcome issue to send.
/// Thrown before anything is stored; the REST layer turns it into an OperationOutcome response.
/// Messages never reveal whether a resource the caller may not see exists.
/// </summary>
public sealed class FhirException(HttpStatusCode status, OperationOutcome.IssueType code, string message)
    : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
    public OperationOutcome.IssueType Code { get; } = code;

    public static FhirException BadRequest(string message) => new(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, message);
    public static FhirException NotFound(string message) => new(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, message);
    public static FhirException Gone(string message) => new(HttpStatusCode.Gone, OperationOutcome.IssueType.Deleted, message);
    public static FhirException Conflict(string message) => new(HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict, message);
    public static FhirException PreconditionFailed(string message) => new(HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.Conflict, message);
    public static FhirException Unprocessable(string message) => new(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.Processing, message);
    public static FhirException NotSupported(string message) => new(HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported, message);
    /// <summary>The database connection broke while committing: the write may or may not be stored (503, retry-safe only after checking).</summary>
    public static FhirException OutcomeUnknown() => new(HttpStatusCode.ServiceUnavailable, OperationOutcome.IssueType.Transient,
        Messages.FhirText.OutcomeUnknown);
    public static FhirException Forbidden(string message) => new(HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden, message);
}
