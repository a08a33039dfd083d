namespace Pgo.Shared.Contracts;

// The team space's views (/api/team): the Api (Api/TeamSpace) sends these records and the Portal reads them.

public sealed record PersonRef(string Key, string Name);

public sealed record ReactionView(string Emoji, int Count, IReadOnlyList<string> By);

/// <summary>A post marked as a knelpunt (issue 19). <see cref="Instantie"/> and <see cref="Theme"/> are codes of
/// <c>Pgo.Shared.Codes.SignalCodes</c>; <see cref="Families"/> how many families it concerns (counted, never named);
/// <see cref="Summary"/> the supporter's short de-identified description, the only text that leaves the team. The bundle's
/// status and outcome, set by the landelijk coördinator, flow back here.</summary>
public sealed record BottleneckView(string Instantie, string Theme, string MarkedBy, DateTimeOffset MarkedAt,
    int? Families = null, string? Summary = null, long? BundleId = null, string? BundleStatus = null, string? RaisedWith = null, string? Outcome = null);

public sealed record AttachmentView(long Id, string FileName, string ContentType, long SizeBytes, string Url);

public sealed record PostView(
    long Id, long TeamId, long ChannelId, long? ThreadId, PersonRef Author, string Body, string Html,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, string? EditedBy, bool Deleted, DateTimeOffset? PinnedAt,
    int ReplyCount, DateTimeOffset LastActivityAt, IReadOnlyList<ReactionView> Reactions, BottleneckView? Bottleneck,
    IReadOnlyList<AttachmentView> Attachments, IReadOnlyList<string> Tags, IReadOnlyList<string> ConfirmedFindings,
    string? Title = null, PostFlagView? Flag = null);

/// <summary>A post saved despite the guard's warning (<see cref="ConfirmedFindings"/>, the kinds confirmed): marked for the
/// team's coach, who may ask the author for an edit (<see cref="EditRequestedAt"/>, with a reason) or find it in order
/// (<see cref="HandledAt"/>). An edit the guard passes clean ends the mark. Only the author, coaches and experts see it.</summary>
public sealed record PostFlagView(IReadOnlyList<string> ConfirmedFindings, DateTimeOffset? EditRequestedAt, string? EditRequestedBy,
    string? EditRequestReason, DateTimeOffset? HandledAt, string? HandledBy);

/// <summary>The coach asks the author to edit a marked post (POST /teams/{t}/posts/{p}/edit-request).</summary>
public sealed record EditRequestBody(string? Reason);

/// <summary>Marks a post as a knelpunt (PUT /teams/{t}/posts/{p}/bottleneck): codes of <c>SignalCodes</c>, the number of
/// families (1..500) and a short description without names, checked by the guard with no way to confirm past it.</summary>
public sealed record SignalRequest(string? Instantie, string? Theme, int? Families, string? Summary);

/// <summary>A member of a team as the members list shows it (the mention picker).</summary>
public sealed record MemberView(string Key, string Handle, string Name, string Role, DateTimeOffset JoinedAt);

public sealed record ThreadView(PostView Root, IReadOnlyList<PostView> Replies);

/// <remarks>Issue 19 (optional, at the end): the Dutch names of the codes, the families summed, and the cross-team bundle
/// (<see cref="BundleId"/>) with its status and outcome as the landelijk coördinator set them.</remarks>
public sealed record BottleneckBundle(string Instantie, string Theme, int Count, DateTimeOffset LatestAt, IReadOnlyList<BottleneckPost> Posts,
    string? InstantieName = null, string? ThemeName = null, int Families = 0, long? BundleId = null, string? Status = null, string? StatusName = null,
    string? RaisedWith = null, string? Outcome = null);

/// <remarks>Issue 19 (optional, at the end): the marker's short description and the number of families.</remarks>
public sealed record BottleneckPost(long PostId, long ChannelId, long? ThreadId, string Excerpt, string MarkedBy, DateTimeOffset MarkedAt, string Url,
    string? Summary = null, int? Families = null);

public sealed record ArticleLinkView(string Slug, string Title);

/// <param name="ReviewRequested">Someone asked a coach or expert to review the current version and none has yet.</param>
public sealed record ArticleSummary(long Id, string Slug, string Title, string Category, IReadOnlyList<string> Tags, int Version,
    DateTimeOffset UpdatedAt, DateTimeOffset? LastReviewedAt, bool ReviewRequested = false);

public sealed record ArticleView(
    long Id, long TeamId, string Slug, string Title, string Category, IReadOnlyList<string> Tags, string Body, string Html,
    int Version, PersonRef UpdatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? LastReviewedAt, string? LastReviewedBy, long? SourcePostId,
    IReadOnlyList<ArticleLinkView> Links, IReadOnlyList<ArticleLinkView> Backlinks, IReadOnlyList<string> ConfirmedFindings,
    DateTimeOffset? ReviewRequestedAt = null, string? ReviewRequestedBy = null, string? ReviewRequestNote = null);

/// <summary>Ask the team's coaches and experts to review an article (POST /teams/{t}/articles/{slug}/review-request);
/// approving is POST .../review, which records "laatst gecontroleerd" and ends the request.</summary>
public sealed record ReviewRequestBody(string? Note);

public sealed record TeamSummary(long Id, string Slug, string Name, string MyRole);

/// <param name="Following">Whether the caller follows the channel (a new kennisbank article there is a notification for them).</param>
public sealed record ChannelView(long Id, string Slug, string Name, string Description, bool Following = false);

/// <summary>A channel's unread posts for the caller: posts by others after their read marker (<c>/teams/{t}/unread</c>).</summary>
public sealed record UnreadView(long ChannelId, string ChannelName, int Unread, long? LatestPostId);

public sealed record TeamView(long Id, string Slug, string Name, string Description, string MyRole, string MyHandle, IReadOnlyList<ChannelView> Channels);

/// <param name="Title">For an article its title; for a post the title of its thread (the root's title, else the root's first line).</param>
/// <param name="ThreadId">For a post: the root of its thread (its own id for a root), so a hit opens the post in its thread.</param>
/// <param name="Slug">For an article: its slug, so a hit opens it.</param>
public sealed record SearchResultView(string Kind, long Id, long? ChannelId, string Title, string AuthorKey, DateTimeOffset UpdatedAt, double Rank, string Snippet, string Url,
    long? ThreadId = null, string? Slug = null);

/// <summary>What the team space's guard found in a text, read from the extensions of its 422 ProblemDetails ("Mogelijk
/// herleidbare gegevens"): not a whole answer, so not in the strict contract test.</summary>
public sealed record GuardFinding(string Kind, string Field, string Text, string Message);

/// <summary>The hub's <c>teamAccessEnded</c>: the person may no longer read the team (<see cref="ChannelId"/> null) or one channel.</summary>
public sealed record TeamAccessEnded(long TeamId, long? ChannelId);
