using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Live;

/// <summary>A change someone made in a dossier (the Api's <c>change</c> message on /hubs/dossier).</summary>
public sealed record LiveChange(long Cursor, string PatientId, string ResourceType, string Id, int Version, string Change,
    string? Section, string? Who, string? Summary, DateTimeOffset Recorded, string? WhoName = null);

public sealed record LiveRevoked(string PatientId, string Message);

public sealed record LiveJoin(string PatientId, long Cursor, int Replayed, bool Complete);

/// <summary>Who views or edits one item now (the Api's <c>presence</c> message): Who is a fhirUser, State viewing or editing.</summary>
public sealed record LivePresence(string PatientId, string Item, LivePresenceEntry[] People);

public sealed record LivePresenceEntry(string Who, string State, string? Name = null);

public enum LiveState { Off, Connected, Reconnecting }

/// <summary>
/// The circuit's connection to the Api's dossier hub (/hubs/dossier), for the one dossier that is open. It runs on the
/// Portal server with the person's access token (as access_token, the hub's WebSocket rule). A dropped connection
/// reconnects by itself and joins again with the last cursor it saw, so the Api replays what was missed; cursors seen
/// before are ignored. One instance per circuit (scoped).
/// </summary>
public sealed class DossierFeed(PgoApi api, IOptions<PortalOptions> options, ILogger<DossierFeed> log) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private HubConnection? _hub;
    private string? _patientId;
    private long? _cursor;

    // Pages that follow each dossier now. Blazor disposes the old page after the new one initialises, so on a move between
    // two screens of one dossier the old page's stop comes after the new page's follow: only the last one out leaves.
    private readonly Dictionary<string, int> _followers = new(StringComparer.Ordinal);

    public LiveState State { get; private set; }

    /// <summary>The last change by someone else, in words ("Ricardo heeft iets toegevoegd in Doelen"), shown above the page.</summary>
    public string? LastChange { get; private set; }

    public void Announce(string? text)
    {
        LastChange = text;
        StateChanged?.Invoke();
    }

    public event Func<LiveChange, Task>? Changed;
    public event Func<LiveRevoked, Task>? Revoked;

    /// <summary>The person still sees the dossier, but not the same as before (a share package ended, say): reload.</summary>
    public event Func<LiveRevoked, Task>? AccessChanged;
    public event Func<LivePresence, Task>? Presence;
    public event Action? StateChanged;

    /// <summary>Follows <paramref name="patientId"/> (leaving the dossier followed before). Failing to connect is not an
    /// error of the page: it shows as "no live connection" and the retry loop keeps trying.</summary>
    public async Task FollowAsync(string patientId)
    {
        await _lock.WaitAsync();
        try
        {
            _followers[patientId] = _followers.GetValueOrDefault(patientId) + 1;
            if (_patientId == patientId && _hub?.State == HubConnectionState.Connected) return;
            var hub = await ConnectedAsync();
            if (hub is null) return;
            if (_patientId is { } before && before != patientId) await TryAsync(() => hub.InvokeAsync("LeaveDossier", before));
            if (_patientId != patientId) { _cursor = null; LastChange = null; }
            _patientId = patientId;
            await JoinAsync(hub);
        }
        finally { _lock.Release(); }
    }

    public async Task StopFollowingAsync(string patientId)
    {
        await _lock.WaitAsync();
        try
        {
            var left = _followers.GetValueOrDefault(patientId) - 1;
            if (left > 0) { _followers[patientId] = left; return; }
            _followers.Remove(patientId);
            if (_patientId != patientId) return;
            _patientId = null;
            _cursor = null;
            if (_hub?.State == HubConnectionState.Connected) await TryAsync(() => _hub.InvokeAsync("LeaveDossier", patientId));
        }
        finally { _lock.Release(); }
    }

    /// <summary>Shows others that this person views (<c>viewing</c>), edits (<c>editing</c>) or left (null) an item of the followed
    /// dossier, e.g. <c>DocumentReference/123</c>; the Api then sends everyone on the item the new list. Best effort: without a
    /// live connection nobody is told, and nothing else depends on it.</summary>
    public async Task SetPresenceAsync(string patientId, string item, string? state)
    {
        if (_hub is { State: HubConnectionState.Connected } hub && _patientId == patientId)
            await TryAsync(() => hub.InvokeAsync("SetPresence", patientId, item, state));
    }

    private async Task<HubConnection?> ConnectedAsync()
    {
        if (_hub is null)
        {
            _hub = ApiHub.Build(api, options.Value, "hubs/dossier");
            _hub.On<LiveChange>("change", OnChangeAsync);
            _hub.On<LiveRevoked>("accessRevoked", OnRevokedAsync);
            _hub.On<LiveRevoked>("accessChanged", async changed =>
            {
                if (changed.PatientId == _patientId && AccessChanged is { } handler) await handler(changed);
            });
            _hub.On<LivePresence>("presence", p => Presence?.Invoke(p) ?? Task.CompletedTask);
            _hub.Reconnecting += _ => SetState(LiveState.Reconnecting);
            _hub.Reconnected += async _ =>
            {
                await SetState(LiveState.Connected);
                await _lock.WaitAsync();
                try { await JoinAsync(_hub); }
                finally { _lock.Release(); }
            };
            _hub.Closed += _ => SetState(LiveState.Reconnecting);
        }
        if (_hub.State == HubConnectionState.Disconnected)
        {
            try
            {
                await _hub.StartAsync();
                await SetState(LiveState.Connected);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or SignInRequiredException)
            {
                log.LogWarning("Live connection to the dossier hub failed: {Message}", e.Message);
                await SetState(LiveState.Reconnecting);
                return null;
            }
        }
        return _hub.State == HubConnectionState.Connected ? _hub : null;
    }

    /// <summary>Joins the followed dossier; after a reconnect with the last cursor seen, so the Api replays what was missed.</summary>
    private async Task JoinAsync(HubConnection hub)
    {
        if (_patientId is not { } patientId) return;
        try
        {
            var joined = await hub.InvokeAsync<LiveJoin>("JoinDossier", patientId, _cursor);
            if (_patientId == patientId) _cursor = Math.Max(_cursor ?? 0, joined.Cursor);
        }
        catch (HubException)
        {
            // Refused: the dossier is no longer shared with this person.
            if (Revoked is { } revoked) await revoked(new LiveRevoked(patientId, ""));
        }
    }

    private async Task OnChangeAsync(LiveChange change)
    {
        if (change.PatientId != _patientId) return;
        if (_cursor is { } seen && change.Cursor <= seen) return;
        _cursor = change.Cursor;
        if (Changed is { } changed) await changed(change);
    }

    private async Task OnRevokedAsync(LiveRevoked revoked)
    {
        if (revoked.PatientId == _patientId) { _patientId = null; _cursor = null; }
        if (Revoked is { } handler) await handler(revoked);
    }

    private Task SetState(LiveState state)
    {
        State = state;
        StateChanged?.Invoke();
        return Task.CompletedTask;
    }

    private async Task TryAsync(Func<Task> call)
    {
        try { await call(); }
        catch (Exception e) when (e is HubException or InvalidOperationException or IOException) { log.LogDebug("Hub call failed: {Message}", e.Message); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        _lock.Dispose();
    }
}
