namespace Pgo.Shared.Text;

/// <summary>
/// The clock people read: Europe/Amsterdam. Every date a person sees (a screen, a handover, a CSV, a mail) is on this
/// clock or the browser's own zone, never the server's zone and never UTC (BannedSymbols.txt bans ToLocalTime and
/// TimeZoneInfo.Local in product code, which would give the server's).
/// </summary>
public static class DutchTime
{
    public static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>The moment on the Dutch clock (summer and winter time included).</summary>
    public static DateTimeOffset At(DateTimeOffset when) => TimeZoneInfo.ConvertTime(when, Amsterdam);

    /// <summary>Today's date on the Dutch clock.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(At(now).DateTime);

    /// <summary>A wall-clock time in <paramref name="zone"/> as a moment (the offset that zone had then).</summary>
    public static DateTimeOffset FromWallClock(DateTime wall, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        // A time skipped by the spring change does not exist; take the hour after, as a clock on the wall would.
        if (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
