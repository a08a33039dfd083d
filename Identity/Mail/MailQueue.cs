using System.Threading.Channels;

namespace Pgo.Identity.Mail;

/// <summary>
/// Mails whose existence depends on whether an address has an account (registration, password reset) leave the
/// request here and are sent in the background: the page answers equally fast for a known and an unknown address,
/// and a mail server that is slow or down shows nowhere but in the log.
/// </summary>
public sealed class MailQueue(MailSender sender, ILogger<MailQueue> logger) : BackgroundService
{
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
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Could not send the mail '{Subject}'", mail.Subject);
            }
        }
    }
}
