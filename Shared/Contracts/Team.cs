namespace Pgo.Shared.Contracts;

// The team-space API (Api/TeamSpace, camelCase JSON) as the Portal reads it; checked against the Api by the contract test.

public sealed record TeamSummary(long Id, string Slug, string Name, string MyRole);

public sealed record ChannelView(long Id, string Slug, string Name, string Description);

public sealed record TeamView(long Id, string Slug, string Name, string Description, string MyRole, string MyHandle, IReadOnlyList<ChannelView> Channels);

public sealed record PersonRef(string Key, string Name);

public sealed record PostView(long Id, long TeamId, long ChannelId, long? ThreadId, PersonRef Author, string Body, string Html,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, bool Deleted, int ReplyCount, DateTimeOffset LastActivityAt);

public sealed record ThreadView(PostView Root, IReadOnlyList<PostView> Replies);

public sealed record SearchResultView(string Kind, long Id, long? ChannelId, string Title, string AuthorKey, DateTimeOffset UpdatedAt, double Rank, string Snippet, string Url);

/// <summary>Knelpunten in het stelsel that supporters signalled on posts, bundled per instantie and theme (GET /api/team/teams/{id}/bottlenecks).</summary>
public sealed record BottleneckBundle(string Instantie, string Theme, int Count, DateTimeOffset LatestAt, IReadOnlyList<BottleneckPost> Posts);

public sealed record BottleneckPost(long PostId, long ChannelId, long? ThreadId, string Excerpt, string MarkedBy, DateTimeOffset MarkedAt, string Url);

public sealed record ArticleSummary(long Id, string Slug, string Title, string Category, IReadOnlyList<string> Tags, int Version, DateTimeOffset UpdatedAt);

public sealed record ArticleView(long Id, string Slug, string Title, string Category, IReadOnlyList<string> Tags, string Html, int Version, PersonRef UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>What the team space's guard found in a text (422 "Mogelijk herleidbare gegevens").</summary>
public sealed record GuardFinding(string Kind, string Field, string Text, string Message);
