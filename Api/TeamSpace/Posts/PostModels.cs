using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Posts;

public sealed class PostRow
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long ChannelId { get; set; }
    public long? ThreadId { get; set; }
    public string AuthorKey { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public string Body { get; set; } = "";
    public long CreatedMs { get; set; }
    public long? EditedMs { get; set; }
    public string? EditedBy { get; set; }
    public long? DeletedMs { get; set; }
    public string? DeletedBy { get; set; }
    public long? PinnedMs { get; set; }
    public string? PinnedBy { get; set; }
    public string? ConfirmedFindings { get; set; }
    public long ReplyCount { get; set; }
    public long LastActivityMs { get; set; }
    public string? SignalInstantie { get; set; }
    public string? SignalTheme { get; set; }
    public string? SignalBy { get; set; }
    public long? SignalMs { get; set; }
    public long? SignalFamilies { get; set; }
    public string? SignalSummary { get; set; }
}

/// <summary>Create, reply or edit. <see cref="Confirmed"/>: the author saw the de-identification findings and saves anyway.</summary>
public sealed record WritePostRequest(string? Body, bool Confirmed = false, IReadOnlyList<long>? AttachmentIds = null, string? Reason = null);

public sealed record ModerationEntry(long Id, long PostId, string Action, PersonRef Moderator, string AuthorKey, string Reason, DateTimeOffset At);

/// <summary>A team-space notification: kind "mention" or "reply" (about a post), or "article" (a new kennisbank article in a
/// channel the recipient follows: <see cref="PostId"/> null, <see cref="ArticleSlug"/> set, <see cref="Excerpt"/> its title).</summary>
public sealed record TeamNotificationView(long Id, long TeamId, string Kind, long? PostId, long? ChannelId, long? ThreadId, PersonRef Actor, string Excerpt,
    DateTimeOffset At, bool Read, string? ArticleSlug = null);

/// <summary>The reactions on offer; a short fixed set keeps reactions readable and the column small.</summary>
public static class Reactions
{
    public static readonly IReadOnlyList<string> All = ["👍", "❤️", "🙏", "💡", "✅", "😮", "🎉", "👀"];
}
