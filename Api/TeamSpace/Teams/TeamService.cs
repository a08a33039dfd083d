using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Live;
using Pgo.Shared.Contracts;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;

namespace Pgo.Api.TeamSpace.Teams;

public sealed record CreateTeamRequest(string? Name, string? Slug = null, string? Description = null, string? Handle = null);

/// <summary>Adds (or brings back) a member by their member key: the fhirUser of their account ("Person/...").</summary>
public sealed record AddMemberRequest(string? MemberKey, string? Handle, string? Name, string? Role);

public sealed record CreateChannelRequest(string? Name, string? Slug = null, string? Description = null);

/// <summary>Teams, members and channels as the API offers them. Removing a member ends their access at once, also on the hub.</summary>
public sealed class TeamService(TeamDirectory directory, TeamLive live)
{
    public async Task<IReadOnlyList<TeamSummary>> MyTeamsAsync(TeamCaller caller, CancellationToken ct) =>
        (await directory.TeamsOfAsync(caller.Key, ct)).Select(t => new TeamSummary(t.Team.Id, t.Team.Slug, t.Team.Name, t.Member.Role)).ToList();

    public async Task<Outcome<TeamView>> CreateTeamAsync(TeamCaller caller, CreateTeamRequest request, CancellationToken ct)
    {
        if (!caller.MayCreateTeams) return TeamError.Forbidden(ApiText.TeamCreateOnlySupporters);
        var input = new TeamInput();
        var name = input.Text("name", request.Name, TeamInput.MaxNameLength);
        var description = input.Text("description", request.Description, 500, required: false);
        var slug = input.Slug("slug", request.Slug, name);
        var handle = input.Handle("handle", request.Handle ?? TeamInput.Slugify(caller.Name).Split('-')[0]);
        if (!input.IsValid) return input.Error();
        try
        {
            var team = await directory.CreateTeamAsync(slug, name, description, caller, handle, ct);
            return new TeamView(team.Id, team.Slug, team.Name, team.Description, TeamRoles.Coach, handle, []);
        }
        catch (Exception e) when (TeamSpaceDatabase.IsUniqueViolation(e))
        {
            return TeamError.Conflict(ApiProblem.Text(ApiText.TeamSlugTaken, slug));
        }
    }

    public async Task<Outcome<TeamView>> GetAsync(TeamAccess access, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadTeam) is { } refused) return refused;
        var team = (await directory.TeamAsync(access.TeamId, ct))!;
        var followed = await directory.FollowedChannelsAsync(access.TeamId, access.Caller.Key, ct);
        var channels = (await directory.ChannelsAsync(access.TeamId, ct))
            .Where(ch => Can(access, TeamOperation.ReadChannel, ch.Id))
            .Select(ch => new ChannelView(ch.Id, ch.Slug, ch.Name, ch.Description, followed.Contains(ch.Id))).ToList();
        return new TeamView(team.Id, team.Slug, team.Name, team.Description, access.Member!.Role, access.Member.Handle, channels);
    }

    public async Task<Outcome<IReadOnlyList<MemberView>>> MembersAsync(TeamAccess access, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadTeam) is { } refused) return refused;
        return Outcome.Of<IReadOnlyList<MemberView>>((await directory.MembersAsync(access.TeamId, ct))
            .Select(m => new MemberView(m.MemberKey, m.Handle, m.DisplayName, m.Role, DateTimeOffset.FromUnixTimeMilliseconds(m.JoinedMs))).ToList());
    }

    public async Task<Outcome<MemberView>> AddMemberAsync(TeamAccess access, AddMemberRequest request, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ManageMembers) is { } refused) return refused;
        var input = new TeamInput();
        var key = input.Text("memberKey", request.MemberKey, 200);
        var handle = input.Handle("handle", request.Handle);
        var name = input.Text("name", request.Name, TeamInput.MaxNameLength);
        var role = (request.Role ?? "").Trim().ToLowerInvariant();
        if (!TeamRoles.All.Contains(role)) input.Fail("role", ApiProblem.Text(ApiText.ChooseOneOf, string.Join(", ", TeamRoles.All)));
        if (!input.IsValid) return input.Error();
        if (await directory.MemberByHandleAsync(access.TeamId, handle, ct) is { } other && other.MemberKey != key)
            return TeamError.Conflict(ApiProblem.Text(ApiText.TeamHandleTaken, handle));
        if (role != TeamRoles.Coach && await IsLastCoachAsync(access.TeamId, key, ct))
            return TeamError.Conflict(ApiText.TeamNeedsCoach);
        try
        {
            await directory.AddMemberAsync(access.TeamId, key, handle, name, role, ct);
        }
        catch (Exception e) when (TeamSpaceDatabase.IsUniqueViolation(e))
        {
            return TeamError.Conflict(ApiProblem.Text(ApiText.TeamHandleTaken, handle));
        }
        var member = (await directory.MembershipAsync(access.TeamId, key, ct))!;
        // A role that reads fewer channels (e.g. supporter to guest) takes effect on the hub at once too.
        if (role == TeamRoles.Guest) await live.AccessEndedAsync(key, access.TeamId);
        return new MemberView(member.MemberKey, member.Handle, member.DisplayName, member.Role, DateTimeOffset.FromUnixTimeMilliseconds(member.JoinedMs));
    }

    /// <summary>A member leaves (handle "me" or their own), or the coach removes one. Access ends at once.</summary>
    public async Task<Outcome<MemberView>> RemoveMemberAsync(TeamAccess access, string handle, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadTeam) is { } notMember) return notMember;
        var member = handle == "me" ? access.Member! : await directory.MemberByHandleAsync(access.TeamId, handle.ToLowerInvariant(), ct);
        if (member is null) return TeamError.NotFound(ApiProblem.Text(ApiText.TeamNoMemberNamed, handle));
        var self = member.MemberKey == access.Caller.Key;
        if (!self && Check(access, TeamOperation.ManageMembers) is { } refused) return refused;
        if (member.Role == TeamRoles.Coach && await IsLastCoachAsync(access.TeamId, member.MemberKey, ct))
            return TeamError.Conflict(ApiText.TeamNeedsCoachAppointFirst);
        await directory.RemoveMemberAsync(access.TeamId, member.MemberKey, ct);
        await live.AccessEndedAsync(member.MemberKey, access.TeamId);
        return new MemberView(member.MemberKey, member.Handle, member.DisplayName, member.Role, DateTimeOffset.FromUnixTimeMilliseconds(member.JoinedMs));
    }

    public async Task<Outcome<ChannelView>> CreateChannelAsync(TeamAccess access, CreateChannelRequest request, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ManageChannels) is { } refused) return refused;
        var input = new TeamInput();
        var name = input.Text("name", request.Name, TeamInput.MaxNameLength);
        var description = input.Text("description", request.Description, 500, required: false);
        var slug = input.Slug("slug", request.Slug, name);
        if (!input.IsValid) return input.Error();
        try
        {
            var ch = await directory.CreateChannelAsync(access.TeamId, slug, name, description, ct);
            return new ChannelView(ch.Id, ch.Slug, ch.Name, ch.Description);
        }
        catch (Exception e) when (TeamSpaceDatabase.IsUniqueViolation(e))
        {
            return TeamError.Conflict(ApiProblem.Text(ApiText.TeamChannelSlugTaken, slug));
        }
    }

    /// <summary>
    /// Follows a channel, or stops following it: a new kennisbank article in a followed channel becomes a notification.
    /// Anyone who reads the channel may follow it (nobody does by default); a channel they cannot read is "not found".
    /// </summary>
    public async Task<Outcome<ChannelView>> FollowAsync(TeamAccess access, long channelId, bool follow, CancellationToken ct)
    {
        var channel = await directory.ChannelAsync(access.TeamId, channelId, ct);
        if (channel is null || !Can(access, TeamOperation.ReadChannel, channelId))
            return Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamChannelHidden);
        await directory.SetFollowAsync(channelId, access.Caller.Key, follow, ct);
        return new ChannelView(channel.Id, channel.Slug, channel.Name, channel.Description, follow);
    }

    /// <summary>Opens a channel to a guest, or closes it again (closing takes the guest's connections out of the channel at once).</summary>
    public async Task<Outcome<MemberView>> SetGuestAccessAsync(TeamAccess access, long channelId, string handle, bool open, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ManageChannels) is { } refused) return refused;
        if (await directory.ChannelAsync(access.TeamId, channelId, ct) is null) return TeamError.NotFound(ApiText.TeamChannelNotFound);
        var member = await directory.MemberByHandleAsync(access.TeamId, handle.ToLowerInvariant(), ct);
        if (member is null) return TeamError.NotFound(ApiProblem.Text(ApiText.TeamNoMemberNamed, handle));
        if (member.Role != TeamRoles.Guest)
            return new TeamError(422, ApiText.TeamNotAGuestTitle, ApiText.TeamNotAGuest);
        await directory.SetGuestAccessAsync(channelId, member.MemberKey, open, ct);
        if (!open) await live.AccessEndedAsync(member.MemberKey, access.TeamId, channelId);
        return new MemberView(member.MemberKey, member.Handle, member.DisplayName, member.Role, DateTimeOffset.FromUnixTimeMilliseconds(member.JoinedMs));
    }

    private async Task<bool> IsLastCoachAsync(long teamId, string memberKey, CancellationToken ct)
    {
        var coaches = (await directory.MembersAsync(teamId, ct)).Where(m => m.Role == TeamRoles.Coach).ToList();
        return coaches.Count == 1 && coaches[0].MemberKey == memberKey;
    }
}
