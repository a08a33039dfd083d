using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>Search as a member asks it: only what they may read (their channels; articles unless they are a guest), filtered by channel, tag, author and kind.</summary>
public sealed class SearchService(TeamSearch search, TeamDirectory directory, TeamSpaceDatabase db)
{
    public async Task<Outcome<IReadOnlyList<SearchResultView>>> SearchAsync(
        TeamAccess access, string? q, long? channelId, string? tag, string? author, string? kind, int limit, CancellationToken ct)
    {
        if (Check(access, TeamOperation.ReadTeam) is { } refused) return refused;
        var input = new TeamInput();
        var query = input.Text("q", q, 500);
        if (kind is not null && kind != TeamSearch.PostKind && kind != TeamSearch.ArticleKind) input.Fail("kind", "Kies 'post' of 'article'.");
        var normalizedTag = tag is null ? null : TeamInput.NormalizeTag(tag);
        if (tag is not null && normalizedTag is null) input.Fail("tag", "Ongeldige tag.");
        if (!input.IsValid) return input.Error();

        string? authorKey = null;
        if (!string.IsNullOrWhiteSpace(author))
        {
            var member = await directory.MemberByHandleAsync(access.TeamId, author.Trim().TrimStart('@').ToLowerInvariant(), ct);
            if (member is null) return TeamError.NotFound(ApiProblem.Text(ApiText.TeamNoMemberNamed, author.Trim().TrimStart('@')));
            authorKey = member.MemberKey;
        }
        var channels = (await directory.ChannelsAsync(access.TeamId, ct)).Where(ch => Can(access, TeamOperation.ReadChannel, ch.Id)).Select(ch => ch.Id).ToList();
        if (channelId is { } ch && !channels.Contains(ch)) return TeamError.NotFound(ApiText.TeamChannelHidden);

        var hits = await search.SearchAsync(new SearchRequest(access.TeamId, query, channels, Can(access, TeamOperation.ReadArticles),
            channelId, normalizedTag, authorKey, kind, limit), ct);
        var args = new DynamicParameters();
        var articleIds = SqlList.In("id", "A", hits.Where(h => h.Kind == TeamSearch.ArticleKind).Select(h => h.RefId), args);
        var slugs = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Slug)>($"SELECT id, slug FROM ts_article WHERE {articleIds};", args), ct))
            .ToDictionary(a => a.Id, a => a.Slug);
        var threads = await ThreadsOfAsync(hits.Where(h => h.Kind == TeamSearch.PostKind).Select(h => h.RefId).ToList(), ct);
        return Outcome.Of<IReadOnlyList<SearchResultView>>(hits.Select(h =>
        {
            var thread = h.Kind == TeamSearch.PostKind ? threads.GetValueOrDefault(h.RefId) : default;
            return new SearchResultView(h.Kind, h.RefId, h.ChannelId, h.Kind == TeamSearch.PostKind && thread.Title is not null ? thread.Title : h.Title, h.AuthorKey,
                DateTimeOffset.FromUnixTimeMilliseconds(h.UpdatedMs), h.Rank, h.Snippet,
                h.Kind == TeamSearch.PostKind
                    ? $"/api/team/teams/{access.TeamId}/posts/{h.RefId}"
                    : $"/api/team/teams/{access.TeamId}/articles/{slugs.GetValueOrDefault(h.RefId)}",
                h.Kind == TeamSearch.PostKind ? thread.ThreadId ?? h.RefId : null,
                h.Kind == TeamSearch.ArticleKind ? slugs.GetValueOrDefault(h.RefId) : null);
        }).ToList());
    }

    /// <summary>Per post: the root of its thread and the thread's title (the root's title, else the first line of its text, at most 80 characters).</summary>
    private async Task<Dictionary<long, (long? ThreadId, string? Title)>> ThreadsOfAsync(IReadOnlyList<long> postIds, CancellationToken ct)
    {
        var result = new Dictionary<long, (long? ThreadId, string? Title)>();
        if (postIds.Count == 0) return result;
        var args = new DynamicParameters();
        var ids = SqlList.In("p.id", "P", postIds, args);
        var rows = await db.ReadAsync(c => c.QueryAsync<(long Id, long RootId, string? Title, string RootBody)>($"""
            SELECT p.id, r.id, r.title, r.body FROM ts_post p JOIN ts_post r ON r.id = COALESCE(p.thread_id, p.id) WHERE {ids};
            """, args), ct);
        foreach (var (id, rootId, title, rootBody) in rows)
            result[id] = (rootId, string.IsNullOrWhiteSpace(title) ? FirstLine(rootBody) : title);
        return result;
    }

    /// <summary>The first non-empty line of a post as plain text, at most 80 characters (cut at a word, with "…").</summary>
    public static string FirstLine(string markdownText, int max = 80)
    {
        var line = MarkdownRenderer.ToPlainText(markdownText).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        if (line.Length <= max) return line;
        var cut = line[..max];
        var space = cut.LastIndexOf(' ');
        return (space > max / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }
}
