using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Teams;

namespace Pgo.Api.TeamSpace;

/// <summary>What someone may want to do in a team space; decided in <see cref="TeamSpaceAuthorization"/> only.</summary>
public enum TeamOperation
{
    ReadTeam,
    ReadChannel,
    Post,
    React,
    EditOwnPost,
    ModeratePost,
    Pin,
    MarkBottleneck,
    ReadBottlenecks,
    ReadArticles,
    WriteArticles,
    ReviewArticle,
    ManageMembers,
    ManageChannels,
    ReadModerationLog,
    /// <summary>Issue 19: see the posts saved despite the guard (<c>/flagged</c>), ask for an edit, mark one in order; and see a post's mark.</summary>
    ReviewFlagged,
    /// <summary>Issue 20: add a measurement instrument (a Questionnaire) for all families, or retire one the team added.</summary>
    ManageInstruments,
    /// <summary>Issue 21: read the business-case models (the project's and the programmes' copies) and their totals.</summary>
    ReadBusinessCaseModels,
}

/// <summary>A caller's standing in one team, loaded fresh for every request (leaving the team ends access at once).</summary>
public sealed record TeamAccess(TeamCaller Caller, long TeamId, MemberRow? Member, IReadOnlySet<long> GuestChannels)
{
    public bool IsMember => Member is not null;
}

/// <summary>
/// The one place where team-space access is decided. Only members read a team; guests read and post only in
/// the channels opened to them and not in the kennisbank; coaches and experts moderate; the coach manages
/// members and channels and sees the bottlenecks and the moderation log.
/// Refusals do not reveal what the caller may not know: a team or channel they cannot read is "not found".
/// </summary>
public sealed class TeamSpaceAuthorization(TeamDirectory directory)
{
    public async Task<TeamAccess> AccessAsync(TeamCaller caller, long teamId, CancellationToken ct)
    {
        var member = await directory.MembershipAsync(teamId, caller.Key, ct);
        IReadOnlySet<long> guestChannels = member?.Role == TeamRoles.Guest
            ? await directory.GuestChannelsAsync(teamId, caller.Key, ct)
            : new HashSet<long>();
        return new TeamAccess(caller, teamId, member, guestChannels);
    }

    /// <summary>A channel id is only meaningful inside its own team: a member of one team must not reach another's channel.</summary>
    public async Task<bool> ChannelInTeamAsync(long teamId, long channelId, CancellationToken ct) =>
        await directory.ChannelAsync(teamId, channelId, ct) is not null;

    /// <param name="channelId">The channel the operation touches (for channel and post operations).</param>
    /// <param name="authorKey">The author of the post the operation touches (for <see cref="TeamOperation.EditOwnPost"/>).</param>
    public static bool Can(TeamAccess access, TeamOperation operation, long? channelId = null, string? authorKey = null)
    {
        if (access.Member is not { } member) return false;
        var role = member.Role;
        var fullMember = role is TeamRoles.Supporter or TeamRoles.Coach or TeamRoles.Expert;
        var moderator = role is TeamRoles.Coach or TeamRoles.Expert;
        var coach = role == TeamRoles.Coach;
        var readsChannel = channelId is { } id && (fullMember || access.GuestChannels.Contains(id));

        return operation switch
        {
            TeamOperation.ReadTeam => true,
            TeamOperation.ReadChannel or TeamOperation.Post or TeamOperation.React => readsChannel,
            TeamOperation.EditOwnPost => readsChannel && authorKey == access.Caller.Key,
            TeamOperation.ModeratePost or TeamOperation.Pin => readsChannel && moderator,
            TeamOperation.MarkBottleneck => readsChannel && fullMember,
            TeamOperation.ReadArticles or TeamOperation.WriteArticles => fullMember,
            TeamOperation.ReviewArticle or TeamOperation.ReviewFlagged => moderator,
            TeamOperation.ReadBottlenecks or TeamOperation.ManageMembers or TeamOperation.ManageChannels or TeamOperation.ReadModerationLog
                or TeamOperation.ManageInstruments or TeamOperation.ReadBusinessCaseModels => coach,
            _ => false,
        };
    }

    /// <summary>
    /// The landelijk coördinator (Identity role <c>coordinator</c>, issue 19): the programme view of the knelpunten of all
    /// teams under /api/signalling. Not a team role: it opens no team, channel or dossier.
    /// </summary>
    public static bool MayCoordinate(TeamCaller caller) => caller.Roles.Contains(Pgo.Shared.Codes.AccountRoles.Coordinator);

    /// <summary>
    /// The coach of a team sees the time of its members as totals (issue 20, Api/Practice): per supporter, activity and
    /// month, never a family, a note or an entry. Guests' time is not the team's.
    /// </summary>
    public static bool SeesMembersTime(string roleInTeam) => roleInTeam == TeamRoles.Coach;

    /// <summary>Whose time a coach sees in the totals: the team's members but its guests.</summary>
    public static bool TimeCountsForTeam(string roleInTeam) => roleInTeam != TeamRoles.Guest;

    /// <summary>Null when allowed; otherwise the refusal to send (404 where the caller may not even know the thing exists).</summary>
    public static TeamError? Check(TeamAccess access, TeamOperation operation, long? channelId = null, string? authorKey = null)
    {
        if (Can(access, operation, channelId, authorKey)) return null;
        if (!access.IsMember) return TeamError.NotFound(ApiText.TeamNotMember);
        if (channelId is { } id && !Can(access, TeamOperation.ReadChannel, id))
            return TeamError.NotFound(ApiText.TeamChannelHidden);
        return TeamError.Forbidden(operation switch
        {
            TeamOperation.EditOwnPost => ApiText.TeamOwnPostsOnly,
            TeamOperation.ModeratePost or TeamOperation.Pin => ApiText.TeamCoachOrExpertOnly,
            TeamOperation.ReadArticles or TeamOperation.WriteArticles or TeamOperation.MarkBottleneck => ApiText.TeamGuestsNoAccess,
            TeamOperation.ReviewArticle => ApiText.TeamReviewCoachOrExpert,
            TeamOperation.ReviewFlagged => ApiText.TeamFlaggedCoachOrExpert,
            _ => ApiText.TeamCoachOnly,
        });
    }
}
