using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Fhir;

/// <summary>/health: the store answers, and what an acknowledged write survives (Storage:Durability, ADR 2).</summary>
public sealed class StorageHealthCheck(IFhirStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var durability = await store.DescribeDurabilityAsync(ct);
            return HealthCheckResult.Healthy(durability, new Dictionary<string, object> { ["durability"] = durability });
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("De database antwoordt niet.", e);
        }
    }

    /// <summary>Writes {"status":"Healthy","storage":"sqlite; synchronous=FULL"} (no exception texts).</summary>
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var storage = report.Entries.TryGetValue("storage", out var entry) ? entry.Description : null;
        return http.Response.WriteAsJsonAsync(new { status = report.Status.ToString(), storage });
    }
}
