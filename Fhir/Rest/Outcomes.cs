using Hl7.Fhir.Model;

namespace Pgo.Fhir.Rest;

/// <summary>OperationOutcome construction in one place, so every error looks the same.</summary>
public static class Outcomes
{
    public static OperationOutcome From(FhirException e) => Error(e.Code, e.Message);

    public static OperationOutcome Error(OperationOutcome.IssueType code, string message) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = Clean(message) }],
    };

    public static OperationOutcome Warnings(IEnumerable<string> messages) => new()
    {
        Issue = messages.Select(m => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Warning,
            Code = OperationOutcome.IssueType.NotSupported,
            Diagnostics = Clean(m),
        }).ToList(),
    };

    public static OperationOutcome Information(string message) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational, Diagnostics = Clean(message) }],
    };

    /// <summary>
    /// A diagnostic quotes what the client sent; a control character in it (an id '%01', a parameter '%00') would make the
    /// outcome itself invalid FHIR, which a strict client cannot read. Shown as '?'.
    /// </summary>
    private static string Clean(string message) =>
        message.Any(c => c < ' ' && c is not '\t' and not '\r' and not '\n')
            ? new string([.. message.Select(c => c < ' ' && c is not '\t' and not '\r' and not '\n' ? '?' : c)])
            : message;
}
