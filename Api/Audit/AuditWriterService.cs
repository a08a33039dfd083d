using Pgo.Fhir.Audit;

namespace Pgo.Api.Audit;

/// <summary>Writes the queued audit records of reads and refusals in batches; flushes what is left on shutdown.</summary>
public sealed class AuditWriterService(AuditLog log, ILogger<AuditWriterService> logger) : Pgo.Api.Hosting.HostedLoop
{
    protected override async System.Threading.Tasks.Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await log.RunAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The queue keeps its content; try again shortly.
                logger.LogError(e, "Writing the audit log failed; retrying");
                await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async System.Threading.Tasks.Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await log.FlushAsync(CancellationToken.None);
    }
}
