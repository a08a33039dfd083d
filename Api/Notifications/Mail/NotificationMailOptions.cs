namespace Pgo.Api.Notifications.Mail;

/// <summary>
/// <c>Notifications:Mail</c>: the SMTP server the Api sends notification mail through, and how it asks Identity where to
/// send it. Mail runs only when <see cref="Host"/> is set (<c>./pgo up</c> sets the local SMTP listener); without it the
/// notifications stay in the Portal's bell only.
/// </summary>
public sealed class NotificationMailOptions
{
    public const string Section = "Notifications:Mail";

    /// <summary>The SMTP server; empty: no mail.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>SMTP user and password, when the server wants them.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "PGO <noreply@pgo.example>";

    /// <summary>Identity's system client the Api asks addresses with (scope <c>account-contact</c> only).</summary>
    public string ClientId { get; set; } = "pgo-system";

    /// <summary>Its secret; empty: the one of <c>Pgo:Invitations:ClientSecret</c> (the same client).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How often the planner and the sender look for work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a mail counts as failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first failed attempt; it doubles with every next one (at most six hours).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an instance holds the mails it took to send; after that another may take them.</summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A notification older than this when the mail first sees it is not mailed (mail switched on later).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Quiet hours, maximum per day and digest time of a person who chose none ("HH:mm", Europe/Amsterdam).</summary>
    public string DefaultQuietFrom { get; set; } = "21:00";

    public string DefaultQuietUntil { get; set; } = "08:00";

    public int DefaultMaxPerDay { get; set; } = 6;

    public string DefaultDigestAt { get; set; } = "08:00";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The rhythm of a person who chose none; the built-in one where a setting is not a time.</summary>
    public MailRhythm DefaultRhythm() => new(
        MailRhythm.Parse(DefaultQuietFrom) ?? MailRhythm.Default.QuietFrom, MailRhythm.Parse(DefaultQuietUntil) ?? MailRhythm.Default.QuietUntil,
        DefaultMaxPerDay is >= 0 and <= MailRhythm.MaxPerDayLimit ? DefaultMaxPerDay : MailRhythm.Default.MaxPerDay,
        MailRhythm.Parse(DefaultDigestAt) ?? MailRhythm.Default.DigestAt);
}

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP: only for a server on the same machine (the local listener).</summary>
    None,

    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary><c>Notifications</c>: where the links in notification mail lead.</summary>
public sealed class NotificationLinkOptions
{
    public const string Section = "Notifications";

    /// <summary>The Portal's address (mails link to its front page and account page).</summary>
    public string PortalUrl { get; set; } = "http://localhost:5100";
}
