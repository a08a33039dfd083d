using Dapper;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace.Data;
using Pgo.Api.TeamSpace.Live;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Safety;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Api.TeamSpace.TeamSpaceAuthorization;

namespace Pgo.Api.TeamSpace.Signalling;

/// <summary>
/// Signalling across teams (knelpunten in het stelsel, DOMAIN.md section 4). A full member marks a post as a knelpunt with
/// the instantie, a theme (codes of <see cref="SignalCodes"/>), the number of families and a short description that the
/// guard checks with no way past it: the description is the only text that leaves the team. Every (theme, instantie) is
/// one bundle across all teams (ts_signal_bundle), whose status and outcome the landelijk coördinator sets; the authors
/// and markers of its posts are told, and their posts show it.
/// The coördinator sees counts and descriptions only: never a post's text, an author, a family or a post id.
/// </summary>
public sealed class SignalService(TeamSpaceDatabase db, PostService posts, PostViews views, DeidentificationGuard guard, TeamLive live, TimeProvider clock)
{
    public const int MinSummary = 5;
    public const int MaxSummary = 300;
    public const int MinRaisedWith = 3;
    public const int MaxRaisedWith = 200;
    public const int MinOutcome = 3;
    public const int MaxOutcome = 1000;

    /// <summary>Who changed the status when a new mark reopened a solved bundle (shown in its history).</summary>
    public const string ReopenedBy = "Nieuwe melding na 'opgelost'";

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    // ---------------------------------------------------------------- in the team: mark and unmark a post

    /// <summary>Marks a post as a knelpunt (<paramref name="request"/> null: unmarks it). Creates the bundle when it is the first of its kind.</summary>
    public async Task<Outcome<PostView>> MarkAsync(TeamAccess access, long postId, SignalRequest? request, CancellationToken ct)
    {
        var post = await posts.LoadAsync(access.TeamId, postId, ct);
        if (post is null || !Can(access, TeamOperation.ReadChannel, post.ChannelId))
            return Check(access, TeamOperation.ReadTeam) ?? TeamError.NotFound(ApiText.TeamPostHidden);
        if (Check(access, TeamOperation.MarkBottleneck, post.ChannelId, post.AuthorKey) is { } refused) return refused;
        if (post.DeletedMs is not null) return TeamError.Conflict(ApiText.TeamPostDeleted);

        if (request is null)
        {
            await db.WriteAsync((c, tx) => c.ExecuteAsync("""
                UPDATE ts_post SET signal_instantie = NULL, signal_theme = NULL, signal_by = NULL, signal_ms = NULL,
                    signal_families = NULL, signal_summary = NULL
                WHERE id = @postId;
                """, new { postId }, tx), ct);
            return await ChangedAsync(access.TeamId, postId, ct);
        }

        var input = new TeamInput();
        var instantie = Code(input, "instantie", request.Instantie, SignalCodes.Instanties);
        var theme = Code(input, "theme", request.Theme, SignalCodes.Themes);
        if (request.Families is not { } families || families < 1 || families > SignalCodes.MaxFamilies)
        {
            input.Fail("families", ApiProblem.Text(ApiText.SignalFamiliesRange, SignalCodes.MaxFamilies));
            families = 0;
        }
        var summary = Summary(input, request.Summary);
        if (!input.IsValid) return input.Error();
        if (await GuardAsync(access, summary, ct) is { } guardRefusal) return guardRefusal;

        var now = Now;
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("""
                UPDATE ts_post SET signal_instantie = @instantie, signal_theme = @theme, signal_by = @Key, signal_ms = @now,
                    signal_families = @families, signal_summary = @summary
                WHERE id = @postId;
                """, new { postId, instantie, theme, access.Caller.Key, now, families, summary }, tx);
            // Insert-if-absent on both providers: the UNIQUE (theme, instantie) decides, a concurrent first mark is no error.
            await c.ExecuteAsync("""
                INSERT INTO ts_signal_bundle (theme, instantie, status, created_ms) VALUES (@theme, @instantie, @status, @now)
                ON CONFLICT (theme, instantie) DO NOTHING;
                """, new { theme, instantie, status = SignalCodes.Status.Nieuw, now }, tx);
            // A knelpunt that comes back after "opgelost" is not solved: the bundle is new again for the coördinator, and its
            // history says why (no name of the team member: the programme never sees who marked what).
            var reopened = await c.ExecuteAsync("""
                UPDATE ts_signal_bundle SET status = @nieuw, status_ms = @now, status_by = @by
                WHERE theme = @theme AND instantie = @instantie AND status = @opgelost;
                """, new { theme, instantie, nieuw = SignalCodes.Status.Nieuw, opgelost = SignalCodes.Status.Opgelost, now, by = ReopenedBy }, tx);
            if (reopened > 0)
                await c.ExecuteAsync("""
                    INSERT INTO ts_signal_history (bundle_id, status, raised_with, outcome, changed_by, changed_ms)
                    SELECT id, status, raised_with, outcome, @by, @now FROM ts_signal_bundle WHERE theme = @theme AND instantie = @instantie;
                    """, new { theme, instantie, now, by = ReopenedBy }, tx);
        }, ct);
        return await ChangedAsync(access.TeamId, postId, ct);
    }

    /// <summary>
    /// The guard on the description, never confirmable: it leaves the team. The one call into the guard in this folder
    /// (its seam is the author's team and key).
    /// </summary>
    private async Task<TeamError?> GuardAsync(TeamAccess access, string summary, CancellationToken ct) =>
        (await guard.ReviewAsync(access.TeamId, access.Caller.Key, [("summary", summary)], confirmed: false, ct)).Refusal;

    private async Task<Outcome<PostView>> ChangedAsync(long teamId, long postId, CancellationToken ct)
    {
        var view = await views.ViewAsync(teamId, postId, ct);
        await live.PostChangedAsync(TeamLive.PostEdited, view);
        return view;
    }

    private static string Code(TeamInput input, string field, string? value, IReadOnlyList<SignalCodes.Code> codes)
    {
        var code = (value ?? "").Trim().ToLowerInvariant();
        if (codes.Any(c => c.Value == code)) return code;
        input.Fail(field, ApiProblem.Text(ApiText.ChooseOneOf, string.Join(", ", codes.Select(c => c.Value))));
        return "";
    }

    private static string Summary(TeamInput input, string? value)
    {
        var text = string.Join(' ', (value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length is < MinSummary or > MaxSummary)
        {
            input.Fail("summary", ApiProblem.Text(ApiText.SignalLengthRange, MinSummary, MaxSummary));
            return "";
        }
        return input.Text("summary", text, MaxSummary);
    }

    // ---------------------------------------------------------------- the programme: bundles across all teams

    /// <summary>The bundles with at least one live marked post, filtered by status, theme and instantie codes; most recent first.</summary>
    public async Task<Outcome<IReadOnlyList<SignalBundleSummary>>> BundlesAsync(TeamCaller caller, string? status, string? theme, string? instantie, CancellationToken ct)
    {
        if (Refusal(caller) is { } refused) return refused;
        var input = new TeamInput();
        status = Filter(input, "status", status, SignalCodes.Status.All);
        theme = Filter(input, "theme", theme, SignalCodes.Themes);
        instantie = Filter(input, "instantie", instantie, SignalCodes.Instanties);
        if (!input.IsValid) return input.Error();
        var rows = await db.ReadAsync(c => c.QueryAsync<BundleCountRow>($"""
            {BundleCountsSql}
            WHERE (@status IS NULL OR b.status = @status) AND (@theme IS NULL OR b.theme = @theme) AND (@instantie IS NULL OR b.instantie = @instantie)
            GROUP BY b.id, b.theme, b.instantie, b.status, b.raised_with, b.outcome
            ORDER BY MAX(p.signal_ms) DESC, b.id DESC;
            """, new { status, theme, instantie }), ct);
        return Outcome.Of<IReadOnlyList<SignalBundleSummary>>(rows.Select(Summary).ToList());
    }

    /// <summary>One bundle: per team (by name), per month (Europe/Amsterdam), the descriptions, the history.</summary>
    public async Task<Outcome<SignalBundleView>> BundleAsync(TeamCaller caller, long bundleId, CancellationToken ct)
    {
        if (Refusal(caller) is { } refused) return refused;
        var (summary, signals) = await LoadAsync(bundleId, ct);
        if (summary is null) return TeamError.NotFound(ApiText.SignalBundleNotFound);
        var history = await db.ReadAsync(c => c.QueryAsync<HistoryRow>(
            "SELECT status, raised_with, outcome, changed_by, changed_ms FROM ts_signal_history WHERE bundle_id = @bundleId ORDER BY id DESC;",
            new { bundleId }), ct);
        return new SignalBundleView(summary,
            signals.GroupBy(s => s.TeamName).Select(g => new SignalTeamCount(g.Key, g.Count(), (int)g.Sum(s => s.Families)))
                .OrderByDescending(t => t.Signals).ThenBy(t => t.Team, StringComparer.OrdinalIgnoreCase).ToList(),
            signals.GroupBy(s => Month(s.SignalMs)).OrderBy(g => g.Key)
                .Select(g => new SignalMonthCount(g.Key, g.Count(), (int)g.Sum(s => s.Families))).ToList(),
            signals.OrderByDescending(s => s.SignalMs).Select(s => s.Summary).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct().ToList(),
            history.Select(h => new SignalStatusChange(h.Status, SignalCodes.StatusName(h.Status), h.RaisedWith, h.Outcome, h.ChangedBy,
                DateTimeOffset.FromUnixTimeMilliseconds(h.ChangedMs))).ToList());
    }

    /// <summary>
    /// The coördinator sets the status (with whom it was raised, the outcome). Kept in the history; the authors and
    /// markers of every live post of the bundle get one notification each (not the coördinator), in the same transaction.
    /// </summary>
    public async Task<Outcome<SignalBundleView>> UpdateAsync(TeamCaller caller, long bundleId, SignalBundleUpdate request, CancellationToken ct)
    {
        if (Refusal(caller) is { } refused) return refused;
        var (summary, signals) = await LoadAsync(bundleId, ct);
        if (summary is null) return TeamError.NotFound(ApiText.SignalBundleNotFound);

        var input = new TeamInput();
        var status = (request.Status ?? "").Trim().ToLowerInvariant();
        if (SignalCodes.Status.All.All(s => s.Value != status))
            input.Fail("status", ApiProblem.Text(ApiText.ChooseOneOf, string.Join(", ", SignalCodes.Status.All.Select(s => s.Value))));
        var raisedWith = Optional(input, "raisedWith", request.RaisedWith, MinRaisedWith, MaxRaisedWith, required: status == SignalCodes.Status.Aangekaart);
        var outcome = Optional(input, "outcome", request.Outcome, MinOutcome, MaxOutcome, required: status == SignalCodes.Status.Opgelost);
        if (!input.IsValid) return input.Error();
        // With whom and the outcome reach every team of the bundle (on the posts, in the bell): the guard of each of those
        // teams reads them as it reads a knelpunt's summary, with no way past it.
        foreach (var teamId in signals.Select(s => s.TeamId).Distinct())
        {
            var (guardRefusal, _) = await guard.ReviewAsync(teamId, caller.Key, [("raisedWith", raisedWith ?? ""), ("outcome", outcome ?? "")], confirmed: false, ct);
            if (guardRefusal is not null) return guardRefusal;
        }
        raisedWith ??= summary.RaisedWith;
        outcome ??= summary.Outcome;

        var now = Now;
        // Once per person: their newest post in the bundle is what the notification points to.
        var recipients = signals
            .SelectMany(s => new[] { (Key: s.AuthorKey, Signal: s), (Key: s.SignalBy ?? "", Signal: s) })
            .Where(r => r.Key.Length > 0 && r.Key != caller.Key)
            .GroupBy(r => r.Key)
            .Select(g => (Key: g.Key, Post: g.Select(r => r.Signal).MaxBy(s => s.SignalMs)!))
            .ToList();
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("""
                UPDATE ts_signal_bundle SET status = @status, raised_with = @raisedWith, outcome = @outcome, status_ms = @now, status_by = @Name
                WHERE id = @bundleId;
                """, new { bundleId, status, raisedWith, outcome, caller.Name, now }, tx);
            await c.ExecuteAsync("""
                INSERT INTO ts_signal_history (bundle_id, status, raised_with, outcome, changed_by, changed_ms)
                VALUES (@bundleId, @status, @raisedWith, @outcome, @Name, @now);
                """, new { bundleId, status, raisedWith, outcome, caller.Name, now }, tx);
            foreach (var (key, post) in recipients)
                await TeamNotifications.AddAsync(c, tx, db.IsPostgres, post.TeamId, TeamNotifications.Signal, post.PostId, null, caller, [key], now);
        }, ct);
        // Open channels show the new status on the posts without a reload.
        foreach (var s in signals) await live.PostChangedAsync(TeamLive.PostEdited, await views.ViewAsync(s.TeamId, s.PostId, ct));
        return await BundleAsync(caller, bundleId, ct);
    }

    /// <summary>The bundle as CSV for a meeting with the instantie: counts and descriptions, no authors, post texts or ids.</summary>
    public async Task<Outcome<(string FileName, byte[] Content)>> ExportAsync(TeamCaller caller, long bundleId, CancellationToken ct)
    {
        var view = await BundleAsync(caller, bundleId, ct);
        if (view.Error is { } error) return error;
        var b = view.Value!.Bundle;
        return ($"knelpunt-{b.Theme}-{b.Instantie}.csv", SignalCsv.Write(view.Value));
    }

    /// <summary>Whether the caller is the landelijk coördinator (<see cref="MayCoordinate"/>); 403 otherwise.</summary>
    private static TeamError? Refusal(TeamCaller caller) => MayCoordinate(caller) ? null : TeamError.Forbidden(ApiText.SignalCoordinatorOnly);

    private async Task<(SignalBundleSummary? Summary, IReadOnlyList<SignalRow> Signals)> LoadAsync(long bundleId, CancellationToken ct)
    {
        return await db.ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<BundleCountRow>($"""
                {BundleCountsSql}
                WHERE b.id = @bundleId
                GROUP BY b.id, b.theme, b.instantie, b.status, b.raised_with, b.outcome;
                """, new { bundleId });
            if (row is null) return ((SignalBundleSummary?)null, (IReadOnlyList<SignalRow>)[]);
            var signals = (await c.QueryAsync<SignalRow>("""
                SELECT p.id AS post_id, p.team_id, t.name AS team_name, p.author_key, p.signal_by, p.signal_ms,
                       COALESCE(p.signal_families, 1) AS families, p.signal_summary AS summary
                FROM ts_post p JOIN ts_team t ON t.id = p.team_id
                WHERE p.signal_theme = @Theme AND p.signal_instantie = @Instantie AND p.deleted_ms IS NULL
                ORDER BY p.signal_ms;
                """, new { row.Theme, row.Instantie })).ToList();
            return (Summary(row), (IReadOnlyList<SignalRow>)signals);
        }, ct);
    }

    // Counts over the live marked posts of all teams; a bundle with none is not there (the JOIN).
    private const string BundleCountsSql = """
        SELECT b.id, b.theme, b.instantie, b.status, b.raised_with, b.outcome,
               COUNT(p.id) AS signals, COALESCE(SUM(COALESCE(p.signal_families, 1)), 0) AS families, COUNT(DISTINCT p.team_id) AS teams,
               MIN(p.signal_ms) AS first_ms, MAX(p.signal_ms) AS latest_ms
        FROM ts_signal_bundle b
        JOIN ts_post p ON p.signal_theme = b.theme AND p.signal_instantie = b.instantie AND p.deleted_ms IS NULL
        """;

    private static SignalBundleSummary Summary(BundleCountRow r) => new(r.Id, r.Theme, SignalCodes.ThemeName(r.Theme), r.Instantie,
        SignalCodes.InstantieName(r.Instantie), r.Status, SignalCodes.StatusName(r.Status), r.RaisedWith, r.Outcome,
        (int)r.Signals, (int)r.Families, (int)r.Teams, DateTimeOffset.FromUnixTimeMilliseconds(r.FirstMs), DateTimeOffset.FromUnixTimeMilliseconds(r.LatestMs));

    /// <summary>yyyy-MM on the Dutch clock.</summary>
    public static string Month(long ms) =>
        DutchTime.At(DateTimeOffset.FromUnixTimeMilliseconds(ms)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Filter(TeamInput input, string field, string? value, IReadOnlyList<SignalCodes.Code> codes) =>
        string.IsNullOrWhiteSpace(value) ? null : Code(input, field, value, codes);

    private static string? Optional(TeamInput input, string field, string? value, int min, int max, bool required)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
        {
            if (required) input.Fail(field, ApiProblem.Text(ApiText.SignalLengthRange, min, max));
            return null;
        }
        if (text.Length < min || text.Length > max)
        {
            input.Fail(field, ApiProblem.Text(ApiText.SignalLengthRange, min, max));
            return null;
        }
        var clean = input.Text(field, text, max, multiline: true);
        return clean.Length == 0 ? null : clean;
    }

    private sealed class BundleCountRow
    {
        public long Id { get; set; }
        public string Theme { get; set; } = "";
        public string Instantie { get; set; } = "";
        public string Status { get; set; } = "";
        public string? RaisedWith { get; set; }
        public string? Outcome { get; set; }
        public long Signals { get; set; }
        public long Families { get; set; }
        public long Teams { get; set; }
        public long FirstMs { get; set; }
        public long LatestMs { get; set; }
    }

    private sealed class SignalRow
    {
        public long PostId { get; set; }
        public long TeamId { get; set; }
        public string TeamName { get; set; } = "";
        public string AuthorKey { get; set; } = "";
        public string? SignalBy { get; set; }
        public long SignalMs { get; set; }
        public long Families { get; set; }
        public string? Summary { get; set; }
    }

    private sealed class HistoryRow
    {
        public string Status { get; set; } = "";
        public string? RaisedWith { get; set; }
        public string? Outcome { get; set; }
        public string ChangedBy { get; set; } = "";
        public long ChangedMs { get; set; }
    }
}
