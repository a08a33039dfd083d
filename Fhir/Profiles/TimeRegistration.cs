using System.Globalization;
using Hl7.Fhir.Model;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// A supporter's time registration (section tijd, docs/adr/0005-dossier-mapping.md): a <c>Basic</c> whose <c>code</c> is
/// one of the 18 activities (<c>ondersteuningsactiviteit</c>), <c>subject</c> the client, <c>author</c> the supporter,
/// <c>created</c> the day, the minutes in extension <c>time-minutes</c> (Duration, UCUM min) and an optional note in
/// <c>time-note</c>. Other <c>Basic</c> resources are not time registrations and are left alone.
/// </summary>
public static class TimeRegistration
{
    /// <summary>One registration at most a working day long: more is almost certainly a typo (minutes for hours).</summary>
    public const int MaxMinutes = 12 * 60;

    public const int MaxNoteLength = 500;

    public static bool IsTimeEntry(Basic basic) => basic.Code?.Coding.Any(c => c.System == SupporterActivity.System) == true;

    public static Basic New(string patientId, string author, string? authorName, string activity, DateOnly date, int minutes, string? note, string? id = null)
    {
        var basic = new Basic
        {
            Id = id,
            Code = new CodeableConcept(SupporterActivity.System, activity, SupporterActivity.Display.GetValueOrDefault(activity), null),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Author = new ResourceReference(author, authorName),
            CreatedElement = new Date(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Extension = [new Extension(DossierExtensions.TimeMinutes, new Duration { Value = minutes, Unit = "min", System = "http://unitsofmeasure.org", Code = "min" })],
        };
        if (!string.IsNullOrWhiteSpace(note)) basic.Extension.Add(new Extension(DossierExtensions.TimeNote, new FhirString(note.Trim())));
        return basic;
    }

    public static string? ActivityOf(Basic basic) => basic.Code?.Coding.FirstOrDefault(c => c.System == SupporterActivity.System)?.Code;

    /// <summary>The minutes, or null when missing or not whole minutes.</summary>
    public static int? MinutesOf(Basic basic) =>
        basic.GetExtensionValue<Duration>(DossierExtensions.TimeMinutes) is { Value: { } v } d && (d.Code ?? d.Unit) == "min" && v == decimal.Truncate(v)
            && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;

    public static string? NoteOf(Basic basic) => basic.GetExtensionValue<FhirString>(DossierExtensions.TimeNote)?.Value;

    public static DateOnly? DateOf(Basic basic) =>
        DateOnly.TryParseExact(basic.Created, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The problems of a time registration, in Dutch; <paramref name="today"/> is the family's today (Dutch time).</summary>
    public static IReadOnlyList<string> Check(Basic basic, DateOnly today)
    {
        var problems = new List<string>();
        var activity = ActivityOf(basic);
        if (!SupporterActivity.IsKnown(activity))
            problems.Add(Text.Format(FhirText.TimeUnknownActivity, activity, string.Join(", ", SupporterActivity.Display.Keys)));
        if (basic.Subject?.Reference is not { } subject || !subject.StartsWith("Patient/", StringComparison.Ordinal))
            problems.Add(FhirText.TimeNeedsFamily);
        if (string.IsNullOrWhiteSpace(basic.Author?.Reference))
            problems.Add(FhirText.TimeNeedsSupporter);
        var minutes = MinutesOf(basic);
        if (minutes is null)
            problems.Add(Text.Format(FhirText.TimeWholeMinutes, DossierExtensions.TimeMinutes));
        else if (minutes <= 0)
            problems.Add(FhirText.TimeMinutesPositive);
        else if (minutes > MaxMinutes)
            problems.Add(Text.Format(FhirText.TimeTooManyMinutes, minutes, MaxMinutes / 60));
        if (DateOf(basic) is not { } date)
            problems.Add(FhirText.TimeNeedsDate);
        else if (date > today)
            problems.Add(Text.Format(FhirText.TimeInFuture, date));
        if (NoteOf(basic) is { } note)
        {
            if (note.Length > MaxNoteLength) problems.Add(Text.Format(FhirText.TimeNoteTooLong, MaxNoteLength));
            if (MarkdownSafety.Problem(note) is { } problem) problems.Add(Text.Format(FhirText.TimeNoteUnsafe, problem));
        }
        return problems;
    }

    /// <summary>Today in the Netherlands, where the families and supporters live.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        try
        {
            return Pgo.Shared.Text.DutchTime.Today(now);
        }
        catch (TimeZoneNotFoundException)
        {
            return DateOnly.FromDateTime(now.UtcDateTime);
        }
    }
}
