using System.Globalization;
using Hl7.Fhir.Model;
using static Pgo.Fhir.Access.PgoCodes;

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
            problems.Add($"'{activity}' is geen activiteit van de cliëntondersteuner. Kies een van: {string.Join(", ", SupporterActivity.Display.Keys)}.");
        if (basic.Subject?.Reference is not { } subject || !subject.StartsWith("Patient/", StringComparison.Ordinal))
            problems.Add("Een tijdregistratie hoort bij een gezin: vul Basic.subject in met de cliënt (Patient).");
        if (string.IsNullOrWhiteSpace(basic.Author?.Reference))
            problems.Add("Een tijdregistratie heeft een ondersteuner nodig: vul Basic.author in.");
        var minutes = MinutesOf(basic);
        if (minutes is null)
            problems.Add($"Vul het aantal minuten in als hele minuten (extensie {DossierExtensions.TimeMinutes}, eenheid min).");
        else if (minutes <= 0)
            problems.Add("Het aantal minuten moet meer dan 0 zijn.");
        else if (minutes > MaxMinutes)
            problems.Add($"{minutes} minuten is meer dan {MaxMinutes / 60} uur op één dag. Verdeel de tijd over meer registraties of controleer het getal.");
        if (DateOf(basic) is not { } date)
            problems.Add("Vul de datum van de activiteit in (Basic.created, jjjj-mm-dd).");
        else if (date > today)
            problems.Add($"De datum {date:yyyy-MM-dd} ligt in de toekomst. Registreer tijd pas na de activiteit.");
        if (NoteOf(basic) is { } note)
        {
            if (note.Length > MaxNoteLength) problems.Add($"De notitie is te lang: houd het bij {MaxNoteLength} tekens.");
            if (MarkdownSafety.Problem(note) is { } problem) problems.Add($"De notitie bevat {problem}. HTML en scripts zijn niet toegestaan.");
        }
        return problems;
    }

    /// <summary>Today in the Netherlands, where the families and supporters live.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        try
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        }
        catch (TimeZoneNotFoundException)
        {
            return DateOnly.FromDateTime(now.UtcDateTime);
        }
    }
}
