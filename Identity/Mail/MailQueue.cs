using System.Threading.Channels;

namespace Pgo.Identity.Mail;

/// <summary>
/// Mails whose existence depends on whether an address has an account (registration, password reset) leave the
/// request here and are sent in the background: the page answers equally fast for a known and an unknown address,
/// and a mail server that is slow or down shows nowhere but in the log.
/// </summary>
public sealed class MailQueue(MailSender sender, ILogger<MailQueue> logger) : BackgroundService
{
    /// <summary><c>pgo.mail.sends</c> of meter <c>Pgo.Identity</c> (Observability/Telemetry.cs): account mails by outcome (sent, failed).</summary>
    private static readonly System.Diagnostics.Metrics.Counter<long> Sends =
        new System.Diagnostics.Metrics.Meter("Pgo.Identity").CreateCounter<long>("pgo.mail.sends", "{mail}", "Account mails sent by outcome");

    private const int Capacity = 1000;
    private readonly Channel<OutgoingMail> queue = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(OutgoingMail mail)
    {
        if (!queue.Writer.TryWrite(mail))
            logger.LogError("The mail queue is full ({Capacity}); a mail '{Subject}' was not sent", Capacity, mail.Subject);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await sender.SendAsync(mail, stoppingToken);
                Sends.Add(1, new KeyValuePair<string, object?>("pgo.outcome", "sent"));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                Sends.Add(1, new KeyValuePair<string, object?>("pgo.outcome", "failed"));
                logger.LogError(exception, "Could not send the mail '{Subject}'", mail.Subject);
            }
        }
    }
}
