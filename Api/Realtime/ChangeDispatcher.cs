using Pgo.Api.Hosting;
using Microsoft.AspNetCore.SignalR;
using Pgo.Api.Errors;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;

namespace Pgo.Api.Realtime;

/// <summary>
/// THE class where a committed change becomes a real-time event. Follows the change outbox by its cursor and hands
/// each change to the dossier-hub connections of this process that joined the patient's dossier and may see the
/// change's section (their compiled <see cref="AccessScope"/>, checked per event and connection). A Consent change
/// (or a change to the people records access is derived from) first compiles the affected connections' access again:
/// a connection that lost the dossier leaves the feed before the next event and is told so.
/// </summary>
/// <remarks>
/// Every Api instance runs one and serves its own connections, so the exact per-connection check needs no shared
/// state. Woken at once by commits in this process, by a Redis message from other instances (when SignalR:Redis is
/// set), and otherwise by the poll. Nothing is lost: a client that reconnects (after its instance crashed, say) sends
/// its last cursor and the hub replays from the outbox; clients ignore cursors they have seen.
/// </remarks>
public sealed class ChangeDispatcher(
    IOutboxStore store,
    FhirRepository repo,
    LiveConnections connections,
    IHubContext<DossierHub> hub,
    IAccessPolicy policy,
    PresenceBoard presence,
    RealtimeOptions options,
    TimeProvider clock,
    ILogger<ChangeDispatcher> logger,
    PersonNames names,
    RedisBackplane? backplane = null) : Pgo.Api.Hosting.HostedLoop
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _cursor;

    /// <summary>The last outbox cursor handed out by this instance.</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    /// <summary>Completes when the dispatcher knows where the outbox stands (joins wait for it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Asks the dispatcher to look for new outbox rows now.</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* already woken */ }
        catch (ObjectDisposedException) { /* stopped (a Redis message may still come in) */ }
    }

    private void OnCommitted()
    {
        Wake();
        backplane?.PublishCommitted();
    }

    protected override async Task RunAsync(CancellationToken stopping)
    {
        store.ChangesCommitted += OnCommitted;
        try
        {
            if (backplane is not null) await backplane.SubscribeCommittedAsync(Wake);
            // Live from now; what came before is replayed per client from its own cursor.
            var latest = await Pgo.Api.Hosting.BackgroundRounds.UntilDoneAsync(async ct => (await store.ChangeBoundsAsync(ct)).Latest,
                options.PollInterval, logger, "Real time: reading where the outbox stands", stopping);
            Interlocked.Exchange(ref _cursor, latest);
            _ready.TrySetResult();
            // Grants that end by date: re-checked on their own loop, so that compiling every connection's access never
            // holds up the delivery of changes.
            var rechecks = RecheckPeriodicallyAsync(stopping);
            var nextPrune = clock.GetUtcNow();
            while (!stopping.IsCancellationRequested)
            {
                await _wake.WaitAsync(options.PollInterval, stopping);
                try
                {
                    await DrainAsync(stopping);
                    var now = clock.GetUtcNow();
                    if (now >= nextPrune)
                    {
                        nextPrune = now + TimeSpan.FromHours(1);
                        await store.PruneChangesAsync(now - options.Retention, stopping);
                    }
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // The cursor only moves past handled events: the next round retries from there.
                    logger.LogWarning(e, "Real time: dispatching outbox events failed; retrying");
                }
            }
            await rechecks;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        finally
        {
            store.ChangesCommitted -= OnCommitted;
            _ready.TrySetResult();
        }
    }

    private readonly SemaphoreSlim _recheckWake = new(0, 1);
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);

    /// <summary>Asks the re-check loop to look again at when the next grant of a joined connection starts or ends.</summary>
    public void RescheduleRechecks()
    {
        try { _recheckWake.Release(); }
        catch (SemaphoreFullException) { /* already asked */ }
        catch (ObjectDisposedException) { /* stopped */ }
    }

    /// <summary>
    /// Every <see cref="RealtimeOptions.RecheckInterval"/> each joined connection's access is compiled again (age rules,
    /// anything missed); besides, a connection whose compiled access says a grant starts or ends at a moment
    /// (<see cref="AccessScope.ChangesAt"/>: a share package's end, say) is compiled again at that moment, so an expired
    /// grant stops the feed when it ends, not up to an interval later.
    /// </summary>
    private async Task RecheckPeriodicallyAsync(CancellationToken stopping)
    {
        // The full round runs on elapsed (monotonic) time; the moments grants end are instants of the clock.
        var lastFull = clock.GetTimestamp();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                var wait = options.RecheckInterval - clock.GetElapsedTime(lastFull);
                if (connections.All.Where(c => c.JoinedPatients().Count > 0).Select(c => c.Scope.ChangesAt).Min() is { } next && next - now < wait)
                    wait = next - now + TimeSpan.FromMilliseconds(10);
                // At least a moment: a connection whose re-check keeps failing must not spin this loop.
                await _recheckWake.WaitAsync(wait > MinimumWait ? wait : MinimumWait, stopping);

                now = clock.GetUtcNow();
                var full = clock.GetElapsedTime(lastFull) >= options.RecheckInterval;
                if (full) lastFull = clock.GetTimestamp();
                foreach (var c in connections.All.Where(c => c.JoinedPatients().Count > 0 && (full || c.Scope.ChangesAt <= now)).ToList())
                {
                    try { await RecheckAsync(c, stopping); }
                    catch (Exception e) when (!stopping.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "Real time: re-checking the access of connection {Connection} failed", c.Id);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        while (true)
        {
            var batch = await store.ReadChangesAsync(Cursor, 500, null, ct);
            if (batch.Count == 0) return;
            foreach (var e in batch)
            {
                await HandleAsync(e, ct);
                Interlocked.Exchange(ref _cursor, e.Cursor);
                ApiMetrics.OutboxLag.Record(Math.Max(0, (clock.GetUtcNow() - e.Recorded).TotalSeconds));
            }
        }
    }

    private static bool SameReadAccess(AccessScope a, AccessScope b, string patient)
    {
        a.Patients.TryGetValue(patient, out var x);
        b.Patients.TryGetValue(patient, out var y);
        return x is not null && y is not null && x.ReadSections.SetEquals(y.ReadSections) && x.ReadItems.SetEquals(y.ReadItems);
    }

    // Access is derived from Consents, from the Person / PractitionerRole records a caller acts as, and (age rules) from
    // the client's birth date: a change to any of them compiles the affected connections again before anything else.
    private static readonly HashSet<string> AccessTypes = new(StringComparer.Ordinal) { "Consent", "Patient", "Person", "PractitionerRole" };

    private async Task HandleAsync(ChangeEvent e, CancellationToken ct)
    {
        if (AccessTypes.Contains(e.Type))
        {
            var affected = e.Type == "Consent" && e.PatientId is { } p ? connections.JoinedTo(p) : connections.All.Where(c => c.JoinedPatients().Count > 0);
            foreach (var c in affected.ToList()) await RecheckAsync(c, ct);
        }
        if (e.PatientId is not { } patient) return; // directory resources have no dossier feed
        var participants = await MessageAudience.ParticipantsAsync(repo.AsPlatform(PlatformPurpose.MessageAudience), e, ct);
        foreach (var c in connections.JoinedTo(patient).ToList())
            await DeliverAsync(c, e, patient, ct, participants);
    }

    /// <summary>Sends <paramref name="e"/> to <paramref name="c"/> unless already sent (cursor) or outside its access.</summary>
    /// <param name="participants">for a message, who takes part in it (<see cref="MessageAudience"/>): only they hear of it</param>
    internal async Task DeliverAsync(LiveConnection c, ChangeEvent e, string patient, CancellationToken ct, IReadOnlyList<string>? participants = null)
    {
        await c.Gate.WaitAsync(ct);
        try
        {
            if (!c.TryGetLast(patient, out var last) || e.Cursor <= last) return;
            c.SetLast(patient, e.Cursor);
            if (!c.Scope.CanRead(e.Type, e.Id, e.Section, [patient], participants)) return;
            await hub.Clients.Client(c.Id).SendAsync(LiveEvents.Change, ChangeMessage.From(e, patient, await names.NameAsync(e.Who, ct)), ct);
        }
        finally
        {
            c.Gate.Release();
        }
    }

    /// <summary>Compiles the connection's access again; takes it out of every dossier it may no longer see, and tells it;
    /// tells it too when what it may see in a dossier changed (one of two share packages ended, say), so a page reloads.</summary>
    internal async Task RecheckAsync(LiveConnection c, CancellationToken ct)
    {
        var scope = await policy.CompileAsync(c.Caller, ct);
        var revoked = new List<string>();
        var changed = new List<string>();
        await c.Gate.WaitAsync(ct);
        try
        {
            var before = c.Scope;
            c.Scope = scope;
            foreach (var patient in c.JoinedPatients())
            {
                if (DossierOperations.Allows(scope, patient, DossierOperation.ReadOverview))
                {
                    if (!SameReadAccess(before, scope, patient)) changed.Add(patient);
                    continue;
                }
                c.Leave(patient);
                connections.Unindex(patient, c.Id);
                revoked.Add(patient);
            }
        }
        finally
        {
            c.Gate.Release();
        }
        RescheduleRechecks();
        foreach (var patient in changed)
        {
            await hub.Clients.Client(c.Id).SendAsync(LiveEvents.AccessChanged,
                new AccessRevokedMessage(patient, ApiText.LiveAccessChanged), ct);
        }
        foreach (var patient in revoked)
        {
            logger.LogInformation("Real time: connection {Connection} left dossier {Patient}: access ended", c.Id, patient);
            await presence.LeaveDossierAsync(c, patient, hub, ct);
            await hub.Clients.Client(c.Id).SendAsync(LiveEvents.AccessRevoked,
                new AccessRevokedMessage(patient, ApiText.LiveAccessEnded), ct);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _recheckWake.Dispose();
        base.Dispose();
    }
}
