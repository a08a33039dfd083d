namespace Pgo.Api.Notifications.Schedule;

/// <summary>
/// Runs the schedule every <see cref="ScheduleOptions.SweepInterval"/> on the injected <see cref="TimeProvider"/> (a
/// test moves a fake clock; nothing waits on the wall clock). Once per cluster: only the <see cref="Pgo.Api.Hosting.ClusterLease"/>'s
/// leader sweeps; the delivery keys make each notification once besides, should two sweep while the lease moves.
/// </summary>
public sealed class ScheduleService(IServiceProvider services, ScheduleOptions options, TimeProvider clock, Pgo.Api.Hosting.ClusterLease lease,
    ILogger<ScheduleService> logger) : Pgo.Api.Hosting.HostedLoop
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // The first sweep one interval after the start, not at it: a start (a deploy, the tests' many short-lived hosts)
        // neither competes with loading data nor reads every dossier at once; days are caught up (ScheduleRules.CatchUpDays).
        using var timer = new PeriodicTimer(options.SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!lease.IsLeader) continue;
                try
                {
                    await services.GetRequiredService<NotificationSchedule>().SweepAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Notifications: the schedule's sweep failed; trying again next interval");
                }
            }
        }
        // Stopping is not a failure (the host would otherwise stop itself when this one service is stopped).
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
