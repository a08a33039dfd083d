using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Caseload;

/// <summary>Settings of intensity over time (section <c>Pgo:Intensity</c>; docs/settings.md).</summary>
public sealed class IntensityOptions
{
    public const string Section = "Pgo:Intensity";

    /// <summary>The waakvlam contact rhythm in weeks unless the supporter chose one for the family (1 to 52; default 6).</summary>
    public int WaakvlamRhythmWeeks { get; set; } = IntensityChanges.DefaultRhythmWeeks;
}

/// <summary>
/// Intensity over time (issue 20): pure functions of a family's intensity changes, its plan, its last contact and its events
/// on a given day (Dutch calendar), no database and no clock, so the caseload, the intensity API and the schedule's
/// "contact nodig" never disagree.
/// </summary>
public static class IntensityRules
{
    /// <summary>The day contact is due: the rhythm counted from the last contact, or from the day waakvlam began when there
    /// was no contact since. Contact is needed from that day on (exactly after the rhythm, not before).</summary>
    public static DateOnly ContactDue(DateOnly since, DateOnly? lastContact, int rhythmWeeks) =>
        (lastContact is { } c && c > since ? c : since).AddDays(7 * rhythmWeeks);

    public static bool ContactNeeded(DateOnly due, DateOnly today) => today >= due;

    /// <summary>The rhythm of a change to waakvlam: its own, or the setting's default; null for any other intensity.</summary>
    public static int? RhythmOf(Basic? change, string? intensity, int defaultWeeks) =>
        IntensityChanges.HasRhythm(intensity) ? (change is not null ? IntensityChange.RhythmWeeksOf(change) : null) ?? defaultWeeks : null;

    /// <summary>The newest trigger event on or after <paramref name="since"/> (the day the family went to waakvlam or afschalen).</summary>
    public static Basic? TriggerSince(IEnumerable<Basic> events, DateOnly since) => events
        .Where(e => CountableEvent.IsEvent(e) && CountableEvent.TypeOf(e) is { } t && IntensityChanges.TriggerTypes.Contains(t)
            && CountableEvent.DateOf(e) is { } d && d >= since)
        .OrderByDescending(CountableEvent.DateOf).ThenBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Where the family stands on <paramref name="today"/>. Without any recorded change the active plan's category
    /// and its start stand in (the data before issue 20).</summary>
    public static IntensityStatus Status(IReadOnlyList<Basic> changes, PlanView? plan, DateOnly? lastContact, IEnumerable<Basic>? events,
        DateOnly today, int defaultRhythmWeeks)
    {
        var current = IntensityChange.Current(changes);
        var intensity = current is not null ? IntensityChange.ToOf(current) : plan?.Intensity;
        var since = current is not null ? IntensityChange.EffectiveOf(current) : DayOf(plan?.Start);
        var rhythm = RhythmOf(current, intensity, defaultRhythmWeeks);
        string? due = null;
        var needed = false;
        if (rhythm is { } weeks && since is { } s)
        {
            var day = ContactDue(s, lastContact, weeks);
            due = Iso(day);
            needed = ContactNeeded(day, today);
        }
        IntensityTrigger? trigger = null;
        if (IntensityChanges.WatchesTriggers(intensity) && since is { } from && events is not null && TriggerSince(events, from) is { } e)
        {
            var type = CountableEvent.TypeOf(e)!;
            trigger = new IntensityTrigger(e.Id!, type, EventCodes.TypeDisplay.GetValueOrDefault(type, type), Iso(CountableEvent.DateOf(e)!.Value));
        }
        return new IntensityStatus(intensity, Name(intensity), since is { } d ? Iso(d) : null, rhythm, lastContact is { } lc ? Iso(lc) : null, due, needed, trigger);
    }

    public static IntensityChangeView View(Basic b)
    {
        var to = IntensityChange.ToOf(b) ?? "";
        var from = IntensityChange.FromOf(b);
        return new IntensityChangeView(b.Id!, to, Name(to) ?? to, from, Name(from), Iso(IntensityChange.EffectiveOf(b)!.Value),
            b.Author?.Display, IntensityChange.ReasonOf(b) ?? "", IntensityChange.AgreedOf(b), IntensityChange.RhythmWeeksOf(b));
    }

    /// <summary>The day of a logbook note: its own date (the contact), else when it was stored; Dutch calendar.</summary>
    public static DateOnly? ContactDayOf(DocumentReference note) =>
        note.Date is { } date ? Pgo.Shared.Text.DutchTime.Today(date) : note.Meta?.LastUpdated is { } at ? Pgo.Shared.Text.DutchTime.Today(at) : null;

    public static string? Name(string? intensity) => intensity is not null && SupportIntensity.Display.TryGetValue(intensity, out var n) ? n : null;

    private static DateOnly? DayOf(string? fhirDate) =>
        fhirDate is { Length: >= 10 } && DateOnly.TryParseExact(fhirDate[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
