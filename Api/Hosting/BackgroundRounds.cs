namespace Pgo.Api.Hosting;

/// <summary>
/// How a hosted service treats a failure: anything but the host's own stop is a failed round, logged and tried again.
/// The stopping token decides, not the exception's type: libraries report timeouts as TaskCanceledException, and one
/// let through stops the whole host (HostOptions' StopHost). Hosting/BackgroundLoopsTests keeps it so.
/// </summary>
public static class BackgroundRounds
{
    /// <summary>Runs <paramref name="first"/> until it succeeds (a database still starting, a network hiccup), waiting <paramref name="wait"/> between tries.</summary>
    public static async Task<T> UntilDoneAsync<T>(Func<CancellationToken, Task<T>> first, TimeSpan wait, ILogger log, string what, CancellationToken stopping)
    {
        while (true)
        {
            try { return await first(stopping); }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogWarning(e, "{What} failed; trying again in {Wait}", what, wait);
            }
            await Task.Delay(wait, stopping);
        }
    }
}
