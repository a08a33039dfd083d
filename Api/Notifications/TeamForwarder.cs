using Dapper;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;

namespace Pgo.Api.Notifications;

/// <summary>
/// Brings the team space's own notifications (ts_notification: a mention, a reply to one's post, a new article in a
/// followed channel) to the bell. The team space writes them in the transaction of the post or article; this follows
/// that table by id from the persisted cursor <c>team</c> and adds each through the <see cref="NotificationSink"/> with
/// the key <c>team:{id}</c>, so two Api instances, or a batch retried after a stop, deliver each once. The cursor moves
/// only after a batch is handed to the sink: an instance that stops mid-way loses nothing.
/// Whether the recipient may know of it is decided again at this moment (<see cref="TeamSpaceAuthorization"/>): someone
/// who left the team, or lost the channel, between the post and now, is told nothing.
/// </summary>
public sealed class TeamNotificationForwarder(
    TeamSpaceDatabase db, TeamSpaceAuthorization authorization, INotificationStore store, NotificationSink sink,
    ILogger<TeamNotificationForwarder> log) : Pgo.Api.Hosting.HostedLoop
{
    public const string Consumer = "team";
    private const int Batch = 200;
    // The team space has no change signal across instances; a short poll on the primary key is cheap. Real time, not the
    // injected clock: a test's fake clock must not stop the forwarding (the notification's own time is its created_ms).
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>The first start begins at the newest notification: what was there before (the demo's) is not brought to the bell.
    /// Done before the host has started, so nothing written after start-up is skipped.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.NotificationCursorAsync(Consumer, cancellationToken) is null)
        {
            var latest = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM ts_notification;"), cancellationToken) ?? 0;
            await store.AdvanceNotificationCursorAsync(Consumer, latest, cancellationToken);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means there may be more: go on at once.
                if (await ForwardOnceAsync(stoppingToken) == Batch) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Team notifications: forwarding failed; trying again");
            }
            try { await Task.Delay(Poll, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Forwards the notifications after the cursor (at most one batch) and moves the cursor past them; returns how many it read.</summary>
    public async Task<int> ForwardOnceAsync(CancellationToken ct)
    {
        var after = await store.NotificationCursorAsync(Consumer, ct) ?? 0;
        var rows = (await db.ReadAsync(c => c.QueryAsync<Row>("""
            SELECT n.id, n.team_id, n.recipient_key, n.kind, n.post_id, n.article_id, n.actor_key, n.actor_name, n.created_ms,
                   COALESCE(p.channel_id, a.channel_id) AS channel_id, a.slug AS article_slug
            FROM ts_notification n LEFT JOIN ts_post p ON p.id = n.post_id LEFT JOIN ts_article a ON a.id = n.article_id
            WHERE n.id > @after ORDER BY n.id LIMIT @Batch;
            """, new { after, Batch }), ct)).ToList();
        if (rows.Count == 0) return 0;

        foreach (var row in rows)
        {
            if (await MayKnowAsync(row, ct) && Notification(row) is { } notification) await sink.AddAsync(notification, ct);
        }
        await store.AdvanceNotificationCursorAsync(Consumer, rows[^1].Id, ct);
        return rows.Count;
    }

    /// <summary>Still a member, and still reading what it is about (the post's channel; the kennisbank and the article's channel).</summary>
    private async Task<bool> MayKnowAsync(Row row, CancellationToken ct)
    {
        var access = await authorization.AccessAsync(new TeamCaller(row.RecipientKey, "", "", []), row.TeamId, ct);
        return access.IsMember && PostViews.MayRead(access, row.PostId, row.ArticleId, row.ChannelId);
    }

    private static NewNotification? Notification(Row row)
    {
        var (kind, item) = row.Kind switch
        {
            TeamNotifications.Mention when row.PostId is { } post => (NotificationKinds.TeamMention, $"team/{row.TeamId}/post/{post}"),
            TeamNotifications.Reply when row.PostId is { } post => (NotificationKinds.TeamReply, $"team/{row.TeamId}/post/{post}"),
            TeamNotifications.Article when row.ArticleSlug is { } slug => (NotificationKinds.TeamArticle, $"team/{row.TeamId}/article/{slug}"),
            TeamNotifications.EditRequest when row.PostId is { } post => (NotificationKinds.TeamEditRequest, $"team/{row.TeamId}/post/{post}"),
            TeamNotifications.ReviewRequest when row.ArticleSlug is { } slug => (NotificationKinds.TeamReviewRequest, $"team/{row.TeamId}/article/{slug}"),
            TeamNotifications.Signal when row.PostId is { } post => (NotificationKinds.TeamSignal, $"team/{row.TeamId}/post/{post}"),
            _ => (null, null),
        };
        if (kind is null) return null;
        return new NewNotification(row.RecipientKey, $"team:{row.Id}", kind, PatientId: null, Section: null, item, row.ActorKey, row.ActorName,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs));
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long TeamId { get; set; }
        public string RecipientKey { get; set; } = "";
        public string Kind { get; set; } = "";
        public long? PostId { get; set; }
        public long? ArticleId { get; set; }
        public string ActorKey { get; set; } = "";
        public string ActorName { get; set; } = "";
        public long CreatedMs { get; set; }
        public long? ChannelId { get; set; }
        public string? ArticleSlug { get; set; }
    }
}
