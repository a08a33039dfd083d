using System.Globalization;
using Pgo.Api.Errors;
using Pgo.Fhir.Profiles;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Practice;

/// <summary>
/// The rules of the supporter's time (issue 20), in one place and free of storage and HTTP, so that the rule tests prove
/// them: what an entry may hold, who may change it and until when, and what a correction must satisfy. Each check answers
/// the Dutch (or English) problem for the user, or null when there is none. Who may write time for a family at all is
/// decided elsewhere, by <c>DossierOperations.RegisterTime</c> on the caller's compiled scope.
/// </summary>
public static class TimeRules
{
    /// <summary>One entry at most 16 hours: more is almost certainly a typo (minutes for hours).</summary>
    public const int MaxMinutes = 960;

    public const int MaxNoteLength = 500;

    public const int MaxReasonLength = 500;

    /// <summary>The problem with a new entry or an author's edit, or null.</summary>
    /// <param name="forFamily">Whether the entry names a family.</param>
    public static string? CheckEntry(string? activity, bool forFamily, DateOnly date, int minutes, string? note, DateOnly today)
    {
        if (!SupporterActivity.IsKnown(activity))
            return ApiProblem.Text(ApiText.TimeUnknownActivity, string.Join(", ", SupporterActivity.Display.Keys));
        var name = SupporterActivity.Display[activity!];
        if (forFamily && SupporterActivity.IsOutsideFamily(activity)) return ApiProblem.Text(ApiText.TimeOutsideActivityNoFamily, name);
        if (!forFamily && !SupporterActivity.IsOutsideFamily(activity)) return ApiProblem.Text(ApiText.TimeFamilyActivityNeedsFamily, name);
        if (minutes is < 1 or > MaxMinutes) return ApiProblem.Text(ApiText.TimeMinutesRange, MaxMinutes, MaxMinutes / 60);
        if (date > today) return ApiProblem.Text(ApiText.TimeInFuture, date.ToString("d MMMM yyyy", Dutch));
        return CheckNote(note);
    }

    public static string? CheckNote(string? note)
    {
        if (note is null) return null;
        if (note.Length > MaxNoteLength) return ApiProblem.Text(ApiText.TimeNoteTooLong, MaxNoteLength);
        return MarkdownSafety.Problem(note) is { } problem ? ApiProblem.Text(ApiText.TimeNoteUnsafe, problem) : null;
    }

    /// <summary>Whether <paramref name="callerKey"/> is the author of the entry: nobody else changes or corrects it.</summary>
    public static bool IsAuthor(string entryAuthor, string callerKey) => string.Equals(entryAuthor, callerKey, StringComparison.Ordinal);

    /// <summary>The moment up to which the author may change an entry recorded at <paramref name="created"/>.</summary>
    public static DateTimeOffset EditableUntil(DateTimeOffset created, int editDays) => created.AddDays(editDays);

    /// <summary>Whether the author may still change an entry: within the edit period, and never a correction (a correction
    /// is itself corrected by a new correction of the original).</summary>
    public static bool MayEdit(DateTimeOffset created, bool isCorrection, DateTimeOffset now, int editDays) =>
        !isCorrection && now <= EditableUntil(created, editDays);

    /// <summary>The problem with a correction of an entry whose minutes after its earlier corrections are
    /// <paramref name="currentTotal"/>, or null. A correction of a correction is refused; the total never goes below 0.</summary>
    public static string? CheckCorrection(bool correctsACorrection, int currentTotal, int minutes, string? reason, string? note)
    {
        if (correctsACorrection) return ApiText.TimeCorrectionOfCorrection;
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 3 || reason.Trim().Length > MaxReasonLength)
            return ApiProblem.Text(ApiText.TimeCorrectionReason, MaxReasonLength);
        if (MarkdownSafety.Problem(reason) is { } problem) return ApiProblem.Text(ApiText.TimeNoteUnsafe, problem);
        if (minutes == 0 || minutes is < -MaxMinutes or > MaxMinutes) return ApiProblem.Text(ApiText.TimeCorrectionMinutes, MaxMinutes);
        if (currentTotal + minutes < 0) return ApiProblem.Text(ApiText.TimeCorrectionBelowZero, currentTotal + minutes);
        return CheckNote(note);
    }

    /// <summary>The problem with an edit that would bring an entry with corrections below 0 (its own minutes plus the
    /// corrections already made), or null.</summary>
    public static string? CheckEditTotal(int newMinutes, int correctionsSum) =>
        newMinutes + correctionsSum < 0 ? ApiProblem.Text(ApiText.TimeCorrectionBelowZero, newMinutes + correctionsSum) : null;

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
}
