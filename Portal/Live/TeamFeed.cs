using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Pgo.Portal.Api;
using Pgo.Portal.Auth;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Live;

/// <summary>
/// The team screen's connection to the Api's team hub (/hubs/team), on the Portal server with the person's access token,
/// as <see cref="DossierFeed"/> does for a dossier: it joins every channel the person reads and tells the screen of a new
/// post (<c>postCreated</c>), so the channel's unread mark comes without a reload, and of every other change the hub sends
/// (an edit, a deletion, reactions, a pin, a kennisbank article, the end of access). After a reconnect it joins again and
/// says so (<see cref="Reconnected"/>): the screen then reads again, for what it missed. Owned by one screen.
/// </summary>
public sealed class TeamFeed(PgoApi api, IOptions<PortalOptions> options, ILogger<TeamFeed> log) : IAsyncDisposable
{
    private HubConnection? _hub;
    private long _teamId;
    private IReadOnlyList<long> _channels = [];

    public event Func<PostView, Task>? PostCreated;
    public event Func<PostView, Task>? PostEdited;
    public event Func<PostView, Task>? PostDeleted;
    public event Func<PostView, Task>? ReactionsChanged;
    public event Func<PostView, Task>? PinChanged;

    /// <summary>A kennisbank article was written, edited, sent for review or approved (<c>articleChanged</c>; members who read the kennisbank only).</summary>
    public event Func<ArticleSummary, Task>? ArticleChanged;

    /// <summary>The person may no longer read the team (left, removed) or a channel (<c>teamAccessEnded</c>; channelId null: the whole team).</summary>
    public event Func<TeamAccessEnded, Task>? AccessEnded;

    public event Func<Task>? Reconnected;

    /// <summary>Follows the channels of one team. Failing to connect is not an error of the screen: the marks then come on the next load.</summary>
    public async Task WatchAsync(long teamId, IReadOnlyList<long> channels)
    {
        _teamId = teamId;
        _channels = channels;
        try
        {
            if (_hub is null)
            {
                _hub = ApiHub.Build(api, options.Value, "hubs/team");
                _hub.On<PostView>("postCreated", post => PostCreated?.Invoke(post) ?? Task.CompletedTask);
                _hub.On<PostView>("postEdited", post => PostEdited?.Invoke(post) ?? Task.CompletedTask);
                _hub.On<PostView>("postDeleted", post => PostDeleted?.Invoke(post) ?? Task.CompletedTask);
                _hub.On<PostView>("reactionsChanged", post => ReactionsChanged?.Invoke(post) ?? Task.CompletedTask);
                _hub.On<PostView>("pinChanged", post => PinChanged?.Invoke(post) ?? Task.CompletedTask);
                _hub.On<ArticleSummary>("articleChanged", article => ArticleChanged?.Invoke(article) ?? Task.CompletedTask);
                _hub.On<TeamAccessEnded>("teamAccessEnded", ended => AccessEnded?.Invoke(ended) ?? Task.CompletedTask);
                _hub.Reconnected += async _ =>
                {
                    await JoinAsync(_hub);
                    if (Reconnected is { } handler) await handler();
                };
            }
            if (_hub.State == HubConnectionState.Disconnected) await _hub.StartAsync();
            await JoinAsync(_hub);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or SignInRequiredException or HubException)
        {
            log.LogWarning("Live connection to the team hub failed: {Message}", e.Message);
        }
    }

    private async Task JoinAsync(HubConnection hub)
    {
        foreach (var channel in _channels)
        {
            // A channel closed to the person in between is refused: the others still count.
            try { await hub.InvokeAsync("JoinChannel", _teamId, channel); }
            catch (HubException e) { log.LogDebug("Joining team channel {Channel} refused: {Message}", channel, e.Message); }
        }
        // The kennisbank's changes go to the members who read it (not to guests): refused for a guest.
        try { await hub.InvokeAsync("JoinKennisbank", _teamId); }
        catch (HubException e) { log.LogDebug("Joining the kennisbank of team {Team} refused: {Message}", _teamId, e.Message); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }
}
