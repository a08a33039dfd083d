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
    public string? Title { get; set; }
    public long? EditRequestedMs { get; set; }
    public string? EditRequestedBy { get; set; }
    public string? EditRequestReason { get; set; }
    public long? FlagHandledMs { get; set; }
    public string? FlagHandledBy { get; set; }
    public long ReplyCount { get; set; }
    public long LastActivityMs { get; set; }
    public string? SignalInstantie { get; set; }
    public string? SignalTheme { get; set; }
    public string? SignalBy { get; set; }
    public long? SignalMs { get; set; }
}

/// <summary>Create, reply or edit. <see cref="Confirmed"/>: the author saw the de-identification findings and saves anyway.
/// <see cref="Title"/>: a thread's title (a new thread or an edit of its first post; at most 120 characters; a reply has none).
/// In an edit, null keeps the title and "" removes it.</summary>
public sealed record WritePostRequest(string? Body, bool Confirmed = false, IReadOnlyList<long>? AttachmentIds = null, string? Reason = null, string? Title = null);

public sealed record BottleneckRequest(string? Instantie, string? Theme);

public sealed record ModerationEntry(long Id, long PostId, string Action, PersonRef Moderator, string AuthorKey, string Reason, DateTimeOffset At);

/// <summary>A team-space notification: kind "mention" or "reply" (about a post), or "article" (a new kennisbank article in a
/// channel the recipient follows: <see cref="PostId"/> null, <see cref="ArticleSlug"/> set, <see cref="Excerpt"/> its title).</summary>
public sealed record TeamNotificationView(long Id, long TeamId, string Kind, long? PostId, long? ChannelId, long? ThreadId, PersonRef Actor, string Excerpt,
    DateTimeOffset At, bool Read, string? ArticleSlug = null);

/// <summary>The instanties a bottleneck can be signalled to (DOMAIN.md section 1).</summary>
public static class Instanties
{
    public static readonly IReadOnlyList<string> All = ["gemeente", "zorgkantoor", "ciz", "svb", "uwv", "zorgverzekeraar", "school"];
}

/// <summary>The reactions on offer; a short fixed set keeps reactions readable and the column small.</summary>
public static class Reactions
{
    public static readonly IReadOnlyList<string> All = ["👍", "❤️", "🙏", "💡", "✅", "😮", "🎉", "👀"];
}
