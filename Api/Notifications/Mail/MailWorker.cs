using Microsoft.Extensions.Options;

namespace Pgo.Api.Notifications.Mail;

/// <summary>
/// The mail's loop, on every instance when <c>Notifications:Mail:Host</c> is set: plan, then send, every
/// <see cref="NotificationMailOptions.PollInterval"/> on the injected clock. A failing round is logged and tried again;
/// what was not finished stays claimable.
/// </summary>
public sealed class MailWorker(MailPlanner planner, MailDeliverer sender, IOptions<NotificationMailOptions> options, TimeProvider clock,
    ILogger<MailWorker> log) : Pgo.Api.Hosting.HostedLoop
{
    protected override async Task RunAsync(CancellationToken stopping)
    {
        if (!options.Value.Enabled) return;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // Waits first: start-up (migrations, demo data) comes before mail.
                await Task.Delay(options.Value.PollInterval, clock, stopping);
                try
                {
                    await planner.PlanAsync(stopping);
                    await sender.SendDueAsync(stopping);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    log.LogWarning(e, "Mail: a round of planning and sending failed; trying again");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }
}
