using System.Text.RegularExpressions;
using MimeKit;

namespace Pgo.Portal.Tests.Support;

/// <summary>The mails Identity sent, as the local SMTP listener of <see cref="PortalStack"/> kept them (a Maildir).</summary>
public static partial class Mailbox
{
    /// <summary>Waits (up to 60 s) for a mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>.</summary>
    public static async Task<MimeMessage> WaitForMailAsync(this PortalStack stack, string to, string subject)
    {
        var folder = Path.Combine(stack.MailDirectory, "new");
        for (var i = 0; i < 600; i++)
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))
                    && message.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase))
                    return message;
            }
            await Task.Delay(100);
        }
        var subjects = Directory.EnumerateFiles(folder).Select(f => MimeMessage.Load(f)).Select(m => $"{m.To} — {m.Subject}");
        throw new ShouldAssertException($"No mail to {to} about '{subject}' within 60 s; the listener has:\n{string.Join('\n', subjects)}");
    }

    /// <summary>The first link in the mail's text whose path starts with <paramref name="path"/> (e.g. "/uitnodiging").</summary>
    public static string LinkTo(this MimeMessage message, string path)
    {
        var text = message.TextBody ?? message.HtmlBody ?? "";
        var link = Links().Matches(text).Select(m => System.Net.WebUtility.HtmlDecode(m.Value))
            .FirstOrDefault(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) && uri.AbsolutePath.StartsWith(path, StringComparison.Ordinal));
        return link ?? throw new ShouldAssertException($"No link to {path} in the mail '{message.Subject}':\n{text}");
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    private static partial Regex Links();
}
