using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Pgo.Api.Notifications.Mail;

/// <summary>Hands one composed mail to the mail server. Throws MailKit's exceptions: the sender tells a refusal from a failure.</summary>
public interface IMailTransport
{
    Task SendAsync(string to, ComposedMail mail, CancellationToken ct);
}

/// <summary>MailKit over SMTP (<see cref="NotificationMailOptions"/>): plain text, one recipient, marked as automatic.</summary>
public sealed class SmtpMailTransport(IOptions<NotificationMailOptions> options) : IMailTransport
{
    public async Task SendAsync(string to, ComposedMail mail, CancellationToken ct)
    {
        var settings = options.Value;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = mail.Subject;
        // RFC 3834: no out-of-office replies to a notification.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain") { Text = mail.Body };

        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException("Notifications:Mail:Host is not set."), settings.Port, settings.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        }, ct);
        if (!string.IsNullOrEmpty(settings.UserName))
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
