using System.Globalization;

namespace Pgo.Portal.Hosting;

/// <summary>
/// The person's clock for everything shown on screen: the browser's time zone (read once per circuit through JS
/// <c>Intl</c>, see Routes.razor), Europe/Amsterdam when the browser does not say or names a zone this server does
/// not know. Never the server's own zone, never UTC. Dates are written in the person's language: Dutch by default
/// ("4 dec. 2026 14:30").
/// </summary>
public sealed class LocalTime
{
    /// <summary>The zone of the Dutch pilots: what every date falls back to.</summary>
    public static readonly TimeZoneInfo Amsterdam = Pgo.Shared.Text.DutchTime.Amsterdam;

    public TimeZoneInfo Zone { get; private set; } = Amsterdam;

    /// <summary>True once the browser was asked (Routes.razor renders the pages only after that).</summary>
    public bool Known { get; private set; }

    /// <summary>Takes the browser's IANA zone name; an unknown or empty name keeps Europe/Amsterdam.</summary>
    public void UseBrowserZone(string? iana)
    {
        Known = true;
        if (string.IsNullOrWhiteSpace(iana)) return;
        try { Zone = TimeZoneInfo.FindSystemTimeZoneById(iana); }
        catch (TimeZoneNotFoundException) { Zone = Amsterdam; }
        catch (InvalidTimeZoneException) { Zone = Amsterdam; }
    }

    /// <summary>The moment on the person's clock.</summary>
    public DateTimeOffset At(DateTimeOffset when) => TimeZoneInfo.ConvertTime(when, Zone);

    /// <summary>The value of a datetime-local input (the browser's own format, not text on screen), on the person's clock.</summary>
    public string? ToInput(DateTimeOffset? when) => when is { } w ? At(w).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : null;

    /// <summary>What a datetime-local input holds (a wall-clock time on the person's clock) as a moment.</summary>
    public DateTimeOffset? FromInput(string? value) =>
        System.DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall) ? Pgo.Shared.Text.DutchTime.FromWallClock(wall, Zone) : null;

    /// <summary>Today's date on the person's clock.</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(At(clock.GetUtcNow()).DateTime);

    public string Date(DateTimeOffset? when) => when is { } w ? At(w).ToString("d MMM yyyy", CultureInfo.CurrentCulture) : "";

    public string DateTime(DateTimeOffset? when) => when is { } w ? At(w).ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture) : "";

    /// <summary>Only the clock time ("14:30"), for the end of a span on the same day.</summary>
    public string Clock(DateTimeOffset? when) => when is { } w ? At(w).ToString("HH:mm", CultureInfo.CurrentCulture) : "";

    /// <summary>A calendar date without a time (a due date, a birth date): no zone to convert.</summary>
    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A FHIR date or dateTime as text ("2026-12-04" → "4 dec. 2026"; "2026-12" → "december 2026"; a dateTime
    /// with a time is a moment and goes through <see cref="DateTime(DateTimeOffset?)"/>).</summary>
    public string Day(string? fhirDate)
    {
        if (string.IsNullOrEmpty(fhirDate)) return "";
        if (fhirDate.Length <= 10 && DateOnly.TryParseExact(fhirDate, ["yyyy-MM-dd", "yyyy-MM", "yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToString(fhirDate.Length == 10 ? "d MMM yyyy" : fhirDate.Length == 7 ? "MMMM yyyy" : "yyyy", CultureInfo.CurrentCulture);
        return DateTimeOffset.TryParse(fhirDate, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? DateTime(at) : fhirDate;
    }
}
