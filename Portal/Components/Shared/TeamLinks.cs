namespace Pgo.Portal.Components.Shared;

/// <summary>
/// Where a notification about the team space leads (issue 17): its item is <c>team/{teamId}/post/{postId}</c> or
/// <c>team/{teamId}/article/{slug}</c>; the team screen opens the thread of <c>?post=</c> or the article of <c>?artikel=</c>
/// in the team of <c>?team=</c>. Null for an item that is not the team space's.
/// </summary>
public static class TeamLinks
{
    public static string? Href(string? item) => item?.Split('/') switch
    {
        ["team", var team, "post", var post] when long.TryParse(team, out _) && long.TryParse(post, out _) => $"/team?team={team}&post={post}",
        ["team", var team, "article", var slug] when long.TryParse(team, out _) && slug.Length > 0 => $"/team?team={team}&artikel={Uri.EscapeDataString(slug)}",
        _ => null,
    };
}
