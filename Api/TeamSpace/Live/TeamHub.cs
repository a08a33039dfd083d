using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Pgo.Api.Errors;

namespace Pgo.Api.TeamSpace.Live;

/// <summary>
/// <c>/hubs/team</c>: a member's client joins the channels it shows and receives "postCreated", "postEdited",
/// "postDeleted", "reactionsChanged" and "pinChanged" with the post; it joins the team's kennisbank (full members) and
/// receives "articleChanged" with the article's summary; and "teamAccessEnded" when it may no longer read. Joining checks the membership like any request; leaving the team removes the connection from the groups.
/// Signed in at the door, like <c>/hubs/dossier</c>: an anonymous negotiate gets 401 instead of a connection that is aborted later.
/// </summary>
[Authorize]
public sealed class TeamHub(TeamSpaceAuthorization authorization, TeamHubConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        if (TeamCaller.From(Context.User) is not { } caller)
        {
            Context.Abort();
            return Task.CompletedTask;
        }
        connections.Connected(Context.ConnectionId, caller.Key);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public async Task JoinChannel(long teamId, long channelId)
    {
        var caller = TeamCaller.From(Context.User) ?? throw new HubException(ApiText.HubNotSignedIn);
        // Registered before the check, checked again after joining: a removal that runs in between
        // either finds the registration or is seen by the second check.
        connections.Joined(Context.ConnectionId, teamId, channelId);
        if (!await MayReadAsync(caller, teamId, channelId))
        {
            connections.Left(Context.ConnectionId, teamId, channelId);
            throw new HubException(ApiText.TeamChannelHidden);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, TeamLive.ChannelGroup(channelId));
        if (!await MayReadAsync(caller, teamId, channelId))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, TeamLive.ChannelGroup(channelId));
            connections.Left(Context.ConnectionId, teamId, channelId);
            throw new HubException(ApiText.TeamChannelHidden);
        }
    }

    public async Task LeaveChannel(long teamId, long channelId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, TeamLive.ChannelGroup(channelId));
        connections.Left(Context.ConnectionId, teamId, channelId);
    }

    /// <summary>Follows the team's kennisbank (<c>articleChanged</c>): full members only (<see cref="TeamOperation.ReadArticles"/>), not guests.</summary>
    public async Task JoinKennisbank(long teamId)
    {
        var caller = TeamCaller.From(Context.User) ?? throw new HubException(ApiText.HubNotSignedIn);
        // As for a channel: registered first, checked before and after joining, so a removal in between is never missed.
        connections.JoinedKennisbank(Context.ConnectionId, teamId);
        if (!await MayReadArticlesAsync(caller, teamId))
        {
            connections.LeftKennisbank(Context.ConnectionId, teamId);
            throw new HubException(ApiText.TeamGuestsNoAccess);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, TeamLive.KennisbankGroup(teamId));
        if (!await MayReadArticlesAsync(caller, teamId))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, TeamLive.KennisbankGroup(teamId));
            connections.LeftKennisbank(Context.ConnectionId, teamId);
            throw new HubException(ApiText.TeamGuestsNoAccess);
        }
    }

    public async Task LeaveKennisbank(long teamId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, TeamLive.KennisbankGroup(teamId));
        connections.LeftKennisbank(Context.ConnectionId, teamId);
    }

    private async Task<bool> MayReadArticlesAsync(TeamCaller caller, long teamId) =>
        TeamSpaceAuthorization.Can(await authorization.AccessAsync(caller, teamId, Context.ConnectionAborted), TeamOperation.ReadArticles);

    private async Task<bool> MayReadAsync(TeamCaller caller, long teamId, long channelId)
    {
        var access = await authorization.AccessAsync(caller, teamId, Context.ConnectionAborted);
        return TeamSpaceAuthorization.Can(access, TeamOperation.ReadChannel, channelId)
            && await authorization.ChannelInTeamAsync(teamId, channelId, Context.ConnectionAborted);
    }
}
