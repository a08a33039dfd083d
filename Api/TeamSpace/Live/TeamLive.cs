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
    public const string ArticleChanged = "articleChanged";
    public const string TeamAccessEnded = "teamAccessEnded";

    public static string ChannelGroup(long channelId) => "team-channel:" + channelId;

    /// <summary>The members of a team who read its kennisbank (not guests): they hear of every article written, edited, sent for review or approved.</summary>
    public static string KennisbankGroup(long teamId) => "team-kennisbank:" + teamId;

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

    /// <summary>An article was created, edited, sent for review or approved: its summary goes to the team's kennisbank group.</summary>
    public async Task ArticleChangedAsync(long teamId, ArticleSummary article)
    {
        try
        {
            await hub.Clients.Group(KennisbankGroup(teamId)).SendAsync(ArticleChanged, article);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Team space: sending {Change} for article {ArticleId} failed", ArticleChanged, article.Id);
        }
    }

    /// <summary>
    /// Takes the member's connections out of the team's groups and tells them: the whole team (<paramref name="channelId"/>
    /// null: every channel group and the kennisbank group; one <c>teamAccessEnded</c> per connection with channelId null),
    /// or one channel (that channel's id).
    /// </summary>
    public async Task AccessEndedAsync(string memberKey, long teamId, long? channelId = null)
    {
        foreach (var (connectionId, channels, kennisbank) in connections.Take(memberKey, teamId, channelId))
        {
            foreach (var channel in channels) await hub.Groups.RemoveFromGroupAsync(connectionId, ChannelGroup(channel));
            if (kennisbank) await hub.Groups.RemoveFromGroupAsync(connectionId, KennisbankGroup(teamId));
            await hub.Clients.Client(connectionId).SendAsync(TeamAccessEnded, new TeamAccessEnded(teamId, channelId));
        }
    }
}
