using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Pgo.Portal.Api;
using Pgo.Portal.Auth;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Live;

/// <summary>
/// The circuit's connection to the Api's notification hub (/hubs/notifications) and the person's unread marks. The hub
/// puts every signed-in connection in its person's group; the Api pushes the new unread count whenever a notification is
/// added or read (on any device). The marks per dossier, section and item (the bell, Berichten, conversations) are read
/// from <c>/api/notifications/unread</c> at the start, after each push and after a reconnect, so they are never the
/// browser's guess. Runs on the Portal server with the person's access token, reconnecting for as long as the page is
/// open. One instance per circuit (scoped).
/// </summary>
public sealed class NotificationFeed(PgoApi api, NotificationClient client, IOptions<PortalOptions> options, ILogger<NotificationFeed> log) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private HubConnection? _hub;
    private bool _started;
    private bool _disposed;

    /// <summary>The unread marks as the Api last gave them; null until loaded.</summary>
    public UnreadSummary? Summary { get; private set; }

    public int Unread => Summary?.Total ?? 0;

    /// <summary>The newest notification the hub announced while the page was open (for the polite live region).</summary>
    public NotificationView? Latest { get; private set; }

    public LiveState State { get; private set; }

    /// <summary>The marks changed (a push, a mark read here or elsewhere): components draw again.</summary>
    public event Action? Changed;

    /// <summary>Connects once per circuit and loads the marks. A failing connection is no error of the page: the marks
    /// still load, and the retry loop keeps trying to connect.</summary>
    public async Task StartAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (_started) return;
            _started = true;
            await ConnectAsync();
        }
        finally { _lock.Release(); }
        await RefreshAsync();
    }

    /// <summary>Reads the marks again from the Api.</summary>
    public async Task<bool> RefreshAsync()
    {
        var loaded = false;
        try { Summary = await client.UnreadAsync(); loaded = true; }
        catch (ApiException e) { log.LogDebug("Unread marks not loaded: {Message}", e.Message); }
        catch (SignInRequiredException) { return false; }
        Changed?.Invoke();
        return loaded;
    }

    /// <summary>Unread notifications about a section of a dossier (Berichten in the menu).</summary>
    public int UnreadIn(string patientId, string section) =>
        Summary?.Marks.Where(m => m.PatientId == patientId && m.Section == section).Sum(m => m.Count) ?? 0;

    /// <summary>Unread messages in a dossier (the mark on Berichten in the menu).</summary>
    public int UnreadMessages(string patientId) =>
        Summary?.Marks.Where(m => m.PatientId == patientId && (m.Kind == "bericht" || m.Section == "berichten")).Sum(m => m.Count) ?? 0;

    /// <summary>Unread notifications about one item (<c>Communication/123</c>) of a dossier.</summary>
    public int UnreadAbout(string patientId, string item) =>
        Summary?.Marks.Where(m => m.PatientId == patientId && m.Item == item).Sum(m => m.Count) ?? 0;

    public Task MarkReadAsync(IReadOnlyCollection<long> ids) => AfterAsync(() => client.MarkReadAsync(ids));

    /// <summary>Marks read what was about these items (the messages of a conversation that was opened); nothing is asked
    /// of the Api when none of them is unread.</summary>
    public Task MarkItemsReadAsync(string patientId, IReadOnlyCollection<string> items) =>
        items.Any(i => UnreadAbout(patientId, i) > 0) ? AfterAsync(() => client.MarkItemsReadAsync(patientId, items)) : Task.CompletedTask;

    public Task MarkAllReadAsync() => AfterAsync(() => client.MarkAllReadAsync());

    private async Task AfterAsync(Func<Task<int>> mark)
    {
        await mark();
        await RefreshAsync();
    }

    private async Task ConnectAsync()
    {
        if (_disposed) return;
        if (_hub is null)
        {
            _hub = ApiHub.Build(api, options.Value, "hubs/notifications");
            _hub.On<UnreadCountMessage>("notifications", OnNotificationsAsync);
            _hub.Reconnecting += _ => SetState(LiveState.Reconnecting);
            // What happened while the connection was away is read again: the counts are the Api's, not counted here.
            _hub.Reconnected += async _ => { await SetState(LiveState.Connected); await RefreshAsync(); };
            _hub.Closed += _ => SetState(LiveState.Reconnecting);
        }
        if (_hub.State != HubConnectionState.Disconnected) return;
        try
        {
            await _hub.StartAsync();
            await SetState(LiveState.Connected);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or SignInRequiredException)
        {
            log.LogWarning("Live connection to the notification hub failed: {Message}", e.Message);
            await SetState(LiveState.Reconnecting);
            _ = RetryLaterAsync();
        }
    }

    // A first connection that fails is not retried by the client itself (only drops are): try again every 10 seconds.
    private async Task RetryLaterAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(10));
        if (_disposed) return;
        try { await _lock.WaitAsync(); }
        catch (ObjectDisposedException) { return; }
        try
        {
            if (_disposed) return;
            await ConnectAsync();
        }
        finally { _lock.Release(); }
        if (State == LiveState.Connected) await RefreshAsync();
    }

    private async Task OnNotificationsAsync(UnreadCountMessage pushed)
    {
        if (pushed.Latest is { } latest) Latest = latest;
        if (await RefreshAsync()) return;
        // The marks could not be read just now: the count the hub pushed is still the newest word.
        Summary = (Summary ?? new UnreadSummary(0, [])) with { Total = pushed.Unread };
        Changed?.Invoke();
    }

    private Task SetState(LiveState state)
    {
        State = state;
        Changed?.Invoke();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _disposed = true;
            if (_hub is not null) await _hub.DisposeAsync();
            _hub = null;
        }
        finally { _lock.Release(); }
        _lock.Dispose();
    }
}
