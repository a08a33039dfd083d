namespace Pgo.Shared.Contracts;

// The team space's views (/api/team): the Api (Api/TeamSpace) sends these records and the Portal reads them.

public sealed record PersonRef(string Key, string Name);

public sealed record ReactionView(string Emoji, int Count, IReadOnlyList<string> By);

public sealed record BottleneckView(string Instantie, string Theme, string MarkedBy, DateTimeOffset MarkedAt);

public sealed record AttachmentView(long Id, string FileName, string ContentType, long SizeBytes, string Url);

public sealed record PostView(
    long Id, long TeamId, long ChannelId, long? ThreadId, PersonRef Author, string Body, string Html,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, string? EditedBy, bool Deleted, DateTimeOffset? PinnedAt,
    int ReplyCount, DateTimeOffset LastActivityAt, IReadOnlyList<ReactionView> Reactions, BottleneckView? Bottleneck,
    IReadOnlyList<AttachmentView> Attachments, IReadOnlyList<string> Tags, IReadOnlyList<string> ConfirmedFindings);

public sealed record ThreadView(PostView Root, IReadOnlyList<PostView> Replies);

public sealed record BottleneckBundle(string Instantie, string Theme, int Count, DateTimeOffset LatestAt, IReadOnlyList<BottleneckPost> Posts);

public sealed record BottleneckPost(long PostId, long ChannelId, long? ThreadId, string Excerpt, string MarkedBy, DateTimeOffset MarkedAt, string Url);

public sealed record ArticleLinkView(string Slug, string Title);

public sealed record ArticleSummary(long Id, string Slug, string Title, string Category, IReadOnlyList<string> Tags, int Version,
    DateTimeOffset UpdatedAt, DateTimeOffset? LastReviewedAt);

public sealed record ArticleView(
    long Id, long TeamId, string Slug, string Title, string Category, IReadOnlyList<string> Tags, string Body, string Html,
    int Version, PersonRef UpdatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? LastReviewedAt, string? LastReviewedBy, long? SourcePostId,
    IReadOnlyList<ArticleLinkView> Links, IReadOnlyList<ArticleLinkView> Backlinks, IReadOnlyList<string> ConfirmedFindings);

public sealed record TeamSummary(long Id, string Slug, string Name, string MyRole);

/// <param name="Following">Whether the caller follows the channel (a new kennisbank article there is a notification for them).</param>
public sealed record ChannelView(long Id, string Slug, string Name, string Description, bool Following = false);

/// <summary>A channel's unread posts for the caller: posts by others after their read marker (<c>/teams/{t}/unread</c>).</summary>
public sealed record UnreadView(long ChannelId, string ChannelName, int Unread, long? LatestPostId);

public sealed record TeamView(long Id, string Slug, string Name, string Description, string MyRole, string MyHandle, IReadOnlyList<ChannelView> Channels);

public sealed record SearchResultView(string Kind, long Id, long? ChannelId, string Title, string AuthorKey, DateTimeOffset UpdatedAt, double Rank, string Snippet, string Url);

/// <summary>What the team space's guard found in a text, read from the extensions of its 422 ProblemDetails ("Mogelijk
/// herleidbare gegevens"): not a whole answer, so not in the strict contract test.</summary>
public sealed record GuardFinding(string Kind, string Field, string Text, string Message);
