using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pgo.Api.Files;

/// <summary>/health/ready: the blob container answers (Storage:Blobs); without Storage:Blobs there is nothing to reach.</summary>
public sealed class BlobHealthCheck(FileStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (storage.Blobs is not { } blobs) return HealthCheckResult.Healthy("Storage:Blobs is niet ingesteld.");
        // The storage client retries for a long time; readiness wants an answer within seconds.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await blobs.ContainerExistsAsync(timeout.Token)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("De blobcontainer bestaat niet.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("De blobopslag antwoordt niet.", e);
        }
    }
}
