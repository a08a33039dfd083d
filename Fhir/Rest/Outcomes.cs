using Hl7.Fhir.Model;

namespace Pgo.Fhir.Rest;

/// <summary>OperationOutcome construction in one place, so every error looks the same.</summary>
public static class Outcomes
{
    public static OperationOutcome From(FhirException e) => Error(e.Code, e.Message);

    public static OperationOutcome Error(OperationOutcome.IssueType code, string message) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = message }],
    };

    public static OperationOutcome Warnings(IEnumerable<string> messages) => new()
    {
        Issue = messages.Select(m => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Warning,
            Code = OperationOutcome.IssueType.NotSupported,
            Diagnostics = m,
        }).ToList(),
    };

    public static OperationOutcome Information(string message) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational, Diagnostics = message }],
    };
}
