using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Articles;

public sealed class ArticleRow
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public string Slug { get; set; } = "";
    public string Title { get; set; } = "";
    public string Category { get; set; } = "";
    public long Version { get; set; }
    public string CreatedBy { get; set; } = "";
    public long CreatedMs { get; set; }
    public long UpdatedMs { get; set; }
    public long? LastReviewedMs { get; set; }
    public string? LastReviewedBy { get; set; }
    public long? SourcePostId { get; set; }
    public long? ChannelId { get; set; }
    public long? ReviewRequestedMs { get; set; }
    public string? ReviewRequestedBy { get; set; }
    public string? ReviewRequestNote { get; set; }
}

public sealed class ArticleVersionRow
{
    public long ArticleId { get; set; }
    public long Version { get; set; }
    public string Title { get; set; } = "";
    public string Category { get; set; } = "";
    public string Body { get; set; } = "";
    public string Note { get; set; } = "";
    public string AuthorKey { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public long CreatedMs { get; set; }
    public string? ConfirmedFindings { get; set; }
}

public sealed record ArticleVersionView(int Version, string Title, string Category, PersonRef Author, DateTimeOffset CreatedAt, string Note, string Body);

public sealed record ArticleDiff(int From, int To, string? OldTitle, string? NewTitle, int Added, int Removed, IReadOnlyList<DiffLine> Lines);

/// <summary>Create (no <see cref="BaseVersion"/>) or edit: an edit names the version it started from; a stale one is refused with 409.
/// <see cref="ChannelId"/> (create only): the channel the article belongs to; its followers are told of the new article.</summary>
public sealed record WriteArticleRequest(
    string? Title, string? Body, string? Category = null, IReadOnlyList<string>? Tags = null, string? Slug = null,
    string? Note = null, int? BaseVersion = null, bool Confirmed = false, long? ChannelId = null);

/// <summary>Promote a post to an article: the post's text becomes version 1.</summary>
public sealed record PromoteRequest(string? Title, string? Category = null, IReadOnlyList<string>? Tags = null, string? Slug = null, bool Confirmed = false);
