using System.Data.Common;
using Dapper;
using Pgo.Api.TeamSpace.Data;

namespace Pgo.Api.TeamSpace.Teams;

public static class TeamRoles
{
    public const string Supporter = "supporter";
    public const string Coach = "coach";
    public const string Expert = "expert";
    public const string Guest = "guest";
    public static readonly IReadOnlyList<string> All = [Supporter, Coach, Expert, Guest];
}

public sealed class TeamRow
{
    public long Id { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public long CreatedMs { get; set; }
}

public sealed class MemberRow
{
    public long TeamId { get; set; }
    public string MemberKey { get; set; } = "";
    public string Handle { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Role { get; set; } = "";
    public long JoinedMs { get; set; }
    public long? LeftMs { get; set; }
}

public sealed class ChannelRow
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public long CreatedMs { get; set; }
}

/// <summary>Teams, their members (with a role) and their channels. No access decisions here: see <see cref="TeamSpaceAuthorization"/>.</summary>
public sealed class TeamDirectory(TeamSpaceDatabase db, TimeProvider clock)
{
    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<TeamRow?> TeamAsync(long teamId, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<TeamRow>("SELECT * FROM ts_team WHERE id = @teamId;", new { teamId }), ct);

    public Task<TeamRow?> TeamBySlugAsync(string slug, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<TeamRow>("SELECT * FROM ts_team WHERE slug = @slug;", new { slug }), ct);

    public async Task<IReadOnlyList<(TeamRow Team, MemberRow Member)>> TeamsOfAsync(string memberKey, CancellationToken ct)
    {
        var rows = await db.ReadAsync(c => c.QueryAsync<TeamRow, MemberRow, (TeamRow, MemberRow)>("""
            SELECT t.*, m.* FROM ts_team t JOIN ts_member m ON m.team_id = t.id
            WHERE m.member_key = @memberKey AND m.left_ms IS NULL ORDER BY t.name;
            """, (t, m) => (t, m), new { memberKey }, splitOn: "team_id"), ct);
        return rows.ToList();
    }

    public async Task<TeamRow> CreateTeamAsync(string slug, string name, string description, TeamCaller founder, string founderHandle, CancellationToken ct)
    {
        var now = Now;
        return await db.WriteAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO ts_team (slug, name, description, created_ms) VALUES (@slug, @name, @description, @now) RETURNING id;",
                new { slug, name, description, now }, tx);
            await UpsertMemberAsync(c, tx, id, founder.Key, founderHandle, founder.Name, TeamRoles.Coach, now);
            return new TeamRow { Id = id, Slug = slug, Name = name, Description = description, CreatedMs = now };
        }, ct);
    }

    /// <summary>The active membership of <paramref name="memberKey"/>, or null (never joined, or left).</summary>
    public Task<MemberRow?> MembershipAsync(long teamId, string memberKey, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<MemberRow>(
            "SELECT * FROM ts_member WHERE team_id = @teamId AND member_key = @memberKey AND left_ms IS NULL;", new { teamId, memberKey }), ct);

    public async Task<IReadOnlyList<MemberRow>> MembersAsync(long teamId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<MemberRow>(
            "SELECT * FROM ts_member WHERE team_id = @teamId AND left_ms IS NULL ORDER BY display_name;", new { teamId }), ct)).ToList();

    public Task<MemberRow?> MemberByHandleAsync(long teamId, string handle, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<MemberRow>(
            "SELECT * FROM ts_member WHERE team_id = @teamId AND handle = @handle AND left_ms IS NULL;", new { teamId, handle }), ct);

    /// <summary>Adds a member, or brings back one who left (with the new handle and role).</summary>
    public Task AddMemberAsync(long teamId, string memberKey, string handle, string displayName, string role, CancellationToken ct) =>
        db.WriteAsync((c, tx) => UpsertMemberAsync(c, tx, teamId, memberKey, handle, displayName, role, Now), ct);

    private static async Task UpsertMemberAsync(DbConnection c, DbTransaction tx, long teamId, string memberKey, string handle, string displayName, string role, long now)
    {
        await c.ExecuteAsync("""
            INSERT INTO ts_member (team_id, member_key, handle, display_name, role, joined_ms, left_ms)
            VALUES (@teamId, @memberKey, @handle, @displayName, @role, @now, NULL)
            ON CONFLICT (team_id, member_key) DO UPDATE SET handle = excluded.handle, display_name = excluded.display_name,
                role = excluded.role, joined_ms = excluded.joined_ms, left_ms = NULL;
            """, new { teamId, memberKey, handle, displayName, role, now }, tx);
    }

    /// <summary>Ends a membership at once: the member and their guest openings are gone from every access decision.</summary>
    public Task<bool> RemoveMemberAsync(long teamId, string memberKey, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var changed = await c.ExecuteAsync(
                "UPDATE ts_member SET left_ms = @now WHERE team_id = @teamId AND member_key = @memberKey AND left_ms IS NULL;",
                new { teamId, memberKey, now = Now }, tx);
            await c.ExecuteAsync(
                "DELETE FROM ts_channel_guest WHERE member_key = @memberKey AND channel_id IN (SELECT id FROM ts_channel WHERE team_id = @teamId);",
                new { teamId, memberKey }, tx);
            return changed > 0;
        }, ct);

    public async Task<IReadOnlyList<ChannelRow>> ChannelsAsync(long teamId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<ChannelRow>("SELECT * FROM ts_channel WHERE team_id = @teamId ORDER BY name;", new { teamId }), ct)).ToList();

    public Task<ChannelRow?> ChannelAsync(long teamId, long channelId, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ChannelRow>(
            "SELECT * FROM ts_channel WHERE team_id = @teamId AND id = @channelId;", new { teamId, channelId }), ct);

    public Task<ChannelRow> CreateChannelAsync(long teamId, string slug, string name, string description, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var now = Now;
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO ts_channel (team_id, slug, name, description, created_ms) VALUES (@teamId, @slug, @name, @description, @now) RETURNING id;",
                new { teamId, slug, name, description, now }, tx);
            return new ChannelRow { Id = id, TeamId = teamId, Slug = slug, Name = name, Description = description, CreatedMs = now };
        }, ct);

    /// <summary>The channels opened to a guest in this team.</summary>
    public async Task<IReadOnlySet<long>> GuestChannelsAsync(long teamId, string memberKey, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<long>("""
            SELECT g.channel_id FROM ts_channel_guest g JOIN ts_channel ch ON ch.id = g.channel_id
            WHERE ch.team_id = @teamId AND g.member_key = @memberKey;
            """, new { teamId, memberKey }), ct)).ToHashSet();

    public Task SetGuestAccessAsync(long channelId, string memberKey, bool open, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(open
            ? "INSERT INTO ts_channel_guest (channel_id, member_key) VALUES (@channelId, @memberKey) ON CONFLICT DO NOTHING;"
            : "DELETE FROM ts_channel_guest WHERE channel_id = @channelId AND member_key = @memberKey;",
            new { channelId, memberKey }, tx), ct);

    /// <summary>The channels of this team a member follows (a new kennisbank article there is a notification for them).</summary>
    public async Task<IReadOnlySet<long>> FollowedChannelsAsync(long teamId, string memberKey, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<long>("""
            SELECT f.channel_id FROM ts_channel_follow f JOIN ts_channel ch ON ch.id = f.channel_id
            WHERE ch.team_id = @teamId AND f.member_key = @memberKey;
            """, new { teamId, memberKey }), ct)).ToHashSet();

    /// <summary>The members (still in the team) who follow a channel; whether each may read what they would be told is the caller's to decide.</summary>
    public async Task<IReadOnlyList<MemberRow>> FollowersAsync(long teamId, long channelId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<MemberRow>("""
            SELECT m.* FROM ts_channel_follow f JOIN ts_member m ON m.member_key = f.member_key AND m.team_id = @teamId
            WHERE f.channel_id = @channelId AND m.left_ms IS NULL ORDER BY m.member_key;
            """, new { teamId, channelId }), ct)).ToList();

    public Task SetFollowAsync(long channelId, string memberKey, bool follow, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(follow
            ? "INSERT INTO ts_channel_follow (channel_id, member_key, created_ms) VALUES (@channelId, @memberKey, @now) ON CONFLICT DO NOTHING;"
            : "DELETE FROM ts_channel_follow WHERE channel_id = @channelId AND member_key = @memberKey;",
            new { channelId, memberKey, now = Now }, tx), ct);
}
