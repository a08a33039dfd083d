using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;
using Pgo.Shared.Codes;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// A change of the intensity of support (issue 20, section plan, docs/adr/0005-dossier-mapping.md): a <c>Basic</c> whose
/// <c>code</c> is the new intensity (<see cref="SupportIntensity.System"/>), <c>subject</c> the client, <c>created</c> the
/// day it took effect (not in the future), <c>author</c> who set it, and the extensions of <see cref="IntensityChanges"/>:
/// where it came from, why, agreed with the family (required, true) and, for waakvlam only, the contact rhythm in weeks.
/// The history is every change of a dossier; the newest by effective date is the current intensity and its "sinds".
/// </summary>
public static class IntensityChange
{
    public static bool IsChange(Basic basic) => basic.Code?.Coding.Any(c => c.System == SupportIntensity.System) == true;

    public static string? ToOf(Basic b) => b.Code?.Coding.FirstOrDefault(c => c.System == SupportIntensity.System)?.Code;
    public static string? FromOf(Basic b) => b.GetExtensionValue<Coding>(IntensityChanges.From)?.Code;
    public static string? ReasonOf(Basic b) => b.GetExtensionValue<FhirString>(IntensityChanges.Reason)?.Value;
    public static bool AgreedOf(Basic b) => b.GetExtensionValue<FhirBoolean>(IntensityChanges.AgreedWithFamily)?.Value == true;
    public static int? RhythmWeeksOf(Basic b) => b.GetExtensionValue<PositiveInt>(IntensityChanges.RhythmWeeks)?.Value;

    public static DateOnly? EffectiveOf(Basic b) =>
        b.Created is { Length: 10 } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static Basic New(string patientId, string author, string? authorName, string to, string? from, DateOnly effective, string reason,
        bool agreed, int? rhythmWeeks, string? id = null)
    {
        var basic = new Basic
        {
            Id = id,
            Code = new CodeableConcept(SupportIntensity.System, to, SupportIntensity.Display.GetValueOrDefault(to), null),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Author = new ResourceReference(author, authorName),
            CreatedElement = new Date(effective.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        };
        if (from is { Length: > 0 })
            basic.Extension.Add(new Extension(IntensityChanges.From, new Coding(SupportIntensity.System, from, SupportIntensity.Display.GetValueOrDefault(from))));
        basic.Extension.Add(new Extension(IntensityChanges.Reason, new FhirString(reason.Trim())));
        basic.Extension.Add(new Extension(IntensityChanges.AgreedWithFamily, new FhirBoolean(agreed)));
        if (rhythmWeeks is { } w) basic.Extension.Add(new Extension(IntensityChanges.RhythmWeeks, new PositiveInt(w)));
        return basic;
    }

    /// <summary>The newest change: the latest effective date; on the same day the one stored last.</summary>
    public static Basic? Current(IEnumerable<Basic> changes) => History(changes).FirstOrDefault();

    /// <summary>The changes newest first (effective date, then the moment stored).</summary>
    public static List<Basic> History(IEnumerable<Basic> changes) => changes.Where(c => IsChange(c) && EffectiveOf(c) is not null)
        .OrderByDescending(c => EffectiveOf(c)).ThenByDescending(c => c.Meta?.LastUpdated).ThenByDescending(c => c.Id, StringComparer.Ordinal).ToList();

    /// <summary>The problems of a change, in Dutch; <paramref name="today"/> is the family's today (Dutch time).</summary>
    public static IReadOnlyList<string> Check(Basic basic, DateOnly today)
    {
        var problems = new List<string>();
        var to = ToOf(basic);
        var known = string.Join(", ", SupportIntensity.Display.Keys);
        if (to is null || !SupportIntensity.Display.ContainsKey(to)) problems.Add(Text.Format(FhirText.IntensityUnknown, to, known));
        if (basic.Extension.Any(e => e.Url == IntensityChanges.From) && (FromOf(basic) is not { } from || !SupportIntensity.Display.ContainsKey(from)))
            problems.Add(Text.Format(FhirText.IntensityUnknown, FromOf(basic), known));
        if (basic.Subject?.Reference is not { } subject || !subject.StartsWith("Patient/", StringComparison.Ordinal))
            problems.Add(FhirText.IntensityNeedsFamily);
        if (string.IsNullOrWhiteSpace(basic.Author?.Reference)) problems.Add(FhirText.IntensityNeedsAuthor);
        if (EffectiveOf(basic) is not { } date) problems.Add(FhirText.IntensityNeedsDate);
        else if (date > today) problems.Add(Text.Format(FhirText.IntensityInFuture, date));
        var reason = ReasonOf(basic);
        if (string.IsNullOrWhiteSpace(reason)) problems.Add(FhirText.IntensityNeedsReason);
        else
        {
            if (reason.Length > IntensityChanges.MaxReasonLength) problems.Add(Text.Format(FhirText.IntensityReasonTooLong, IntensityChanges.MaxReasonLength));
            if (MarkdownSafety.Problem(reason) is { } unsafeText) problems.Add(Text.Format(FhirText.IntensityReasonUnsafe, unsafeText));
        }
        if (!AgreedOf(basic)) problems.Add(FhirText.IntensityNotAgreed);
        if (basic.Extension.Any(e => e.Url == IntensityChanges.RhythmWeeks))
        {
            if (!IntensityChanges.HasRhythm(to)) problems.Add(FhirText.IntensityRhythmOnlyWaakvlam);
            else if (RhythmWeeksOf(basic) is not (>= IntensityChanges.MinRhythmWeeks and <= IntensityChanges.MaxRhythmWeeks))
                problems.Add(Text.Format(FhirText.IntensityRhythmRange, IntensityChanges.MinRhythmWeeks, IntensityChanges.MaxRhythmWeeks));
        }
        return problems;
    }
}
