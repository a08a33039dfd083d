using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Contracts;
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
        return Outcome.Of<IReadOnlyList<SearchResultView>>(hits.Select(h => new SearchResultView(h.Kind, h.RefId, h.ChannelId, h.Title, h.AuthorKey,
            DateTimeOffset.FromUnixTimeMilliseconds(h.UpdatedMs), h.Rank, h.Snippet,
            h.Kind == TeamSearch.PostKind
                ? $"/api/team/teams/{access.TeamId}/posts/{h.RefId}"
                : $"/api/team/teams/{access.TeamId}/articles/{slugs.GetValueOrDefault(h.RefId)}")).ToList());
    }
}
