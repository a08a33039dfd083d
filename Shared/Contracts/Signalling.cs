namespace Pgo.Shared.Contracts;

// Signalling across teams (issue 19): the landelijk coördinator's programme view (/api/signalling). A bundle is every
// knelpunt of one theme about one instantie, from all teams; it carries counts, never a family or a post's text.

/// <summary>One bundle in the list. Codes (<see cref="Theme"/>, <see cref="Instantie"/>, <see cref="Status"/>) with their
/// Dutch names. <see cref="Signals"/>: posts marked; <see cref="Families"/>: the families they concern, summed;
/// <see cref="Teams"/>: how many teams signalled it.</summary>
public sealed record SignalBundleSummary(long Id, string Theme, string ThemeName, string Instantie, string InstantieName,
    string Status, string StatusName, string? RaisedWith, string? Outcome, int Signals, int Families, int Teams,
    DateTimeOffset FirstAt, DateTimeOffset LatestAt);

/// <summary>One bundle in full: per team and per month (counts over time), the supporters' short descriptions (checked by
/// the guard, no names), and the history of its status.</summary>
public sealed record SignalBundleView(SignalBundleSummary Bundle, IReadOnlyList<SignalTeamCount> PerTeam,
    IReadOnlyList<SignalMonthCount> PerMonth, IReadOnlyList<string> Summaries, IReadOnlyList<SignalStatusChange> History);

public sealed record SignalTeamCount(string Team, int Signals, int Families);

/// <param name="Month">yyyy-MM, in Europe/Amsterdam time.</param>
public sealed record SignalMonthCount(string Month, int Signals, int Families);

public sealed record SignalStatusChange(string Status, string StatusName, string? RaisedWith, string? Outcome, string By, DateTimeOffset At);

/// <summary>PUT /api/signalling/bundles/{id}: the new status (a code of SignalCodes.Status), with whom it was raised
/// (required for <c>aangekaart</c>) and the outcome (required for <c>opgelost</c>). The authors of the bundle's posts are told.</summary>
public sealed record SignalBundleUpdate(string? Status, string? RaisedWith, string? Outcome);
