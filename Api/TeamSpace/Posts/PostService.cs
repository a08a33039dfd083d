using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Live;
using Pgo.Api.TeamSpace.Safety;
using Pgo.Api.TeamSpace.Search;
using Pgo.Api.TeamSpace.Teams;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;
using Pgo.Shared.Text;
using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Posts;

/// <summary>
/// Conversation in the channels: threads, replies, edits, deletes, reactions, pins, bottleneck signals,
/// mentions with notifications. Every write is one transaction (post, search index, notifications,
/// moderation log together); the real-time event follows the commit.
/// </summary>
public sealed partial class PostService(
    TeamSpaceDatabase db, TeamDirectory directory, TeamSpaceAuthorization authorization, TeamSearch search,
    DeidentificationGuard guard, PostViews views, TeamLive live, TimeProvider clock)
{
    /// <summary>The longest thread title.</summary>
    public const int MaxThreadTitle = 120;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<PostRow?> LoadAsync(long teamId, long postId, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PostRow>("SELECT * FROM ts_post WHERE id = @postId AND team_id = @teamId;", new { teamId, postId }), ct);

    /// <summary>A new thread in a channel (<paramref name="replyTo"/> null) or a reply in the thread of <paramref name="replyTo"/>.</summary>
    public async Task<Outcome<PostView>> CreateAsync(TeamAccess access, long channelId, long? replyTo, WritePostRequest request, CancellationToken ct)
    {
        PostRow? root = null;
        if (replyTo is { } targetId)
        {
            var target = await LoadAsync(access.TeamId, targetId, ct);
            if (target is null || !Can(access, TeamOperation.ReadChannel, target.ChannelId)) return PostNotFound(access);
            root = target.ThreadId is { } rootId ? await LoadAsync(access.TeamId, rootId, ct) : target;
            if (root is null) return PostNotFound(access);
            channelId = root.ChannelId;
        }
        else if (!await authorization.ChannelInTeamAsync(access.TeamId, channelId, ct))
        {
            return Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamChannelHidden);
        }
        if (Check(access, TeamOperation.Post, channelId) is { } refused) return refused;

        var input = new TeamInput();
        var body = input.Text("body", request.Body, TeamInput.MaxPostLength, multiline: true);
        var title = input.Text("title", request.Title, MaxThreadTitle, required: false);
        if (root is not null && title.Length > 0) input.Fail("title", ApiText.TeamTitleOnlyOnThreads);
        var attachmentIds = (request.AttachmentIds ?? []).Distinct().ToList();
        if (attachmentIds.Count > 10) input.Fail("attachmentIds", "Maximaal 10 bijlagen per bericht.");
        if (!input.IsValid) return input.Error();
        var (guardRefusal, confirmed) = await guard.ReviewAsync(access.TeamId, access.Caller.Key, [("title", title), ("body", body)], request.Confirmed, ct);
        if (guardRefusal is not null) return guardRefusal;
        var mentioned = await MentionedAsync(access.TeamId, channelId, body, ct);

        var now = Now;
        var caller = access.Caller;
        var id = await db.WriteAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO ts_post (team_id, channel_id, thread_id, author_key, author_name, body, created_ms, confirmed_findings, last_activity_ms, title)
                VALUES (@TeamId, @channelId, @threadId, @Key, @Name, @body, @now, @confirmed, @now, @title) RETURNING id;
                """, new { access.TeamId, channelId, threadId = root?.Id, caller.Key, caller.Name, body, now, confirmed, title = title.Length > 0 ? title : null }, tx);
            if (root is not null)
            {
                await c.ExecuteAsync("UPDATE ts_post SET reply_count = reply_count + 1, last_activity_ms = @now WHERE id = @Id;", new { root.Id, now }, tx);
            }
            foreach (var attachmentId in attachmentIds)
            {
                var claimed = await c.ExecuteAsync("""
                    UPDATE ts_attachment SET post_id = @id
                    WHERE id = @attachmentId AND team_id = @TeamId AND channel_id = @channelId AND uploaded_by = @Key AND post_id IS NULL;
                    """, new { id, attachmentId, access.TeamId, channelId, caller.Key }, tx);
                if (claimed != 1)
                    throw new TeamRefusal(TeamError.Invalid("attachmentIds", ApiProblem.Text(ApiText.TeamAttachmentUnusable, attachmentId)));
            }
            await IndexAsync(c, tx, access.TeamId, id, channelId, caller.Key, title, body, now);
            var notified = new HashSet<string> { caller.Key };
            await TeamNotifications.AddAsync(c, tx, db.IsPostgres, access.TeamId, TeamNotifications.Mention, id, null, caller, mentioned.Where(notified.Add).ToList(), now);
            if (root is not null && notified.Add(root.AuthorKey) && root.DeletedMs is null)
                await TeamNotifications.AddAsync(c, tx, db.IsPostgres, access.TeamId, TeamNotifications.Reply, id, null, caller, [root.AuthorKey], now);
            return id;
        }, ct);

        var view = await views.ViewAsync(access.TeamId, id, ct, access);
        await live.PostChangedAsync(TeamLive.PostCreated, view with { Flag = null }); // the mark is for the author and the moderators only
        return view;
    }

    /// <summary>The author edits their post, or a coach/expert moderates another's (with a reason, logged).</summary>
    public async Task<Outcome<PostView>> EditAsync(TeamAccess access, long postId, WritePostRequest request, CancellationToken ct)
    {
        var (post, refused) = await PostForAsync(access, postId, p => OwnOrModerate(p, access), ct);
        if (post is null) return refused!;
        var own = post.AuthorKey == access.Caller.Key;

        var input = new TeamInput();
        var body = input.Text("body", request.Body, TeamInput.MaxPostLength, multiline: true);
        var reason = input.Text("reason", request.Reason, 500, required: !own);
        var title = post.Title;
        if (request.Title is not null)
        {
            var asked = input.Text("title", request.Title, MaxThreadTitle, required: false);
            if (post.ThreadId is not null && asked.Length > 0) input.Fail("title", ApiText.TeamTitleOnlyOnThreads);
            title = asked.Length > 0 ? asked : null;
        }
        if (request.AttachmentIds is { Count: > 0 }) input.Fail("attachmentIds", ApiText.TeamAttachOnPosting);
        if (!input.IsValid) return input.Error();
        var (guardRefusal, confirmed) = await guard.ReviewAsync(access.TeamId, access.Caller.Key, [("title", title ?? ""), ("body", body)], request.Confirmed, ct);
        if (guardRefusal is not null) return guardRefusal;
        var before = (await MentionedAsync(access.TeamId, post.ChannelId, post.Body, ct)).ToHashSet();
        var newlyMentioned = (await MentionedAsync(access.TeamId, post.ChannelId, body, ct)).Where(m => !before.Contains(m) && m != access.Caller.Key).ToList();

        var now = Now;
        await db.WriteAsync(async (c, tx) =>
        {
            // The coach's mark: a text the guard passes clean ends it (findings, request, handled); a text still confirmed
            // despite findings stays marked, to be looked at again (unless a moderator wrote it: then it is in order).
            await c.ExecuteAsync("""
                UPDATE ts_post SET body = @body, title = @title, edited_ms = @now, edited_by = @Key, confirmed_findings = @confirmed,
                    edit_requested_ms = CASE WHEN @clean THEN NULL ELSE edit_requested_ms END,
                    edit_requested_by = CASE WHEN @clean THEN NULL ELSE edit_requested_by END,
                    edit_request_reason = CASE WHEN @clean THEN NULL ELSE edit_request_reason END,
                    flag_handled_ms = @handledMs, flag_handled_by = @handledBy
                WHERE id = @postId;
                """, new { body, title, now, access.Caller.Key, confirmed, postId, clean = confirmed is null,
                    handledMs = confirmed is not null && !own ? now : (long?)null, handledBy = confirmed is not null && !own ? access.Caller.Key : null }, tx);
            if (!own) await LogModerationAsync(c, tx, access, post, "bewerkt", reason, now);
            await IndexAsync(c, tx, access.TeamId, postId, post.ChannelId, post.AuthorKey, title ?? "", body, post.CreatedMs);
            await TeamNotifications.AddAsync(c, tx, db.IsPostgres, access.TeamId, TeamNotifications.Mention, postId, null, access.Caller, newlyMentioned, now);
        }, ct);

        var view = await views.ViewAsync(access.TeamId, postId, ct, access);
        await live.PostChangedAsync(TeamLive.PostEdited, view with { Flag = null });
        return view;
    }

    /// <summary>
    /// The coach (or an expert) asks the author of a marked post (saved despite the guard) to edit it, with a reason: the
    /// author is notified ("edit-request"); the moderation log records who asked, without the post's text.
    /// </summary>
    public async Task<Outcome<PostView>> RequestEditAsync(TeamAccess access, long postId, EditRequestBody? request, CancellationToken ct)
    {
        var (post, refused) = await PostForAsync(access, postId, _ => TeamOperation.ReviewFlagged, ct);
        if (post is null) return refused!;
        var input = new TeamInput();
        var reason = input.Text("reason", request?.Reason, 500);
        if (input.IsValid && reason.Length < 3) input.Fail("reason", ApiText.TeamEditRequestReason);
        if (!input.IsValid) return input.Error();
        if (string.IsNullOrEmpty(post.ConfirmedFindings)) return TeamError.Conflict(ApiText.TeamPostNotFlagged);

        var now = Now;
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("""
                UPDATE ts_post SET edit_requested_ms = @now, edit_requested_by = @Key, edit_request_reason = @reason,
                    flag_handled_ms = NULL, flag_handled_by = NULL
                WHERE id = @postId;
                """, new { now, access.Caller.Key, reason, postId }, tx);
            await LogModerationAsync(c, tx, access, post, "aanpassing gevraagd", reason, now);
            if (post.AuthorKey != access.Caller.Key)
                await TeamNotifications.AddAsync(c, tx, db.IsPostgres, access.TeamId, TeamNotifications.EditRequest, postId, null, access.Caller, [post.AuthorKey], now);
        }, ct);
        return await views.ViewAsync(access.TeamId, postId, ct, access);
    }

    /// <summary>The coach (or an expert) finds a marked post in order: the mark is handled (an open edit request ends).</summary>
    public async Task<Outcome<PostView>> FlagHandledAsync(TeamAccess access, long postId, CancellationToken ct)
    {
        var (post, refused) = await PostForAsync(access, postId, _ => TeamOperation.ReviewFlagged, ct);
        if (post is null) return refused!;
        if (string.IsNullOrEmpty(post.ConfirmedFindings)) return TeamError.Conflict(ApiText.TeamPostNotFlagged);

        var now = Now;
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("""
                UPDATE ts_post SET flag_handled_ms = @now, flag_handled_by = @Key,
                    edit_requested_ms = NULL, edit_requested_by = NULL, edit_request_reason = NULL
                WHERE id = @postId;
                """, new { now, access.Caller.Key, postId }, tx);
            await LogModerationAsync(c, tx, access, post, "in orde", "", now);
        }, ct);
        return await views.ViewAsync(access.TeamId, postId, ct, access);
    }

    /// <summary>Deletes a post: its text, search entry, pin and signal go; the thread keeps its place.</summary>
    public async Task<Outcome<PostView>> DeleteAsync(TeamAccess access, long postId, string? reasonText, CancellationToken ct)
    {
        var (post, refused) = await PostForAsync(access, postId, p => OwnOrModerate(p, access), ct);
        if (post is null) return refused!;
        var own = post.AuthorKey == access.Caller.Key;
        var input = new TeamInput();
        var reason = input.Text("reason", reasonText, 500, required: !own);
        if (!input.IsValid) return input.Error();

        var now = Now;
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("""
                UPDATE ts_post SET body = '', deleted_ms = @now, deleted_by = @Key, pinned_ms = NULL, pinned_by = NULL,
                    signal_instantie = NULL, signal_theme = NULL, signal_by = NULL, signal_ms = NULL
                WHERE id = @postId;
                """, new { now, access.Caller.Key, postId }, tx);
            if (!own) await LogModerationAsync(c, tx, access, post, "verwijderd", reason, now);
            await search.RemoveAsync(c, tx, TeamSearch.PostKind, postId);
        }, ct);

        var view = await views.ViewAsync(access.TeamId, postId, ct, access);
        await live.PostChangedAsync(TeamLive.PostDeleted, view with { Flag = null });
        return view;
    }

    public async Task<Outcome<PostView>> ReactAsync(TeamAccess access, long postId, string emoji, bool add, CancellationToken ct)
    {
        if (!Reactions.All.Contains(emoji)) return TeamError.Invalid("emoji", ApiProblem.Text(ApiText.ChooseOneOf, string.Join(' ', Reactions.All)));
        var (post, refused) = await PostForAsync(access, postId, _ => TeamOperation.React, ct);
        if (post is null) return refused!;

        await db.WriteAsync((c, tx) => c.ExecuteAsync(add
            ? "INSERT INTO ts_reaction (post_id, member_key, emoji, created_ms) VALUES (@postId, @Key, @emoji, @now) ON CONFLICT DO NOTHING;"
            : "DELETE FROM ts_reaction WHERE post_id = @postId AND member_key = @Key AND emoji = @emoji;",
            new { postId, access.Caller.Key, emoji, now = Now }, tx), ct);

        var view = await views.ViewAsync(access.TeamId, postId, ct, access);
        await live.PostChangedAsync(TeamLive.ReactionsChanged, view with { Flag = null });
        return view;
    }

    public async Task<Outcome<PostView>> PinAsync(TeamAccess access, long postId, bool pin, CancellationToken ct)
    {
        var (post, refused) = await PostForAsync(access, postId, _ => TeamOperation.Pin, ct);
        if (post is null) return refused!;

        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE ts_post SET pinned_ms = @pinnedMs, pinned_by = @pinnedBy WHERE id = @postId;",
            new { postId, pinnedMs = pin ? Now : (long?)null, pinnedBy = pin ? access.Caller.Key : null }, tx), ct);

        var view = await views.ViewAsync(access.TeamId, postId, ct, access);
        await live.PostChangedAsync(TeamLive.PinChanged, view with { Flag = null });
        return view;
    }

    /// <summary>Signaleren: marks a post as a system bottleneck with the instantie and theme (null request: unmark).</summary>
    public async Task<Outcome<PostView>> SignalAsync(TeamAccess access, long postId, BottleneckRequest? request, CancellationToken ct)
    {
        var (post, refused) = await PostForAsync(access, postId, _ => TeamOperation.MarkBottleneck, ct);
        if (post is null) return refused!;

        string? instantie = null, theme = null;
        if (request is not null)
        {
            var input = new TeamInput();
            instantie = (request.Instantie ?? "").Trim().ToLowerInvariant();
            if (!Instanties.All.Contains(instantie)) input.Fail("instantie", ApiProblem.Text(ApiText.ChooseOneOf, string.Join(", ", Instanties.All)));
            // Bundled case-insensitively: "PGB-uitbetaling" and "pgb-uitbetaling" are one theme.
            theme = string.Join(' ', input.Text("theme", request.Theme, 80).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (!input.IsValid) return input.Error();
        }
        await db.WriteAsync((c, tx) => c.ExecuteAsync("""
            UPDATE ts_post SET signal_instantie = @instantie, signal_theme = @theme, signal_by = @by, signal_ms = @at WHERE id = @postId;
            """, new { postId, instantie, theme, by = request is null ? null : access.Caller.Key, at = request is null ? (long?)null : Now }, tx), ct);
        return await views.ViewAsync(access.TeamId, postId, ct);
    }

    /// <summary>Marks a channel read up to a post (default: its newest post).</summary>
    public async Task<Outcome<UnreadView>> MarkReadAsync(TeamAccess access, long channelId, long? upToPostId, CancellationToken ct)
    {
        var channel = await directory.ChannelAsync(access.TeamId, channelId, ct);
        if (channel is null || !Can(access, TeamOperation.ReadChannel, channelId))
            return Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamChannelHidden);
        await db.WriteAsync(async (c, tx) =>
        {
            var upTo = upToPostId ?? await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM ts_post WHERE channel_id = @channelId;", new { channelId }, tx) ?? 0;
            await c.ExecuteAsync("""
                INSERT INTO ts_channel_read (channel_id, member_key, last_read_post_id) VALUES (@channelId, @Key, @upTo)
                ON CONFLICT (channel_id, member_key) DO UPDATE SET last_read_post_id =
                    CASE WHEN excluded.last_read_post_id > ts_channel_read.last_read_post_id THEN excluded.last_read_post_id ELSE ts_channel_read.last_read_post_id END;
                """, new { channelId, access.Caller.Key, upTo }, tx);
        }, ct);
        return (await views.UnreadAsync(access, ct)).Single(u => u.ChannelId == channelId);
    }

    private static TeamOperation OwnOrModerate(PostRow post, TeamAccess access) =>
        post.AuthorKey == access.Caller.Key ? TeamOperation.EditOwnPost : TeamOperation.ModeratePost;

    /// <summary>
    /// The post, when it is in a channel the caller reads, the caller may do the operation on it, and it is not
    /// deleted; otherwise the refusal (404 when the caller may not know the post, 403, or 409 when deleted).
    /// </summary>
    private async Task<(PostRow? Post, TeamError? Refusal)> PostForAsync(TeamAccess access, long postId, Func<PostRow, TeamOperation> operation, CancellationToken ct)
    {
        var post = await LoadAsync(access.TeamId, postId, ct);
        if (post is null || !Can(access, TeamOperation.ReadChannel, post.ChannelId)) return (null, PostNotFound(access));
        if (Check(access, operation(post), post.ChannelId, post.AuthorKey) is { } refused) return (null, refused);
        if (post.DeletedMs is not null) return (null, TeamError.Conflict(ApiText.TeamPostDeleted));
        return (post, null);
    }

    private static TeamError PostNotFound(TeamAccess access) =>
        Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamPostHidden);

    private async Task IndexAsync(DbConnection c, DbTransaction tx, long teamId, long postId, long channelId, string authorKey, string title, string body, long createdMs) =>
        await search.IndexAsync(c, tx, new SearchDocument(teamId, TeamSearch.PostKind, postId, channelId, authorKey, title,
            MarkdownRenderer.ToPlainText(body), createdMs, PostViews.HashTags(body)));

    private static Task LogModerationAsync(DbConnection c, DbTransaction tx, TeamAccess access, PostRow post, string action, string reason, long now) =>
        c.ExecuteAsync("""
            INSERT INTO ts_moderation (team_id, post_id, action, moderator_key, moderator_name, author_key, reason, created_ms)
            VALUES (@TeamId, @Id, @action, @Key, @Name, @AuthorKey, @reason, @now);
            """, new { post.TeamId, post.Id, action, access.Caller.Key, access.Caller.Name, post.AuthorKey, reason, now }, tx);

    /// <summary>The members named as @handle who may read the channel (a mention never leaks a post to someone who cannot read it).</summary>
    private async Task<IReadOnlyList<string>> MentionedAsync(long teamId, long channelId, string body, CancellationToken ct)
    {
        var handles = MentionPattern().Matches(body).Select(m => m.Groups[1].Value.TrimEnd('.', '-', '_').ToLowerInvariant()).Distinct().ToList();
        if (handles.Count == 0) return [];
        var members = await directory.MembersAsync(teamId, ct);
        var result = new List<string>();
        foreach (var m in members.Where(m => handles.Contains(m.Handle)))
        {
            var guestChannels = m.Role == TeamRoles.Guest ? await directory.GuestChannelsAsync(teamId, m.MemberKey, ct) : new HashSet<long>();
            var theirAccess = new TeamAccess(new TeamCaller(m.MemberKey, "", m.DisplayName, []), teamId, m, guestChannels);
            if (Can(theirAccess, TeamOperation.ReadChannel, channelId)) result.Add(m.MemberKey);
        }
        return result;
    }

    [GeneratedRegex(@"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{1,31})", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();
}
