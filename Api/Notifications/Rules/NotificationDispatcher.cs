using Pgo.Api.Realtime;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Notifications.Rules;

/// <summary>
/// Turns committed changes into notifications: follows the change outbox from its own persisted cursor
/// (<c>notification_cursor</c>, consumer <c>outbox</c>), asks <see cref="NotificationRules"/> who is told what, stores
/// each notice through the <see cref="NotificationSink"/>, and only then moves the cursor past the batch.
/// </summary>
/// <remarks>
/// Nothing lost: an instance that stops mid-batch leaves the cursor where it was, and the next run (this instance
/// restarted, or another) handles the batch again. Nothing twice: every notice has a delivery key (kind, resource
/// version, dossier) that the store keeps once per person, so a re-run or a second instance on the same database adds
/// nothing. The very first start begins at the outbox's latest row (no notifications for history).
/// </remarks>
public sealed class NotificationDispatcher(
    IOutboxStore outbox,
    INotificationStore store,
    NotificationSink sink,
    NotificationRules rules,
    NotificationAudience audience,
    PersonNames names,
    RealtimeOptions options,
    ILogger<NotificationDispatcher> logger) : Pgo.Api.Hosting.HostedLoop
{
    /// <summary>The consumer name of this dispatcher's cursor.</summary>
    public const string Consumer = "outbox";

    private const int BatchSize = 200;

    // Access is derived from these: a change to one empties the batch's compiled scopes before it is handled.
    private static readonly HashSet<string> AccessTypes = new(StringComparer.Ordinal) { "Consent", "Patient", "Person", "PractitionerRole" };

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _draining = new(1, 1);

    /// <summary>For tests: called after each change's notices are stored, before the cursor moves (a throw = a crash there).</summary>
    internal Func<ChangeEvent, Task>? AfterChange { get; set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host serves requests: the first start's position is the outbox as it is now, not after the first writes.
        try
        {
            await StartingPointAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The database is not there yet: the first round sets the starting point instead; the Api starts all the same.
            logger.LogWarning(e, "Notifications: could not read the outbox cursor at start; trying again in the background");
        }
        await base.StartAsync(cancellationToken);
    }

    /// <summary>The persisted cursor; on the very first run the outbox's latest row, persisted at once.</summary>
    private async Task<long> StartingPointAsync(CancellationToken ct)
    {
        if (await store.NotificationCursorAsync(Consumer, ct) is { } cursor) return cursor;
        var latest = (await outbox.ChangeBoundsAsync(ct)).Latest;
        await store.AdvanceNotificationCursorAsync(Consumer, latest, ct);
        return (await store.NotificationCursorAsync(Consumer, ct)) ?? latest;
    }

    /// <summary>Asks the dispatcher to look for new outbox rows now.</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* already woken */ }
        catch (ObjectDisposedException) { /* stopped */ }
    }

    protected override async Task RunAsync(CancellationToken stopping)
    {
        outbox.ChangesCommitted += Wake;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    while (await DrainOnceAsync(stopping) > 0) { }
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // The cursor did not move: the next round handles the same batch again (delivery keys keep it once).
                    logger.LogWarning(e, "Notifications: handling outbox changes failed; retrying");
                }
                await _wake.WaitAsync(options.PollInterval, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        finally
        {
            outbox.ChangesCommitted -= Wake;
        }
    }

    /// <summary>Handles one batch after the persisted cursor and moves the cursor past it; returns how many changes it read.</summary>
    internal async Task<int> DrainOnceAsync(CancellationToken ct)
    {
        await _draining.WaitAsync(ct);
        try
        {
            var cursor = await StartingPointAsync(ct);
            var batch = await outbox.ReadChangesAsync(cursor, BatchSize, null, ct);
            if (batch.Count == 0) return 0;
            var scopes = new ScopeCache(audience);
            foreach (var e in batch)
            {
                if (AccessTypes.Contains(e.Type)) scopes.Clear();
                try
                {
                    await HandleAsync(e, scopes, ct);
                }
                catch (Exception x) when (!ct.IsCancellationRequested && GivesUpOn(e, x))
                {
                    logger.LogError(x, "Notifications: change {Cursor} ({Type}) failed {Attempts} times; nobody is told of it", e.Cursor, e.Type, MaxAttempts);
                }
                if (AfterChange is { } after) await after(e);
            }
            await store.AdvanceNotificationCursorAsync(Consumer, batch[^1].Cursor, ct);
            return batch.Count;
        }
        finally
        {
            _draining.Release();
        }
    }

    private async Task HandleAsync(ChangeEvent e, ScopeCache scopes, CancellationToken ct)
    {
        var notices = await rules.DecideAsync(e, scopes, ct);
        if (notices.Count > 0)
        {
            var actorName = await names.NameAsync(e.Who, ct);
            foreach (var n in notices) await sink.AddAsync(ToNew(n, e, actorName), ct);
        }
        await rules.AfterAsync(e, ct);
    }

    private const int MaxAttempts = 5;
    private long _failedCursor = -1;
    private int _failures;

    /// <summary>
    /// Whether to pass over a change that keeps failing (a version that cannot be read as FHIR, say), so that one bad row
    /// does not hold up every notification after it. Never for the database being away or slow: that is retried for as
    /// long as it lasts (the cursor stays).
    /// </summary>
    private bool GivesUpOn(ChangeEvent e, Exception x)
    {
        if (x is System.Data.Common.DbException or TimeoutException or IOException) return false;
        if (e.Cursor == _failedCursor) _failures++;
        else (_failedCursor, _failures) = (e.Cursor, 1);
        return _failures >= MaxAttempts;
    }

    private static NewNotification ToNew(Notice n, ChangeEvent e, string? actorName) =>
        new(n.Recipient, n.Key, n.Kind, n.PatientId, n.Section, n.Item, e.Who, actorName, e.Recorded);

    public override void Dispose()
    {
        _wake.Dispose();
        _draining.Dispose();
        base.Dispose();
    }
}
