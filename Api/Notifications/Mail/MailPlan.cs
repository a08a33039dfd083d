using System.Globalization;
using Pgo.Shared.Text;

namespace Pgo.Api.Notifications.Mail;

/// <summary>What a person chose for mail about one kind of notification.</summary>
public static class MailChoice
{
    /// <summary>A mail of its own, as soon as quiet hours and the daily maximum allow.</summary>
    public const string Direct = "direct";

    /// <summary>In the daily digest.</summary>
    public const string Daily = "dagelijks";

    /// <summary>No mail (the bell in the Portal still shows it).</summary>
    public const string Off = "uit";

    public static readonly IReadOnlyList<string> All = [Direct, Daily, Off];

    public static bool IsKnown(string? choice) => choice is Direct or Daily or Off;
}

/// <summary>
/// A person's mail rhythm, on the Dutch clock: quiet hours (a direct mail waits until they end; from == until means
/// none), the maximum number of direct mails a day (more go to the digest) and the time of the daily digest.
/// </summary>
public sealed record MailRhythm(TimeOnly QuietFrom, TimeOnly QuietUntil, int MaxPerDay, TimeOnly DigestAt)
{
    public static readonly MailRhythm Default = new(new TimeOnly(21, 0), new TimeOnly(8, 0), 6, new TimeOnly(8, 0));

    public const int MaxPerDayLimit = 50;

    public static string Format(TimeOnly time) => time.ToString("HH\\:mm", CultureInfo.InvariantCulture);

    /// <summary>"HH:mm" (24 hours, minutes), as the account page sends it; null when it is not.</summary>
    public static TimeOnly? Parse(string? text) =>
        text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH\\:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : null;
}

/// <summary>Where a notification's mail goes.</summary>
public enum MailRoute
{
    /// <summary>No mail.</summary>
    None,

    /// <summary>A mail of its own at <see cref="MailDecision.SendAt"/>.</summary>
    Direct,

    /// <summary>In the next daily digest.</summary>
    Digest,
}

public sealed record MailDecision(MailRoute Route, DateTimeOffset? SendAt = null)
{
    public static readonly MailDecision None = new(MailRoute.None);
    public static readonly MailDecision Digest = new(MailRoute.Digest);
}

/// <summary>
/// The pure rules of when mail goes out: no clock, no store. Given a person's choice and rhythm, the moment and how many
/// direct mails are already planned on a day, it says what happens. Days and hours are Europe/Amsterdam's.
/// </summary>
public static class MailPlan
{
    /// <summary>Whether <paramref name="when"/> falls in the quiet hours (which may run past midnight).</summary>
    public static bool InQuietHours(MailRhythm rhythm, DateTimeOffset when)
    {
        if (rhythm.QuietFrom == rhythm.QuietUntil) return false;
        var time = TimeOnly.FromDateTime(DutchTime.At(when).DateTime);
        return rhythm.QuietFrom < rhythm.QuietUntil
            ? time >= rhythm.QuietFrom && time < rhythm.QuietUntil
            : time >= rhythm.QuietFrom || time < rhythm.QuietUntil;
    }

    /// <summary><paramref name="when"/> itself outside quiet hours; inside them, the moment they end.</summary>
    public static DateTimeOffset OutsideQuietHours(MailRhythm rhythm, DateTimeOffset when)
    {
        if (!InQuietHours(rhythm, when)) return when;
        var local = DutchTime.At(when);
        var day = DateOnly.FromDateTime(local.DateTime);
        // Past midnight quiet hours that started yesterday end today; those that started this evening end tomorrow.
        if (rhythm.QuietFrom > rhythm.QuietUntil && TimeOnly.FromDateTime(local.DateTime) >= rhythm.QuietFrom) day = day.AddDays(1);
        var end = DutchTime.FromWallClock(day.ToDateTime(rhythm.QuietUntil), DutchTime.Amsterdam);
        // A quiet end in the spring gap lands an hour late (FromWallClock); never before the moment itself.
        return end > when ? end : when;
    }

    /// <summary>
    /// What happens to a new notification's mail: none (<see cref="MailChoice.Off"/>), the digest
    /// (<see cref="MailChoice.Daily"/>, or a direct one over the day's maximum), or a direct mail at the first moment outside
    /// quiet hours. <paramref name="directMailsOn"/> counts the direct mails already planned or sent to this person on a
    /// Dutch day.
    /// </summary>
    public static MailDecision Decide(string choice, MailRhythm rhythm, DateTimeOffset now, Func<DateOnly, int> directMailsOn)
    {
        switch (choice)
        {
            case MailChoice.Off: return MailDecision.None;
            case MailChoice.Daily: return MailDecision.Digest;
        }
        var sendAt = OutsideQuietHours(rhythm, now);
        return directMailsOn(DutchTime.Today(sendAt)) >= rhythm.MaxPerDay
            ? MailDecision.Digest
            : new MailDecision(MailRoute.Direct, sendAt);
    }

    /// <summary>The moment of the digest of <paramref name="day"/>: the digest time on that Dutch day, moved past quiet hours.</summary>
    public static DateTimeOffset DigestMoment(MailRhythm rhythm, DateOnly day) =>
        OutsideQuietHours(rhythm, DutchTime.FromWallClock(day.ToDateTime(rhythm.DigestAt), DutchTime.Amsterdam));

    /// <summary>
    /// The digest that is due at <paramref name="now"/>: the day of the latest digest moment not after now, and that
    /// moment. It holds the waiting notifications made before the moment; later ones wait for the next day's.
    /// </summary>
    public static (DateOnly Day, DateTimeOffset Moment) DueDigest(MailRhythm rhythm, DateTimeOffset now)
    {
        var today = DutchTime.Today(now);
        var moment = DigestMoment(rhythm, today);
        if (moment <= now) return (today, moment);
        var yesterday = today.AddDays(-1);
        return (yesterday, DigestMoment(rhythm, yesterday));
    }

    /// <summary>
    /// When to try again after <paramref name="attempts"/> failed tries: the base delay doubled per try (1, 2, 4, ...
    /// minutes with a base of one minute), at most six hours.
    /// </summary>
    public static TimeSpan Backoff(int attempts, TimeSpan baseDelay)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, TimeSpan.FromHours(6).Ticks));
        return delay;
    }
}
