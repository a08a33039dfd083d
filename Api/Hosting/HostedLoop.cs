namespace Pgo.Api.Hosting;

/// <summary>
/// The base of the Api's background loops: a <see cref="BackgroundService"/> that may be stopped on its own at any moment
/// after it started. .NET 10 starts <c>ExecuteAsync</c> through <c>Task.Run</c> with the stopping token, so a service
/// stopped before the thread pool ran it never runs and its task ends canceled; a host that is not stopping itself takes
/// that for a crash and stops (<c>BackgroundServiceExceptionBehavior.StopHost</c>). Tests stop single producers right
/// after a host starts (ApiFactory.KeepOnlyNotificationProducersAsync), which stopped whole hosts at random.
/// Stopping therefore waits until the loop has begun (or ended). Hosting/BackgroundLoopsTests holds every loop to it.
/// </summary>
public abstract class HostedLoop : BackgroundService
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The loop; as <see cref="BackgroundService.ExecuteAsync"/>.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _entered.TrySetResult();
        return RunAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (ExecuteTask is { } running)
        {
            try { await Task.WhenAny(_entered.Task, running).WaitAsync(cancellationToken); }
            catch (OperationCanceledException) { /* the host's stop timeout: stop now */ }
        }
        await base.StopAsync(cancellationToken);
    }
}
