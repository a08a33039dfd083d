using OpenIddict.Abstractions;

namespace Pgo.Identity.Connect;

/// <summary>
/// Removes expired and revoked tokens and authorizations older than two weeks, every six hours
/// (OpenIddict.Quartz, the usual way, is not in the package registry here).
/// </summary>
public sealed class TokenPruning(IServiceProvider services, ILogger<TokenPruning> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var threshold = services.GetRequiredService<TimeProvider>().GetUtcNow() - KeepFor;
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
                logger.LogInformation("Pruned {Tokens} tokens and {Authorizations} authorizations", tokens, authorizations);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Pruning tokens failed; trying again in {Interval}", Interval);
            }
        }
    }
}
