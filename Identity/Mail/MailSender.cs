using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Pgo.Identity.Hosting;

namespace Pgo.Identity.Mail;

/// <summary>A mail ready to go: one recipient, plain text (links stay clickable in every mail program).</summary>
public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>
/// Sends mail over SMTP with MailKit, or writes it to the pickup folder when no SMTP server is configured
/// (<see cref="MailOptions"/>). Every mail Identity sends goes through here.
/// </summary>
public sealed class MailSender(IOptions<MailOptions> options, DataDirectory data, TimeProvider clock, ILogger<MailSender> logger)
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            var folder = string.IsNullOrWhiteSpace(settings.PickupDirectory) ? data.Combine("mail") : settings.PickupDirectory;
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
            // Written under another name, then renamed: whoever reads the folder never sees half a mail.
            await message.WriteToAsync(path + ".tmp", cancellationToken);
            File.Move(path + ".tmp", path);
            logger.LogInformation("Mail to {To} written to {Path}", mail.To, path);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host, settings.Port, settings.Security switch
        {
            MailSecurity.None => SecureSocketOptions.None,
            MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        }, cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
