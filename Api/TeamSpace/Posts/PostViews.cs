using System.Text.RegularExpressions;
using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Teams;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;
using Pgo.Shared.Text;
using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Posts;

/// <summary>The read side of the conversation: posts as views (rendered, with reactions and attachments), threads, unread counts, notifications, bottlenecks, the moderation log.</summary>
public sealed partial class PostViews(TeamSpaceDatabase db, TeamDirectory directory, TeamSpaceAuthorization authorization, MarkdownRenderer markdown, TimeProvider clock)
{
    public const int MaxPage = 100;

    /// <param name="viewer">Who will see the view: the coach's mark (<see cref="PostView.Flag"/>) only for the author, coaches and
    /// experts; null (a view for everyone, e.g. a hub event) leaves it out.</param>
    public async Task<PostView> ViewAsync(long teamId, long postId, CancellationToken ct, TeamAccess? viewer = null)
    {
        var row = await db.ReadAsync(c => c.QuerySingleAsync<PostRow>("SELECT * FROM ts_post WHERE id = @postId AND team_id = @teamId;", new { teamId, postId }), ct);
        return (await ViewsAsync([row], ct, viewer))[0];
    }

    public async Task<Outcome<PostView>> GetAsync(TeamAccess access, long postId, CancellationToken ct)
    {
        var row = await LoadReadableAsync(access, postId, ct);
        if (row is null) return NotFound(access);
        return await ViewAsync(access.TeamId, postId, ct, access);
    }

    /// <summary>
    /// The posts saved despite the guard's findings, for the coach and experts: open marks first (not yet found in order),
    /// newest first, at most 200. Deleted posts drop out.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<PostView>>> FlaggedAsync(TeamAccess access, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReviewFlagged) is { } refused) return refused;
        var rows = (await db.ReadAsync(c => c.QueryAsync<PostRow>("""
            SELECT * FROM ts_post
            WHERE team_id = @TeamId AND deleted_ms IS NULL AND confirmed_findings IS NOT NULL AND confirmed_findings <> ''
            ORDER BY CASE WHEN flag_handled_ms IS NULL THEN 0 ELSE 1 END, id DESC LIMIT 200;
            """, new { access.TeamId }), ct)).Where(r => Can(access, TeamOperation.ReadChannel, r.ChannelId)).ToList();
        return Outcome.Of(await ViewsAsync(rows, ct, access));
    }

    /// <summary>Threads of a channel, newest first; <paramref name="before"/> pages back by post id.</summary>
    public async Task<Outcome<IReadOnlyList<PostView>>> ThreadsAsync(TeamAccess access, long channelId, long? before, int limit, CancellationToken ct)
    {
        if (await ChannelRefusalAsync(access, channelId, ct) is { } refused) return refused;
        var rows = await db.ReadAsync(c => c.QueryAsync<PostRow>("""
            SELECT * FROM ts_post
            WHERE channel_id = @channelId AND thread_id IS NULL AND id < @before AND (deleted_ms IS NULL OR reply_count > 0)
            ORDER BY id DESC LIMIT @limit;
            """, new { channelId, before = before ?? long.MaxValue, limit = Math.Clamp(limit, 1, MaxPage) }), ct);
        return Outcome.Of(await ViewsAsync(rows.ToList(), ct, access));
    }

    public async Task<Outcome<ThreadView>> ThreadAsync(TeamAccess access, long postId, CancellationToken ct)
    {
        var row = await LoadReadableAsync(access, postId, ct);
        if (row is null) return NotFound(access);
        var rootId = row.ThreadId ?? row.Id;
        var rows = (await db.ReadAsync(c => c.QueryAsync<PostRow>(
            "SELECT * FROM ts_post WHERE id = @rootId OR thread_id = @rootId ORDER BY id LIMIT 1001;", new { rootId }), ct)).ToList();
        var all = await ViewsAsync(rows, ct, access);
        return new ThreadView(all[0], all.Skip(1).ToList());
    }

    public async Task<Outcome<IReadOnlyList<PostView>>> PinnedAsync(TeamAccess access, long channelId, CancellationToken ct)
    {
        if (await ChannelRefusalAsync(access, channelId, ct) is { } refused) return refused;
        var rows = await db.ReadAsync(c => c.QueryAsync<PostRow>(
            "SELECT * FROM ts_post WHERE channel_id = @channelId AND pinned_ms IS NOT NULL ORDER BY pinned_ms DESC LIMIT 100;", new { channelId }), ct);
        return Outcome.Of(await ViewsAsync(rows.ToList(), ct, access));
    }

    /// <summary>Per readable channel: posts by others after the member's read marker.</summary>
    public async Task<IReadOnlyList<UnreadView>> UnreadAsync(TeamAccess access, CancellationToken ct)
    {
        var channels = (await directory.ChannelsAsync(access.TeamId, ct)).Where(ch => Can(access, TeamOperation.ReadChannel, ch.Id)).ToList();
        var args = new DynamicParameters(new { me = access.Caller.Key });
        var inList = SqlList.In("ch.id", "Ch", channels.Select(ch => ch.Id), args);
        var counts = (await db.ReadAsync(c => c.QueryAsync<(long ChannelId, long Unread, long? Latest)>($"""
            SELECT ch.id, COUNT(p.id), MAX(p.id)
            FROM ts_channel ch
            LEFT JOIN ts_channel_read r ON r.channel_id = ch.id AND r.member_key = @me
            LEFT JOIN ts_post p ON p.channel_id = ch.id AND p.id > COALESCE(r.last_read_post_id, 0)
                AND p.deleted_ms IS NULL AND p.author_key <> @me
            WHERE {inList}
            GROUP BY ch.id;
            """, args), ct)).ToDictionary(r => r.ChannelId);
        return channels.Select(ch => counts.TryGetValue(ch.Id, out var n)
            ? new UnreadView(ch.Id, ch.Name, (int)n.Unread, n.Latest)
            : new UnreadView(ch.Id, ch.Name, 0, null)).ToList();
    }

    /// <summary>
    /// The caller's notifications across teams, newest first, only where they may still read what it is about (the
    /// post's channel; for an article the kennisbank and its channel): someone who left a team no longer sees its notifications.
    /// </summary>
    public async Task<IReadOnlyList<TeamNotificationView>> NotificationsAsync(TeamCaller caller, bool unreadOnly, CancellationToken ct)
    {
        var rows = (await db.ReadAsync(c => c.QueryAsync<NotificationRow>($"""
            SELECT n.id, n.team_id, n.kind, n.post_id, n.article_id, n.actor_key, n.actor_name, n.created_ms, n.read_ms,
                   COALESCE(p.channel_id, a.channel_id) AS channel_id, p.thread_id, COALESCE(p.body, '') AS body, p.deleted_ms,
                   a.slug AS article_slug, a.title AS article_title
            FROM ts_notification n LEFT JOIN ts_post p ON p.id = n.post_id LEFT JOIN ts_article a ON a.id = n.article_id
            WHERE n.recipient_key = @Key {(unreadOnly ? "AND n.read_ms IS NULL" : "")}
            ORDER BY n.id DESC LIMIT 200;
            """, new { caller.Key }), ct)).ToList();
        var result = new List<TeamNotificationView>();
        foreach (var team in rows.GroupBy(r => r.TeamId))
        {
            var access = await authorization.AccessAsync(caller, team.Key, ct);
            result.AddRange(team.Where(r => MayRead(access, r.PostId, r.ArticleId, r.ChannelId)).Select(r => new TeamNotificationView(
                r.Id, r.TeamId, r.Kind, r.PostId, r.ChannelId, r.ThreadId, new PersonRef(r.ActorKey, r.ActorName),
                r.ArticleId is not null ? r.ArticleTitle ?? "" : r.DeletedMs is null ? Excerpt(r.Body) : "", FromMs(r.CreatedMs), r.ReadMs is not null,
                r.ArticleSlug)));
        }
        return result.OrderByDescending(n => n.Id).Take(MaxPage).ToList();
    }

    /// <summary>
    /// Whether a member may read what a notification is about, decided now: a post needs its channel; an article the
    /// kennisbank (no guests) and, when it belongs to a channel, that channel too.
    /// </summary>
    public static bool MayRead(TeamAccess access, long? postId, long? articleId, long? channelId) =>
        postId is not null ? channelId is { } postChannel && Can(access, TeamOperation.ReadChannel, postChannel)
        : articleId is not null && Can(access, TeamOperation.ReadArticles) && (channelId is not { } articleChannel || Can(access, TeamOperation.ReadChannel, articleChannel));

    public Task MarkNotificationsReadAsync(TeamCaller caller, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var args = new DynamicParameters(new { caller.Key, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        var which = ids is null ? "" : " AND " + SqlList.In("id", "N", ids, args);
        return db.WriteAsync((c, tx) => c.ExecuteAsync(
            $"UPDATE ts_notification SET read_ms = @now WHERE recipient_key = @Key AND read_ms IS NULL{which};", args, tx), ct);
    }

    /// <summary>Signalled bottlenecks bundled by instantie and theme: how often, how recent, which posts.</summary>
    public async Task<Outcome<IReadOnlyList<BottleneckBundle>>> BottlenecksAsync(TeamAccess access, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadBottlenecks) is { } refused) return refused;
        var rows = await db.ReadAsync(c => c.QueryAsync<PostRow>("""
            SELECT * FROM ts_post WHERE team_id = @TeamId AND signal_instantie IS NOT NULL AND deleted_ms IS NULL ORDER BY signal_ms DESC, id DESC;
            """, new { access.TeamId }), ct);
        IReadOnlyList<BottleneckBundle> bundles = rows
            .GroupBy(r => (r.SignalInstantie!, r.SignalTheme!))
            .Select(g => new BottleneckBundle(g.Key.Item1, g.Key.Item2, g.Count(), FromMs(g.First().SignalMs!.Value),
                g.Take(20).Select(r => new BottleneckPost(r.Id, r.ChannelId, r.ThreadId, Excerpt(r.Body), r.SignalBy!, FromMs(r.SignalMs!.Value),
                    $"/api/team/teams/{r.TeamId}/posts/{r.Id}")).ToList()))
            .OrderByDescending(b => b.Count).ThenByDescending(b => b.LatestAt)
            .ToList();
        return Outcome.Of(bundles);
    }

    public async Task<Outcome<IReadOnlyList<ModerationEntry>>> ModerationLogAsync(TeamAccess access, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadModerationLog) is { } refused) return refused;
        var rows = await db.ReadAsync(c => c.QueryAsync<ModerationRow>(
            "SELECT * FROM ts_moderation WHERE team_id = @TeamId ORDER BY id DESC LIMIT 500;", new { access.TeamId }), ct);
        return Outcome.Of<IReadOnlyList<ModerationEntry>>(rows.Select(r => new ModerationEntry(r.Id, r.PostId, r.Action,
            new PersonRef(r.ModeratorKey, r.ModeratorName), r.AuthorKey, r.Reason, FromMs(r.CreatedMs))).ToList());
    }

    public async Task<IReadOnlyList<PostView>> ViewsAsync(IReadOnlyList<PostRow> rows, CancellationToken ct, TeamAccess? viewer = null)
    {
        if (rows.Count == 0) return [];
        var flags = await FlagsAsync(rows, viewer, ct);
        var args = new DynamicParameters();
        var ids = SqlList.In("post_id", "P", rows.Select(r => r.Id), args);
        var (reactions, attachments) = await db.ReadAsync(async c => (
            (await c.QueryAsync<(long PostId, string Emoji, string MemberKey)>(
                $"SELECT post_id, emoji, member_key FROM ts_reaction WHERE {ids} ORDER BY created_ms;", args)).ToList(),
            (await c.QueryAsync<(long Id, long PostId, string FileName, string ContentType, long SizeBytes)>(
                $"SELECT id, post_id, file_name, content_type, size_bytes FROM ts_attachment WHERE {ids} ORDER BY id;", args)).ToList()), ct);
        var reactionsByPost = reactions.ToLookup(r => r.PostId);
        var attachmentsByPost = attachments.ToLookup(a => a.PostId);

        return rows.Select(r =>
        {
            var deleted = r.DeletedMs is not null;
            return new PostView(
                r.Id, r.TeamId, r.ChannelId, r.ThreadId, new PersonRef(r.AuthorKey, r.AuthorName),
                r.Body, deleted ? "" : markdown.ToHtml(r.Body), FromMs(r.CreatedMs),
                r.EditedMs is { } e ? FromMs(e) : null, r.EditedBy, deleted, r.PinnedMs is { } p ? FromMs(p) : null,
                (int)r.ReplyCount, FromMs(r.LastActivityMs),
                deleted ? [] : reactionsByPost[r.Id].GroupBy(x => x.Emoji).Select(g => new ReactionView(g.Key, g.Count(), g.Select(x => x.MemberKey).ToList())).ToList(),
                r.SignalInstantie is { } i ? new BottleneckView(i, r.SignalTheme!, r.SignalBy!, FromMs(r.SignalMs!.Value)) : null,
                deleted ? [] : attachmentsByPost[r.Id].Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.SizeBytes,
                    $"/api/team/teams/{r.TeamId}/attachments/{a.Id}")).ToList(),
                HashTags(r.Body),
                r.ConfirmedFindings is { Length: > 0 } f ? f.Split(',') : [],
                r.ThreadId is null ? r.Title : null,
                deleted ? null : flags.GetValueOrDefault(r.Id));
        }).ToList();
    }

    /// <summary>
    /// The coach's marks on <paramref name="rows"/> that <paramref name="viewer"/> may see: a post saved despite the guard,
    /// seen by its author and by the team's coaches and experts; names of who asked or handled it from the members list.
    /// </summary>
    private async Task<Dictionary<long, PostFlagView>> FlagsAsync(IReadOnlyList<PostRow> rows, TeamAccess? viewer, CancellationToken ct)
    {
        var result = new Dictionary<long, PostFlagView>();
        if (viewer is null) return result;
        var moderator = Can(viewer, TeamOperation.ReviewFlagged);
        var flagged = rows.Where(r => r.ConfirmedFindings is { Length: > 0 } && r.DeletedMs is null && (moderator || r.AuthorKey == viewer.Caller.Key)).ToList();
        if (flagged.Count == 0) return result;
        Dictionary<string, string>? names = null;
        async Task<string?> NameAsync(string? key)
        {
            if (key is null) return null;
            names ??= (await directory.MembersAsync(viewer.TeamId, ct)).ToDictionary(m => m.MemberKey, m => m.DisplayName, StringComparer.Ordinal);
            return names.GetValueOrDefault(key) ?? ApiText.SomeoneName;
        }
        foreach (var r in flagged)
        {
            result[r.Id] = new PostFlagView(r.ConfirmedFindings!.Split(','),
                r.EditRequestedMs is { } asked ? FromMs(asked) : null, await NameAsync(r.EditRequestedBy), r.EditRequestReason,
                r.FlagHandledMs is { } handled ? FromMs(handled) : null, await NameAsync(r.FlagHandledBy));
        }
        return result;
    }

    /// <summary>Tags of a post: its #hashtags, folded like article tags ("#PGB" is "pgb").</summary>
    public static IReadOnlyList<string> HashTags(string body) =>
        HashTagPattern().Matches(body).Select(m => TeamInput.NormalizeTag(m.Groups[1].Value)).OfType<string>().Distinct().ToList();

    public static string Excerpt(string markdownText, int max = 160)
    {
        var plain = MarkdownRenderer.ToPlainText(markdownText).ReplaceLineEndings(" ");
        return plain.Length <= max ? plain : plain[..max].TrimEnd() + "…";
    }

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);


    private async Task<PostRow?> LoadReadableAsync(TeamAccess access, long postId, CancellationToken ct)
    {
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PostRow>(
            "SELECT * FROM ts_post WHERE id = @postId AND team_id = @TeamId;", new { postId, access.TeamId }), ct);
        return row is not null && Can(access, TeamOperation.ReadChannel, row.ChannelId) ? row : null;
    }

    private async Task<TeamError?> ChannelRefusalAsync(TeamAccess access, long channelId, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadChannel, channelId) is { } refused) return refused;
        return await authorization.ChannelInTeamAsync(access.TeamId, channelId, ct) ? null : TeamError.NotFound(ApiText.TeamChannelNotFound);
    }

    private static TeamError NotFound(TeamAccess access) =>
        Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamPostHidden);

    private sealed class NotificationRow
    {
        public long Id { get; set; }
        public long TeamId { get; set; }
        public string Kind { get; set; } = "";
        public long? PostId { get; set; }
        public long? ArticleId { get; set; }
        public string ActorKey { get; set; } = "";
        public string ActorName { get; set; } = "";
        public long CreatedMs { get; set; }
        public long? ReadMs { get; set; }
        public long? ChannelId { get; set; }
        public long? ThreadId { get; set; }
        public string Body { get; set; } = "";
        public long? DeletedMs { get; set; }
        public string? ArticleSlug { get; set; }
        public string? ArticleTitle { get; set; }
    }

    private sealed class ModerationRow
    {
        public long Id { get; set; }
        public long PostId { get; set; }
        public string Action { get; set; } = "";
        public string ModeratorKey { get; set; } = "";
        public string ModeratorName { get; set; } = "";
        public string AuthorKey { get; set; } = "";
        public string Reason { get; set; } = "";
        public long CreatedMs { get; set; }
    }

    [GeneratedRegex(@"(?<![\w#&/])#([\p{L}\p{N}][\p{L}\p{N}-]{0,39})", RegexOptions.CultureInvariant)]
    private static partial Regex HashTagPattern();
}
