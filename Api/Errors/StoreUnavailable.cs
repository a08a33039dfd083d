using System.Data.Common;

namespace Pgo.Api.Errors;

/// <summary>
/// A database that is away or too busy (connection refused, pool exhausted, a server shutting down, SQLite busy) is a
/// passing condition, not a fault of the request: both error filters answer it with 503 and Retry-After instead of a 500.
/// The drivers decide what is transient (<see cref="DbException.IsTransient"/>, Npgsql and Microsoft.Data.Sqlite). Nothing
/// was stored: a failure at the commit itself is the store's "outcome unknown" answer (FhirException.OutcomeUnknown), not this.
/// </summary>
public static class StoreUnavailable
{
    /// <summary>Seconds a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public static bool Is(Exception e) => e switch
    {
        DbException db => db.IsTransient,
        TimeoutException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(Is),
        _ => e.InnerException is { } inner && Is(inner),
    };

    /// <summary>Sets Retry-After and logs the condition once per request (a warning: operators see it, it is no bug).</summary>
    public static void Answered(HttpContext http, Exception e)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreUnavailable))
            .LogWarning("Store unavailable in {Method} {Path}: {Error}", http.Request.Method, http.Request.Path, e.Message);
    }
}
