using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Pgo.Identity.Tests.Support;

/// <summary>
/// A real SMTP server on a loopback port, speaking just enough SMTP for MailKit (EHLO/HELO, MAIL FROM,
/// RCPT TO, DATA, RSET, NOOP, QUIT). What it receives the tests read, as the recipient would.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<MimeMessage> received = new();
    private readonly Task accepting;

    public SmtpSink()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyCollection<MimeMessage> Received => received.ToArray();

    /// <summary>Addresses this server refuses for good (550 at RCPT TO), like a mailbox that does not exist.</summary>
    public Func<string, bool>? RefuseRecipient { get; set; }

    /// <summary>The newest mail to <paramref name="to"/>, waiting for it up to ten seconds.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool>? match = null, int skip = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase))
                                            && (match?.Invoke(m) ?? true)).Skip(skip).LastOrDefault();
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No mail to {to} arrived.");
            await Task.Delay(20);
        }
    }

    public int CountTo(string to) =>
        received.Count(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase)));

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) when (stop.IsCancellationRequested) { return; }
            catch (SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 8192, leaveOpen: true);
        await using var writer = new StreamWriter(stream, Encoding.Latin1, 8192, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost test SMTP sink");
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteAsync("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
                    break;
                case "RCPT" when RefuseRecipient is { } refuse && refuse(line.Split('<', '>')[^2]):
                    await writer.WriteLineAsync("550 5.1.1 Mailbox unavailable");
                    break;
                case "HELO" or "MAIL" or "RCPT" or "RSET" or "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    using (var message = new MemoryStream(Encoding.Latin1.GetBytes(data.ToString())))
                        received.Enqueue(await MimeMessage.LoadAsync(message));
                    await writer.WriteLineAsync("250 OK: queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose(); // stops it too
        try { await accepting; } catch (OperationCanceledException) { }
        stop.Dispose();
    }
}

public static class MailText
{
    /// <summary>The plain-text body of a mail.</summary>
    public static string Body(this MimeMessage message) => message.TextBody ?? "";

    /// <summary>The first link in the mail that goes to <paramref name="path"/>, as a path and query the test browser can open.</summary>
    public static string LinkTo(this MimeMessage message, string path)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message.Body(), @"https?://\S+" + System.Text.RegularExpressions.Regex.Escape(path) + @"\S*");
        match.Success.ShouldBeTrue($"no link to {path} in: {message.Body()}");
        return new Uri(match.Value).PathAndQuery;
    }
}
