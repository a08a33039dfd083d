namespace Pgo.Identity.Mail;

/// <summary>
/// Configuration section <c>Pgo:Mail</c>. Without <see cref="Host"/> mail is not sent but written as
/// <c>.eml</c> files to <see cref="PickupDirectory"/> (default <c>&lt;data&gt;/mail</c>), so <c>./pgo up</c>
/// needs no mail server: open the files with any mail program.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Pgo:Mail";

    /// <summary>The SMTP server; empty for the pickup folder.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>SMTP user and password, when the server wants them.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "PGO <noreply@pgo.example>";

    /// <summary>Where mail goes without a <see cref="Host"/>; default <c>&lt;data&gt;/mail</c>.</summary>
    public string? PickupDirectory { get; set; }
}

public enum MailSecurity
{
    /// <summary>Plain SMTP: only for a server on the same machine (a local sink).</summary>
    None,

    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}
