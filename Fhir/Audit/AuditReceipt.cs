namespace Pgo.Fhir.Audit;

/// <summary>
/// The audit entries one request queued, so that it can answer only after they are committed (an acknowledged read
/// is an audited read). Opened per request by the Api's endpoint filter; flows with the request's async context.
/// Entries queued outside a request (live hub events, background jobs) have no receipt and are written by the same
/// loop without anyone waiting.
/// </summary>
public sealed class AuditReceipt : IDisposable
{
    private static readonly AsyncLocal<AuditReceipt?> CurrentReceipt = new();
    private readonly List<Task> _pending = [];
    private readonly AuditReceipt? _outer;

    private AuditReceipt()
    {
        _outer = CurrentReceipt.Value;
        CurrentReceipt.Value = this;
    }

    /// <summary>The receipt of the request running in this async context, if any.</summary>
    public static AuditReceipt? Current => CurrentReceipt.Value;

    public static AuditReceipt Open() => new();

    internal void Add(Task written)
    {
        lock (_pending) _pending.Add(written);
    }

    /// <summary>True when every entry of the request is committed within <paramref name="timeout"/>; false when one
    /// failed or the time ran out (the entries stay queued and are written later; the request must not answer with data).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        Task[] pending;
        lock (_pending) pending = [.. _pending];
        if (pending.Length == 0) return true;
        try
        {
            await Task.WhenAll(pending).WaitAsync(timeout, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => CurrentReceipt.Value = _outer;
}
