using Microsoft.AspNetCore.SignalR;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Live;

/// <summary>
/// The one class where a team-space change becomes a real-time event. Called after the change is committed.
/// (The outbox that makes this survive a crash between commit and send is the real-time issue's work.)
/// </summary>
public sealed class TeamLive(IHubContext<TeamHub> hub, TeamHubConnections connections, ILogger<TeamLive> logger)
{
    public const string PostCreated = "postCreated";
    public const string PostEdited = "postEdited";
    public const string PostDeleted = "postDeleted";
    public const string ReactionsChanged = "reactionsChanged";
    public const string PinChanged = "pinChanged";
    public const string TeamAccessEnded = "teamAccessEnded";

    public static string ChannelGroup(long channelId) => "team-channel:" + channelId;

    public async Task PostChangedAsync(string change, PostView post)
    {
        try
        {
            await hub.Clients.Group(ChannelGroup(post.ChannelId)).SendAsync(change, post);
        }
        catch (Exception e)
        {
            // The change is stored; a failed push must not turn the request into an error.
            logger.LogWarning(e, "Team space: sending {Change} for post {PostId} failed", change, post.Id);
        }
    }

    /// <summary>Takes the member's connections out of the team's channel groups (all, or one channel) and tells them.</summary>
    public async Task AccessEndedAsync(string memberKey, long teamId, long? channelId = null)
    {
        foreach (var (connectionId, channel) in connections.TakeMember(memberKey, teamId, channelId))
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, ChannelGroup(channel));
            await hub.Clients.Client(connectionId).SendAsync(TeamAccessEnded, new { teamId, channelId = channel });
        }
    }
}
