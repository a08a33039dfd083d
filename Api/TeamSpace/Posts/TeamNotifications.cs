using System.Data.Common;
using Dapper;

namespace Pgo.Api.TeamSpace.Posts;

/// <summary>
/// Writes a team-space notification (ts_notification) inside the caller's transaction, so a post or article and its
/// notifications commit together. The Api's <c>TeamNotificationForwarder</c> follows this table by id; on PostgreSQL an
/// identity value is taken at insert, not at commit, so two writers could commit out of order and the forwarder, past
/// the later id, would never see the earlier one. The transaction lock below (held until commit) makes id order commit
/// order, as the FHIR outbox does; SQLite has one writer at a time.
/// </summary>
public static class TeamNotifications
{
    public const string Mention = "mention";
    public const string Reply = "reply";
    public const string Article = "article";
    /// <summary>Issue 19: the coach asks the author to edit a marked post (post_id).</summary>
    public const string EditRequest = "edit-request";
    /// <summary>Issue 19: a member asks the coaches and experts to review an article (article_id).</summary>
    public const string ReviewRequest = "review-request";
    /// <summary>Issue 19: the bundle of a knelpunt the recipient marked or wrote changed status or outcome (post_id).</summary>
    public const string Signal = "signal";

    private const long OrderLockKey = 727017;

    public static async Task AddAsync(DbConnection c, DbTransaction tx, bool postgres, long teamId, string kind, long? postId, long? articleId,
        TeamCaller actor, IEnumerable<string> recipients, long now)
    {
        var locked = false;
        foreach (var recipient in recipients)
        {
            if (postgres && !locked)
            {
                await c.ExecuteAsync($"SELECT pg_advisory_xact_lock({OrderLockKey});", transaction: tx);
                locked = true;
            }
            await c.ExecuteAsync("""
                INSERT INTO ts_notification (team_id, recipient_key, kind, post_id, article_id, actor_key, actor_name, created_ms)
                VALUES (@teamId, @recipient, @kind, @postId, @articleId, @Key, @Name, @now);
                """, new { teamId, recipient, kind, postId, articleId, actor.Key, actor.Name, now }, tx);
        }
    }
}
