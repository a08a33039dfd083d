using System.Data.Common;
using Dapper;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.TeamSpace.Signalling;

/// <summary>A post's knelpunt as its team sees it, with the status and outcome of its bundle (set by the landelijk coördinator).</summary>
public static class SignalViews
{
    public sealed class BundleRow
    {
        public long Id { get; set; }
        public string Theme { get; set; } = "";
        public string Instantie { get; set; } = "";
        public string Status { get; set; } = "";
        public string? RaisedWith { get; set; }
        public string? Outcome { get; set; }
    }

    /// <summary>The bundles of the marked rows, by (theme, instantie); none is read when no row is marked.</summary>
    public static async Task<IReadOnlyDictionary<(string Theme, string Instantie), BundleRow>> BundlesAsync(DbConnection c, IEnumerable<PostRow> rows)
    {
        if (!rows.Any(r => r.SignalTheme is not null)) return new Dictionary<(string, string), BundleRow>();
        // At most themes × instanties rows (12 × 8): reading them all is cheaper than a list of pairs.
        var bundles = await c.QueryAsync<BundleRow>("SELECT id, theme, instantie, status, raised_with, outcome FROM ts_signal_bundle;");
        return bundles.ToDictionary(b => (b.Theme, b.Instantie));
    }

    public static BottleneckView? Of(PostRow r, IReadOnlyDictionary<(string Theme, string Instantie), BundleRow> bundles)
    {
        if (r.SignalInstantie is not { } instantie || r.SignalTheme is not { } theme || r.DeletedMs is not null) return null;
        bundles.TryGetValue((theme, instantie), out var b);
        return new BottleneckView(instantie, theme, r.SignalBy ?? "", PostViews.FromMs(r.SignalMs ?? r.CreatedMs),
            (int)(r.SignalFamilies ?? 1), r.SignalSummary, b?.Id, b?.Status, b?.RaisedWith, b?.Outcome);
    }

    /// <summary>The team's own knelpunten (the coach's view), bundled like the programme's: names, families, bundle status.</summary>
    public static IReadOnlyList<BottleneckBundle> ForTeam(IReadOnlyList<PostRow> rows, IReadOnlyDictionary<(string Theme, string Instantie), BundleRow> bundles) =>
        rows.GroupBy(r => (Instantie: r.SignalInstantie!, Theme: r.SignalTheme!))
            .Select(g =>
            {
                bundles.TryGetValue((g.Key.Theme, g.Key.Instantie), out var b);
                return new BottleneckBundle(g.Key.Instantie, g.Key.Theme, g.Count(), PostViews.FromMs(g.First().SignalMs!.Value),
                    g.Take(20).Select(r => new BottleneckPost(r.Id, r.ChannelId, r.ThreadId, PostViews.Excerpt(r.Body), r.SignalBy!, PostViews.FromMs(r.SignalMs!.Value),
                        $"/api/team/teams/{r.TeamId}/posts/{r.Id}", r.SignalSummary, (int)(r.SignalFamilies ?? 1))).ToList(),
                    SignalCodes.InstantieName(g.Key.Instantie), SignalCodes.ThemeName(g.Key.Theme), (int)g.Sum(r => r.SignalFamilies ?? 1),
                    b?.Id, b?.Status, b is null ? null : SignalCodes.StatusName(b.Status), b?.RaisedWith, b?.Outcome);
            })
            .OrderByDescending(b => b.Count).ThenByDescending(b => b.LatestAt)
            .ToList();
}
