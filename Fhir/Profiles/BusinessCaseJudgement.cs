using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;
using Pgo.Shared.Codes;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// A judgement of one business-case item for a family (issue 21; the mapping in <see cref="BusinessCaseJudgements"/>,
/// docs/adr/0005-dossier-mapping.md): stored in section gebeurtenissen, so the same consent that shows a family's events
/// shows (and lets write) its judgements.
/// </summary>
public static class BusinessCaseJudgement
{
    public static bool IsJudgement(Basic basic) => basic.Code?.Coding.Any(c => c.System == BusinessCaseJudgements.System) == true;

    public static string? JudgementOf(Basic b) => b.Code?.Coding.FirstOrDefault(c => c.System == BusinessCaseJudgements.System)?.Code;
    public static string? ItemOf(Basic b) => b.GetExtensionValue<FhirString>(BusinessCaseJudgements.Item)?.Value;
    public static string? ModelOf(Basic b) => b.GetExtensionValue<FhirString>(BusinessCaseJudgements.Model)?.Value;
    public static int? ModelVersionOf(Basic b) => b.GetExtensionValue<PositiveInt>(BusinessCaseJudgements.ModelVersion)?.Value;
    public static int? FamilyTypeOf(Basic b) => b.GetExtensionValue<PositiveInt>(BusinessCaseJudgements.FamilyType)?.Value;
    public static string? ReasonOf(Basic b) => b.GetExtensionValue<FhirString>(BusinessCaseJudgements.Reason)?.Value;
    public static DateOnly? DateOf(Basic b) =>
        b.Created is { Length: 10 } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static Basic New(string patientId, string? author, string? authorName, string judgement, string item, string model, int version,
        int familyType, string? reason, DateOnly date, string? id = null)
    {
        var basic = new Basic
        {
            Id = id,
            Code = new CodeableConcept(BusinessCaseJudgements.System, judgement, BusinessCaseJudgements.Display.GetValueOrDefault(judgement), null),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Author = author is null ? null : new ResourceReference(author, authorName),
            CreatedElement = new Date(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Extension =
            [
                new Extension(BusinessCaseJudgements.Item, new FhirString(item)),
                new Extension(BusinessCaseJudgements.Model, new FhirString(model)),
                new Extension(BusinessCaseJudgements.ModelVersion, new PositiveInt(version)),
                new Extension(BusinessCaseJudgements.FamilyType, new PositiveInt(familyType)),
            ],
        };
        if (!string.IsNullOrWhiteSpace(reason)) basic.Extension.Add(new Extension(BusinessCaseJudgements.Reason, new FhirString(reason.Trim())));
        return basic;
    }

    /// <summary>The newest judgements first (the day judged, then the moment stored).</summary>
    public static List<Basic> Newest(IEnumerable<Basic> judgements) => judgements.Where(IsJudgement)
        .OrderByDescending(DateOf).ThenByDescending(b => b.Meta?.LastUpdated).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();

    /// <summary>The problems of a judgement, in Dutch. That the item exists in the model is checked by the API (the model is
    /// project data); here the shape: a known judgement, a family, a date not in the future, an item, model and gezinstype,
    /// and a reason for "voorkomen".</summary>
    public static IReadOnlyList<string> Check(Basic basic, DateOnly today)
    {
        var problems = new List<string>();
        var judgement = JudgementOf(basic);
        if (judgement is null || !BusinessCaseJudgements.Display.ContainsKey(judgement))
            problems.Add(Text.Format(FhirText.JudgementUnknown, judgement, string.Join(", ", BusinessCaseJudgements.Display.Keys)));
        if (basic.Subject?.Reference is not { } subject || !subject.StartsWith("Patient/", StringComparison.Ordinal))
            problems.Add(FhirText.JudgementNeedsFamily);
        if (DateOf(basic) is not { } date || date > today) problems.Add(FhirText.JudgementDate);
        if (ItemOf(basic) is not { Length: > 0 and <= BusinessCaseJudgements.MaxItemLength } || ModelOf(basic) is not { Length: > 0 }
            || ModelVersionOf(basic) is null || FamilyTypeOf(basic) is null)
            problems.Add(FhirText.JudgementNeedsItem);
        var reason = ReasonOf(basic)?.Trim();
        if (judgement == BusinessCaseJudgements.Voorkomen && (reason is null || reason.Length < BusinessCaseJudgements.MinReasonLength))
            problems.Add(FhirText.JudgementNeedsReason);
        if (reason is { Length: > BusinessCaseJudgements.MaxReasonLength })
            problems.Add(Text.Format(FhirText.JudgementReasonTooLong, BusinessCaseJudgements.MaxReasonLength));
        else if (reason is not null && MarkdownSafety.Problem(reason) is { } unsafeText)
            problems.Add(Text.Format(FhirText.EventDescriptionUnsafe, unsafeText));
        return problems;
    }
}
