using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pgo.Identity.Data;

/// <summary>/health/ready: the accounts database answers.</summary>
public sealed class IdentityDatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IdentityDb>().Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("De database antwoordt niet.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("De database antwoordt niet.", e);
        }
    }
}
